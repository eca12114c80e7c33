// The Capture a live provider would send for the same content a recording stored: what the
// refresher must turn back into the stored file byte for byte. It undoes everything the recorder
// did on the way to disk: the `{"__type__", "__data__"}` wrappers go, ids and timestamps the
// recorder normalized get fresh random values, declared fields that were null are left out (the
// wire omits them), declared keys come in a different order (the wire's, not pydantic's), and
// integral floats become plain integers (what `JSON.parse` makes of `1.0`). Extras keep their
// relative order and content, and un-normalized values (system_fingerprint, obfuscation, tool-call
// ids) come through as they are, because on the wire they are what the recorder stored.

import { readFileSync } from "node:fs";
import path from "node:path";
import type { Capture } from "../../src/capture.ts";
import {
  isJsonObject,
  type JsonObject,
  type JsonValue,
  objectKeys,
  toPlain,
} from "../../src/recording/json-value.ts";
import { type Recording, readRecording } from "../../src/recording/recording.ts";
import { errorFromBody } from "../../src/recording/stored-capture.ts";
import { declaredFields, type FieldType, modelOfType } from "../../src/refresh/openai-fields.ts";

type Plain = Record<string, unknown>;

export interface StoredFile {
  text: string;
  recording: Recording;
  /** The file's base name, which carries its request hash. */
  name: string;
}

/** Reads a recording file; throws when it is not a valid recording. */
export function readStoredFile(file: string): StoredFile {
  const text = readFileSync(file, "utf8");
  const result = readRecording(text, file);
  if (!result.ok) throw new Error(`${file}: ${result.errors.join("; ")}`);
  return { text, recording: result.recording, name: path.basename(file) };
}

/** A deterministic generator of "random" ids and timestamps, so failures reproduce. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The live answer for the content `recording` stored. */
export function liveCapture(recording: Recording, seed = 1): Capture {
  const random = randomSource(seed);
  const response = recording.response;
  const endpoint = recording.replay ?? "passthrough";
  if (recording.kind === "http-passthrough") {
    const status = typeof response.status === "number" ? response.status : 200;
    return {
      endpoint,
      streaming: recording.streaming,
      status,
      body: wire(response.body ?? null),
      error: null,
    };
  }
  if (recording.kind === "google-genai") {
    // The SDK's dump as Vertex sends it: without the HTTP headers the SDK adds.
    const strip = (item: JsonValue) => {
      const { sdk_http_response: _, ...rest } = toPlain(item) as Plain;
      return rest;
    };
    const body = response.body as JsonValue;
    return {
      endpoint,
      streaming: recording.streaming,
      status: 200,
      body: Array.isArray(body) ? body.map(strip) : strip(body),
      error: null,
    };
  }
  const requestBody = recording.request.body;
  const streaming = isJsonObject(requestBody) && requestBody.stream === true;
  const items = Array.isArray(response.body) ? response.body : response.body ? [response.body] : [];
  const objects = items.map((item) => liveObject(item as JsonObject, recording.layout === "current", random));
  const listBody = streaming || endpoint === "models";
  if (response.is_exception === true) return liveError(response, endpoint, streaming, objects);
  return { endpoint, streaming, status: 200, body: listBody ? objects : objects[0], error: null };
}

/** A refusal: the error body is what openai-python quoted with repr() in the stored message. */
function liveError(
  response: JsonObject,
  endpoint: Capture["endpoint"],
  streaming: boolean,
  chunks: unknown[],
): Capture {
  const data = response.exception_data as JsonObject;
  const message = data.message as string;
  if (response.is_streaming === true) {
    return {
      endpoint,
      streaming,
      status: 200,
      body: chunks,
      error: { status: null, type: null, code: null, message },
    };
  }
  const status = Number(data.status_code);
  const quoted = /^Error code: \d+ - /.exec(message);
  const body = quoted ? parsePythonLiteral(message.slice(quoted[0].length)) : message;
  return { endpoint, streaming, status, body, error: errorFromBody(body, status, message) };
}

const DURATIONS = ["total_duration", "load_duration", "prompt_eval_duration", "eval_duration"];

