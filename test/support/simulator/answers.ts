// The answer the simulator serves for a matched recording: its stored response unwrapped from
// the recorder's `{__type__, __data__}` envelopes, passed through the test's mutations, then made
// live (or served as stored with `liveify: false`).

import { parsePythonLiteral } from "../live-wire.ts";
import { type Expectation, isObject } from "./expectations.ts";
import { LiveIdentity, type Random, resplit, toWireShape } from "./liveify.ts";
import { vertexAnswerBody } from "./vertex-wire.ts";

export type Answer =
  | { kind: "json"; status: number; body: unknown }
  /** `events` are JSON payloads for `data:` lines; `error` is sent as a last event instead of [DONE]. */
  | { kind: "sse"; status: number; events: unknown[]; error: unknown }
  /** Raw SSE lines, as an HTTP passthrough recording stores them. */
  | { kind: "sse-lines"; status: number; lines: string[] };

export type Mutation = (data: unknown) => unknown;

/**
 * What a mutation receives: the stored data unwrapped: the completion object; the list of chunk
 * objects of a stream; the list of models; the error body of a recorded error; a passthrough body.
 */
export function storedData(expectation: Expectation): unknown {
  const response = isObject(expectation.json.response) ? expectation.json.response : {};
  if (response.is_exception === true) {
    const exception = isObject(response.exception_data) ? response.exception_data : {};
    return exception.body ?? { message: String(response.exception_message ?? "error") };
  }
  return unwrap(response.body);
}

/**
 * How live the served data looks: `true`, like a live API (fresh ids, fingerprints, obfuscation,
 * re-split streams); `"wire"`, only what the recorder normalizes is fresh (ids, created) while the
 * data takes the wire's shape (nulls left out, integral floats as integers, wire key order);
 * `false`, as stored.
 */
export type Liveify = boolean | "wire";

export function buildAnswer(
  expectation: Expectation,
  mutations: readonly Mutation[],
  options: { liveify: Liveify; random: Random },
): Answer {
  const response = isObject(expectation.json.response) ? expectation.json.response : {};
  const data = mutations.reduce((value, mutate) => mutate(value), structuredClone(storedData(expectation)));
  const identity = new LiveIdentity(options.random);
  const live = (value: unknown) => {
    if (options.liveify === false) return value;
    if (isObject(value)) {
      if (options.liveify === "wire") identity.applyRecorded(value);
      else identity.apply(value);
    }
    return toWireShape(value);
  };

  if (expectation.family === "genai") {
    return Array.isArray(data)
      ? {
          kind: "sse-lines",
          status: 200,
          lines: data.flatMap((r) => [`data: ${JSON.stringify(vertexAnswerBody(r))}`, ""]),
        }
      : { kind: "json", status: 200, body: vertexAnswerBody(data) };
  }
  if (expectation.family === "passthrough") {
    const status = typeof response.status === "number" ? response.status : 200;
    return Array.isArray(data) && data.every((line) => typeof line === "string")
      ? { kind: "sse-lines", status, lines: data }
      : { kind: "json", status, body: data };
  }
  if (response.is_exception === true) {
    const exception = isObject(response.exception_data) ? response.exception_data : {};
    const status = typeof exception.status_code === "number" ? exception.status_code : 500;
    const chunks = unwrap(response.body);
    // A stream that broke mid-way: its chunks, then the error as an event.
    if (Array.isArray(chunks) && chunks.length > 0) {
      return { kind: "sse", status: 200, events: chunks.map(live), error: { error: data } };
    }
    // The whole body the provider sent survives only in the Python SDK's message, as a repr.
    const message = String(exception.message ?? response.exception_message ?? "");
    const quoted = /^Error code: \d+ - /.exec(message);
    const sent = quoted ? parsePythonLiteral(message.slice(quoted[0].length)) : null;
    return {
      kind: "json",
      status,
      body: isObject(sent) && "error" in sent ? { ...sent, error: data } : { error: data },
    };
  }
  if (expectation.family === "models") {
    return { kind: "json", status: 200, body: { object: "list", data: (data as unknown[]).map(live) } };
  }
  if (expectation.streaming && Array.isArray(data)) {
    const chunks = data as Record<string, unknown>[];
    const events = options.liveify === true ? resplit(chunks, options.random).map(live) : chunks.map(live);
    return { kind: "sse", status: 200, events, error: null };
  }
  const body = live(data);
  if (
    expectation.family === "embeddings" &&
    expectation.base64 &&
    isObject(body) &&
    Array.isArray(body.data)
  ) {
    for (const item of body.data)
      if (isObject(item)) item.embedding = float32Base64(item.embedding as number[]);
  }
  return { kind: "json", status: 200, body };
}

/** Removes the recorder's `{__type__, __data__}` envelopes. */
function unwrap(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrap);
  if (isObject(value) && "__type__" in value && "__data__" in value) return value.__data__;
  return value;
}

/** Little-endian float32, as the OpenAI API encodes embeddings for `encoding_format: base64`. */
function float32Base64(values: number[]): string {
  const view = new DataView(new ArrayBuffer(values.length * 4));
  for (const [i, v] of values.entries()) view.setFloat32(i * 4, v, true);
  return Buffer.from(view.buffer).toString("base64");
}
