// From a stored recording and what the live provider said now, the recording llama-stack's Python
// recorder would have written for that answer: the same request nodes, the response dumped
// through openai-python's models, normalized as the recorder normalizes (spec §4, §6).
// `writeRecordingText(refreshRecording(...))` is the new file's bytes.

import type { Capture } from "../capture.ts";
import {
  isJsonObject,
  type JsonObject,
  type JsonValue,
  newJsonObject,
  objectKeys,
  setKey,
} from "../recording/json-value.ts";
import type { Recording, RecordingKind } from "../recording/recording.ts";
import { refreshGenaiResponse } from "./genai-response.ts";
import { modelOfType, responseTypeOf } from "./openai-fields.ts";
import { dumpModel, dumpRaw, isPlainObject } from "./pydantic-dump.ts";
import { recordedErrorResponse } from "./recorded-error.ts";
import { normalizeRecorded } from "./recorder-normalization.ts";
import { recordedIdHash } from "./refreshed-file-name.ts";
import { buildTemplate } from "./stored-template.ts";

const INFERENCE_KINDS: ReadonlySet<RecordingKind> = new Set([
  "chat-completion",
  "chat-completion-stream",
  "completion",
  "embeddings",
  "model-list",
  "recorded-error",
]);

/** Whether `refreshRecording` can rewrite this kind of recording from a live answer. */
export function canRefresh(recording: Recording): boolean {
  return (
    recording.kind === "http-passthrough" ||
    recording.kind === "google-genai" ||
    (INFERENCE_KINDS.has(recording.kind) && recording.replay !== null)
  );
}

/** The whole refreshed file. `fileName` (a name or path) tells the request hash ids are normalized with. */
export function refreshRecording(recording: Recording, live: Capture, fileName: string): JsonObject {
  const response =
    recording.kind === "http-passthrough"
      ? refreshPassthrough(recording.response, live)
      : recording.kind === "google-genai"
        ? refreshGenaiResponse(recording.response, live)
        : refreshInference(recording, live, fileName);
  const out = newJsonObject();
  for (const key of objectKeys(recording.data)) {
    setKey(out, key, key === "response" ? response : (recording.data[key] as JsonValue));
  }
  return out;
}

function refreshInference(recording: Recording, live: Capture, fileName: string): JsonObject {
  const family = recording.replay;
  if (!canRefresh(recording) || family === null) {
    throw new TypeError(
      `a ${recording.kind} recording cannot be refreshed: ${recording.notReplayable ?? "no live answer"}`,
    );
  }
  const stored = recording.response;
  const storedObjects = wrappedObjects(stored.body);
  const pythonType = storedObjects[0]?.type ?? responseTypeOf(family, live.streaming);
  if (pythonType === undefined) throw new TypeError(`no response type is known for ${family}`);
  const sameType = storedObjects.filter((o) => o.type === pythonType).map((o) => o.data);
  const template = buildTemplate(sameType);
  const modelName = modelOfType(pythonType) ?? null;
  // The 2025-08 recorder stored ids and timestamps as the provider sent them.
  const hash = recordedIdHash(recording, fileName);

  // A stream of as many chunks as the stored one is best described chunk by chunk: some
  // providers send a null field in some chunks only (vLLM's stop_reason), which a template of
  // all chunks cannot tell apart from a field the provider no longer sends.
  const liveCount = Array.isArray(live.body) ? live.body.length : -1;
  const chunkTemplates =
    live.streaming && liveCount === sameType.length ? sameType.map((d) => buildTemplate([d])) : null;
  const wrap = (item: unknown, index: number): JsonObject => {
    if (!isPlainObject(item)) {
      throw new TypeError(`the live ${family} answer holds a non-object where a response object belongs`);
    }
    const data = dumpModel(item, modelName, chunkTemplates?.[index] ?? template);
    if (hash !== null) normalizeRecorded(data, hash);
    const wrapped = newJsonObject();
    wrapped.__type__ = pythonType;
    wrapped.__data__ = data;
    return wrapped;
  };

  if (live.error) {
    // Chunks under a success status mean the stream started and then broke.
    const started = live.streaming && live.status < 400 && Array.isArray(live.body);
    const brokenStream = started ? (live.body as unknown[]).map(wrap) : null;
    return recordedErrorResponse(stored, live, brokenStream);
  }
  // Streams store their chunks, model lists their models: both are lists.
  const isList = live.streaming || family === "models";
  const response = newJsonObject();
  if (isList && !Array.isArray(live.body)) throw new TypeError(`the live ${family} answer is not a list`);
  response.body = isList ? (live.body as unknown[]).map(wrap) : wrap(live.body, 0);
  // A stored error says `is_streaming: false` even for a stream; the recorder writes the request's `stream`.
  response.is_streaming =
    stored.is_exception === true ? streamRequested(recording) : stored.is_streaming === true;
  return response;
}

function streamRequested(recording: Recording): boolean {
  const body = recording.request.body;
  return isJsonObject(body) && body.stream === true;
}

interface WrappedObject {
  type: string;
  data: JsonValue;
}

function wrappedObjects(body: JsonValue | undefined): WrappedObject[] {
  const items = Array.isArray(body) ? body : body === undefined || body === null ? [] : [body];
  return items.flatMap((item) =>
    isJsonObject(item) && typeof item.__type__ === "string"
      ? [{ type: item.__type__, data: item.__data__ as JsonValue }]
      : [],
  );
}

/**
 * HTTP passthrough stores the provider's JSON (or SSE lines) as it came, so the live body is
 * written as sent; keys keep the stored response's order (streams store no status).
 */
function refreshPassthrough(stored: JsonObject, live: Capture): JsonObject {
  const response = newJsonObject();
  for (const key of objectKeys(stored)) {
    const value =
      key === "status"
        ? live.status
        : key === "body"
          ? dumpRaw(live.body, buildTemplate([stored.body as JsonValue]))
          : stored[key];
    setKey(response, key, value as JsonValue);
  }
  return response;
}
