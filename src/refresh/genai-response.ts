// A google-genai recording's response from a live Vertex AI answer, in the recorder's layout: the
// SDK's GenerateContentResponse dump (snake_case, as replay/ captured it), keys in the stored
// order, floats as the stored file has them; a stream as its list of responses. The SDK also
// dumps `sdk_http_response` (the HTTP headers); a capture keeps no headers, so each refreshed
// response carries the stored one's.

import type { Capture } from "../capture.ts";
import {
  isJsonObject,
  type JsonObject,
  type JsonValue,
  newJsonObject,
  objectKeys,
  setKey,
} from "../recording/json-value.ts";
import { dumpRaw, isPlainObject } from "./pydantic-dump.ts";
import { buildTemplate } from "./stored-template.ts";

export function refreshGenaiResponse(stored: JsonObject, live: Capture): JsonObject {
  if (live.error) {
    throw new TypeError(
      `a google-genai call answered ${live.status} is not refreshed: ${live.error.message}`,
    );
  }
  const storedItems = Array.isArray(stored.body) ? stored.body : [stored.body ?? null];
  const template = buildTemplate(storedItems);
  const headers = storedItems.find(isJsonObject)?.sdk_http_response;
  const dump = (item: unknown): JsonValue => {
    if (!isPlainObject(item)) throw new TypeError("the live google-genai answer holds a non-object response");
    return dumpRaw(headers === undefined ? item : { sdk_http_response: headers, ...item }, template);
  };
  if (live.streaming !== Array.isArray(live.body)) {
    throw new TypeError(`the live google-genai answer is ${live.streaming ? "not a stream" : "a stream"}`);
  }
  const body = Array.isArray(live.body) ? live.body.map(dump) : dump(live.body);
  const response = newJsonObject();
  for (const key of objectKeys(stored))
    setKey(response, key, key === "body" ? body : (stored[key] as JsonValue));
  return response;
}
