// The response the recorder stores when the provider refused (spec §2): openai-python raised, and
// llama-stack's `serialize_exception` wrote the exception's class, message and body.
//
// For an HTTP error openai-python's message is `Error code: <status> - <repr(parsed body)>`, so
// the refresher needs the whole error body the provider sent: for a refusal (status >= 400) it
// reads `live.body` as that parsed body when the replay kept it there, and otherwise rebuilds the
// usual `{"error": {message, type, param, code}}` from `live.error` (in the key order the stored
// error body had).

import type { Capture } from "../capture.ts";
import {
  isJsonObject,
  type JsonObject,
  type JsonValue,
  newJsonObject,
  objectKeys,
} from "../recording/json-value.ts";
import { dumpRaw, isPlainObject } from "./pydantic-dump.ts";
import { pythonRepr } from "./python-repr.ts";
import { buildTemplate, mergeKeyOrder } from "./stored-template.ts";

/** openai-python's exception class for each status (`_make_status_error`). */
const ERROR_CLASSES: Record<number, string> = {
  400: "BadRequestError",
  401: "AuthenticationError",
  403: "PermissionDeniedError",
  404: "NotFoundError",
  409: "ConflictError",
  422: "UnprocessableEntityError",
  429: "RateLimitError",
};

export function errorClassOf(status: number): string {
  return ERROR_CLASSES[status] ?? (status >= 500 ? "InternalServerError" : "APIStatusError");
}

const OPENAI_ERROR_KEYS = ["message", "type", "param", "code"];

/**
 * The recorded-error response for a live answer with an error. `brokenStream` holds the dumped
 * chunks when a stream broke after it started, and is null when the request was refused outright.
 */
export function recordedErrorResponse(
  stored: JsonObject,
  live: Capture,
  brokenStream: JsonValue[] | null,
): JsonObject {
  const exception = brokenStream ? streamException(live) : statusException(stored, live);
  const message = exception.message as string;
  const response = newJsonObject();
  // A refused request raised before any chunk arrived, so the recorder wrote `is_streaming: false`.
  response.body = brokenStream;
  response.is_streaming = brokenStream !== null;
  response.is_exception = true;
  response.exception_data = exception;
  response.exception_message = message;
  return response;
}

/**
 * openai-python raises a plain `APIError` (no status code) for an error event inside a stream,
 * which `serialize_exception` files under the "unknown" category with only its type and message.
 */
function streamException(live: Capture): JsonObject {
  const data = newJsonObject();
  data.category = "unknown";
  data.type = "APIError";
  data.message = live.error?.message || "An error occurred during streaming";
  return data;
}

function statusException(stored: JsonObject, live: Capture): JsonObject {
  const status = live.error?.status ?? live.status;
  if (status < 400) {
    throw new RangeError(`a live error with HTTP status ${status} is not a refusal the recorder stores`);
  }
  const storedData = isJsonObject(stored.exception_data) ? stored.exception_data : newJsonObject();
  const sent = errorResponseBody(live, storedData.body);
  // `_make_status_error_from_response`: a JSON body is quoted by its repr, other text kept stripped.
  const body = typeof sent === "string" ? sent.trim() : sent;
  const message =
    typeof body === "string"
      ? body || `Error code: ${status}`
      : `Error code: ${status} - ${pythonRepr(body)}`;
  // `_make_status_error` hands the exception the body's `error` member when it has one.
  const inner = isPlainObject(body) && Object.hasOwn(body, "error") ? body.error : body;
  const data = newJsonObject();
  data.category = typeof storedData.category === "string" ? storedData.category : "provider_sdk";
  data.provider = typeof storedData.provider === "string" ? storedData.provider : "openai";
  data.type = errorClassOf(status);
  data.message = message;
  data.status_code = status;
  data.body = dumpRaw(inner, buildTemplate(storedData.body === undefined ? [] : [storedData.body]));
  return data;
}

function errorResponseBody(live: Capture, storedBody: JsonValue | undefined): unknown {
  if (live.body !== null && live.body !== undefined) return live.body;
  const error = live.error;
  const values: Record<string, unknown> = {
    message: error?.message ?? "",
    type: error?.type ?? null,
    param: null,
    code: error?.code ?? null,
  };
  const storedOrder = isJsonObject(storedBody) ? objectKeys(storedBody).filter((key) => key in values) : [];
  const inner: Record<string, unknown> = {};
  for (const key of mergeKeyOrder(storedOrder, OPENAI_ERROR_KEYS)) inner[key] = values[key];
  return { error: inner };
}
