// What a recording stored, as a `Capture`: the same shape the replay produces for a live answer,
// so compare/ judges the two without knowing which is which. Works on the plain `JSON.parse`
// result of a whole recording file.

import type { AnswerFamily, Capture, ProviderError } from "../capture.ts";
import { isJsonObject, type JsonObject, setPlainKey } from "./json-value.ts";

/** Removes the recorder's `{"__type__", "__data__"}` wrappers, at any depth. */
function unwrap(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrap);
  if (!isJsonObject(value)) return value;
  if (typeof value.__type__ === "string" && "__data__" in value) return unwrap(value.__data__);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) setPlainKey(out, key, unwrap(item));
  return out;
}

function stringOrNull(value: unknown): string | null {
  if (typeof value === "string") return value;
  return typeof value === "number" ? String(value) : null;
}

/**
 * The provider error an error body describes. Bodies come as `{error: {type, code, message}}`
 * (OpenAI wire, Anthropic, Gemini) or, in `exception_data.body`, already as the inner object.
 */
export function errorFromBody(body: unknown, status: number | null, fallbackMessage: string): ProviderError {
  const inner = isJsonObject(body) && isJsonObject(body.error) ? body.error : isJsonObject(body) ? body : {};
  return {
    status,
    type: stringOrNull(inner.type),
    code: stringOrNull(inner.code),
    message: stringOrNull(inner.message) ?? fallbackMessage,
  };
}

function recordedException(response: JsonObject, streaming: boolean, endpoint: AnswerFamily): Capture {
  const data = isJsonObject(response.exception_data) ? response.exception_data : {};
  const status = typeof data.status_code === "number" ? data.status_code : 500;
  const fallback = stringOrNull(response.exception_message) ?? stringOrNull(data.message) ?? "";
  return {
    endpoint,
    streaming,
    status,
    // A stream that broke mid-way keeps the chunks it received.
    body: response.body === null || response.body === undefined ? null : unwrap(response.body),
    error: errorFromBody(data.body, status, fallback),
  };
}

/** The Capture a recording stored, for the endpoint family the caller resolved. */
export function storedCapture(recording: unknown, endpoint: AnswerFamily): Capture {
  const response = isJsonObject(recording) && isJsonObject(recording.response) ? recording.response : {};
  const streaming = response.is_streaming === true;
  if (response.is_exception === true) return recordedException(response, streaming, endpoint);
  const body = unwrap(response.body ?? null);
  // HTTP passthrough stores the status (absent on streams, which only record a 200's lines).
  const status = typeof response.status === "number" ? response.status : 200;
  return {
    endpoint,
    streaming,
    status,
    body,
    error: status >= 400 ? errorFromBody(body, status, `HTTP ${status}`) : null,
  };
}