/** One wrapped response object as the wire sent it, with what the recorder normalized made fresh. */
function liveObject(wrapped: JsonObject, normalized: boolean, random: () => number): unknown {
  const data = wrapped.__data__ as JsonObject;
  const live = wireModel(data, modelOfType(wrapped.__type__ as string) ?? null);
  if (normalized) {
    if (data.object !== "model") {
      if (typeof live.id === "string") live.id = `chatcmpl-${Math.floor(random() * 2 ** 48).toString(36)}`;
      if ("created" in live) live.created = 1_700_000_000 + Math.floor(random() * 50_000_000);
    }
    if ("created_at" in live) live.created_at = new Date(1_700_000_000_000 + random() * 1e11).toISOString();
    for (const key of DURATIONS) {
      if (typeof live[key] === "number") live[key] = Math.floor(random() * 1e10);
    }
  }
  return wire(live);
}

/**
 * A dumped model as the wire had it: extras first, in their stored order (the recorder kept the
 * wire's), then the declared fields in reverse, those that were null left out.
 */
function wireModel(data: JsonObject, modelName: string | null): Plain {
  const fields = modelName ? declaredFields(modelName) : undefined;
  if (!fields) return toPlain(data) as Plain;
  const types = new Map(fields.map((field) => [field.name, field.type]));
  const keys = objectKeys(data);
  const live: Plain = {};
  for (const key of keys) {
    if (!types.has(key)) live[key] = toPlain(data[key] as JsonValue);
  }
  for (const key of keys.slice().reverse()) {
    const value = data[key] as JsonValue;
    const type = types.get(key);
    if (type !== undefined && value !== null) live[key] = wireField(value, type);
  }
  return live;
}

function wireField(value: JsonValue, type: FieldType): unknown {
  if (typeof type === "string" || "dict" in type) return toPlain(value);
  if ("list" in type)
    return Array.isArray(value) ? value.map((item) => wireField(item, type.list)) : toPlain(value);
  if (!isJsonObject(value)) return toPlain(value);
  if ("model" in type) return wireModel(value, type.model);
  const tag = value.type;
  return wireModel(
    value,
    (typeof tag === "string" ? type.byType[tag] : undefined) ?? (Object.values(type.byType)[0] as string),
  );
}

/** Through JSON text and back, as a live body arrives: `1.0` becomes `1`, key order as JS keeps it. */
function wire(value: unknown): unknown {
  return JSON.parse(JSON.stringify(toPlain(value as JsonValue)));
}

/** Parses a Python literal of dicts, lists, strings, numbers, True, False and None. */
export function parsePythonLiteral(text: string): unknown {
  let pos = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at ${pos} in ${text.slice(0, 80)}`);
  };
  const skip = () => {
    while (text[pos] === " ") pos++;
  };
  const expect = (ch: string) => {
    skip();
    if (text[pos] !== ch) fail(`expected ${ch}`);
    pos++;
  };
  const items = <T>(close: string, item: () => T): T[] => {
    const out: T[] = [];
    skip();
    while (text[pos] !== close) {
      out.push(item());
      skip();
      if (text[pos] === ",") pos++;
      skip();
    }
    pos++;
    return out;
  };
  const string = (): string => {
    const quote = text[pos++];
    let out = "";
    while (text[pos] !== quote) {
      if (pos >= text.length) fail("unterminated string");
      if (text[pos] !== "\\") {
        out += text[pos++];
        continue;
      }
      const e = text[pos + 1] as string;
      const width = { x: 2, u: 4, U: 8 }[e];
      if (width) {
        out += String.fromCodePoint(Number.parseInt(text.slice(pos + 2, pos + 2 + width), 16));
        pos += 2 + width;
      } else {
        out += { n: "\n", r: "\r", t: "\t" }[e] ?? e;
        pos += 2;
      }
    }
    pos++;
    return out;
  };
  const value = (): unknown => {
    skip();
    const ch = text[pos];
    if (ch === "{") {
      pos++;
      const entries = items("}", () => {
        skip();
        const key = string();
        expect(":");
        return [key, value()] as const;
      });
      return Object.fromEntries(entries);
    }
    if (ch === "[") {
      pos++;
      return items("]", value);
    }
    if (ch === "'" || ch === '"') return string();
    const word =
      /^(True|False|None|-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)/.exec(text.slice(pos))?.[0] ??
      fail("unexpected character");
    pos += word.length;
    return word === "True" ? true : word === "False" ? false : word === "None" ? null : Number(word);
  };
  const result = value();
  skip();
  if (pos !== text.length) fail("unexpected text after the literal");
  return result;
}
