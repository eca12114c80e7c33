// The view of an answer that is an error: a refusal, or a stream that broke after it started.

import type { Capture } from "../capture.ts";
import { errorFromBody } from "../recording/stored-capture.ts";
import { isPlainObject } from "./plain-json.ts";
import type { ErrorView } from "./semantic-view.ts";

/** The error view of a capture, or null when the provider answered normally. */
export function errorView(capture: Capture): ErrorView | null {
  // The replay sets `error`; a passthrough answer may only carry its status, so read the body.
  // Some providers answer 200 with an `error` body instead of an answer: that is a failure too.
  const errorIn200 =
    capture.status < 400 && isPlainObject(capture.body) && isPlainObject(capture.body.error)
      ? errorFromBody(capture.body, capture.status, "error in a 200 answer")
      : null;
  const error =
    capture.error ??
    errorIn200 ??
    (capture.status >= 400 ? errorFromBody(capture.body, capture.status, `HTTP ${capture.status}`) : null);
  if (!error) return null;
  const broken = Array.isArray(capture.body) && capture.body.length > 0;
  return {
    kind: "error",
    status: error.status ?? (capture.status >= 400 ? capture.status : null),
    type: error.type,
    code: error.code,
    message: error.message,
    broken,
  };
}
