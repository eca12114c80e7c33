// Whether a recording's file name is still the hash of its request under today's rules
// (spec §4, §5). A mismatch means the replaying test can never find the file (e.g. its
// `test_id` was edited by hand) — or that it predates a rule change.
import path from "node:path";
import { isJsonObject, type JsonObject, type JsonValue } from "./json-value.ts";
import type { Recording } from "./recording.ts";
import {
  hashNormalized,
  httpHashInput,
  inferenceHashInput,
  isModelListEndpoint,
  modelIdsDigest,
  toolHashInput,
} from "./request-hash.ts";

export type HashResult = "match" | "mismatch" | "n/a";

/**
 * What the recorder hashes to name this recording, test id included: two versions of a recording
 * ask the same thing exactly when these are equal (a host, SDK versions or a `__type__` path
 * change nothing here). Null for kinds without a hash.
 */
export function requestHashInput(recording: Recording): JsonObject | null {
  // The kind's schema has checked that these fields are present (a missing test_id stays undefined).
  const req = (key: string) => recording.request[key] as JsonValue;
  switch (recording.kind) {
    case "tool-invocation":
      return toolHashInput(req("provider"), req("tool_name"), req("kwargs"));
    case "file-processor":
      return null;
    case "http-passthrough":
      return httpHashInput(req("url") as string, req("method") as string, req("payload"), req("test_id"));
    default:
      return inferenceHashInput(
        req("method") as string,
        req("url") as string,
        req("body"),
        recording.data.test_id,
      );
  }
}

/** The request hash the recorder would name this recording by, or null for kinds without one. */
export function requestHash(recording: Recording): string | null {
  const input = requestHashInput(recording);
  return input === null ? null : hashNormalized(input);
}

/** The file name the recorder would write this recording under, or null when unknown. */
export function expectedFileName(recording: Recording): string | null {
  const hash = requestHash(recording);
  if (hash === null) return null;
  if (recording.layout === "2025-08") return `${hash.slice(0, 12)}.json`;
  const endpoint = recording.endpoint;
  if (endpoint !== null && isModelListEndpoint(endpoint) && recording.kind === "model-list") {
    const ids = modelIds(recording.response.body, endpoint);
    return `models-${hash}-${modelIdsDigest(ids)}.json`;
  }
  return `${hash}.json`;
}

export function checkFileName(recording: Recording, file: string): HashResult {
  const expected = expectedFileName(recording);
  if (expected === null) return "n/a";
  return path.basename(file) === expected ? "match" : "mismatch";
}

/** Model ids of a model-list body: Ollama `/api/tags` uses `model`, OpenAI-style `id`. */
export function modelIds(body: JsonValue | undefined, endpoint: string): string[] {
  const field = endpoint === "/api/tags" ? "model" : "id";
  const unwrapped = isJsonObject(body) && isJsonObject(body.__data__) ? body.__data__ : body;
  const items = isJsonObject(unwrapped) && Array.isArray(unwrapped.models) ? unwrapped.models : unwrapped;
  if (!Array.isArray(items)) return [];
  return items.flatMap((item) => {
    const data = isJsonObject(item) && isJsonObject(item.__data__) ? (item.__data__ as JsonObject) : item;
    const id = isJsonObject(data) ? data[field] : undefined;
    return typeof id === "string" ? [id] : [];
  });
}
