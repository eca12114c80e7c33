// What one HTTP attempt came to: an answer to keep (success, or a refusal the test expects),
// something worth retrying (408, 409, 429, 5xx, a failed connection), or a failure with its cause
// in words. Only statuses that say something about the request are answers: 400, 404, 422 and
// the status the recording itself stored.

import { STATUS_CODES } from "node:http";
import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import type { Capture, Endpoint, ProviderError } from "../capture.ts";
import { errorFromBody } from "../recording/stored-capture.ts";
import { BrokenAnswerError, StreamBrokenError } from "./guarded-fetch.ts";
import { CredentialRejectedError } from "./profiles/iam-token.ts";
import { HttpStatusError, RequestTimeoutError } from "./send-http.ts";
import { errorBodyOf } from "./send-openai.ts";

export type AttemptOutcome =
  | { kind: "answer"; capture: Capture }
  | { kind: "retry"; cause: string; retryAfterMs: number | null }
  | { kind: "fail"; cause: string }
  /** The provider refused the credentials (401/403): no later request to it can do better. */
  | { kind: "unauthorized"; status: number; cause: string };

export interface AttemptContext {
  endpoint: Endpoint;
  answerStatuses: ReadonlySet<number>;
  requestMs: number;
}

/** Statuses that answer the request rather than report trouble on the way. */
export const ANSWER_STATUSES: readonly number[] = [400, 404, 422];

/** openai-node caps a server-requested wait at 60 s; so do we. */
export const MAX_RETRY_AFTER_MS = 60_000;

export function classifyError(error: unknown, context: AttemptContext): AttemptOutcome {
  const status = statusOf(error);
  if (status !== null) return classifyStatus(status, context);
  const fail = (cause: string): AttemptOutcome => ({ kind: "fail", cause });
  const rejected = findCause(error, CredentialRejectedError);
  if (rejected !== null) return { kind: "unauthorized", status: rejected.status, cause: rejected.message };
  if (error instanceof APIConnectionTimeoutError || error instanceof RequestTimeoutError) {
    return fail(`request timed out after ${context.requestMs} ms`);
  }
  if (error instanceof StreamBrokenError) return fail(describeStreamBreak(error));
  const broken = findCause(error, BrokenAnswerError);
  if (broken !== null) return fail(broken.message);
  if (
    error instanceof APIConnectionError ||
    (error instanceof TypeError && error.message === "fetch failed")
  ) {
    return { kind: "retry", cause: describeConnectionError(error), retryAfterMs: null };
  }
  if (error instanceof SyntaxError) return fail(`invalid JSON in the response body: ${error.message}`);
  return fail(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}

interface StatusFailure {
  status: number;
  headers: Headers | undefined;
  error: ProviderError;
  /** The error body, kept for passthrough (the recorder stores it there too). */
  body: unknown;
}

function statusOf(error: unknown): StatusFailure | null {
  if (error instanceof HttpStatusError) {
    const fallback =
      typeof error.body === "string" && error.body !== "" ? error.body.slice(0, 500) : error.message;
    const providerError = errorFromBody(error.body, error.status, fallback);
    return { status: error.status, headers: error.headers, error: providerError, body: error.body };
  }
  if (error instanceof APIError && typeof error.status === "number") {
    // openai-node keeps only the body's `error` member; the whole body is kept beside it.
    const providerError = errorFromBody(error.error, error.status, error.message.replace(/^\d+ /, ""));
    return { status: error.status, headers: error.headers, error: providerError, body: errorBodyOf(error) };
  }
  return null;
}

function classifyStatus(failure: StatusFailure, context: AttemptContext): AttemptOutcome {
  const { status, headers, error, body } = failure;
  if (context.answerStatuses.has(status)) {
    // A refusal comes before any stream, so it is not one (the recorder stores it that way too).
    return { kind: "answer", capture: { endpoint: context.endpoint, streaming: false, status, body, error } };
  }
  const label = `${status} ${STATUS_CODES[status] ?? "Unknown Status"}`;
  if (status === 401 || status === 403) {
    return { kind: "unauthorized", status, cause: `${label}: ${error.message}` };
  }
  const shouldRetry = headers?.get("x-should-retry");
  const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
  if (shouldRetry === "true" || (retryable && shouldRetry !== "false")) {
    return { kind: "retry", cause: label, retryAfterMs: retryAfterMs(headers) };
  }
  return { kind: "fail", cause: `${label}: ${error.message}` };
}

/** The wait the server asked for (`retry-after-ms`, else `retry-after` in seconds or as a date). */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | null {
  const ms = Number.parseFloat(headers?.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, MAX_RETRY_AFTER_MS);
  const value = headers?.get("retry-after")?.trim();
  if (!value) return null;
  const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  return Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0), MAX_RETRY_AFTER_MS) : null;
}

function describeStreamBreak(error: StreamBrokenError): string {
  const cause = error.cause;
  const broken = findCause(cause, BrokenAnswerError);
  if (broken !== null) return broken.message;
  if (cause instanceof APIError && cause.status === undefined) {
    const inner = isObject(cause.error) ? cause.error : {};
    const message = typeof inner.message === "string" ? inner.message : cause.message;
    return `error event mid-stream: ${message}`;
  }
  if (cause instanceof SyntaxError) return `invalid JSON in a stream event: ${cause.message}`;
  return `${error.message}: ${describeConnectionError(cause)}`;
}

const CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  UND_ERR_SOCKET: "connection closed by the server",
  ENOTFOUND: "host not found",
  ETIMEDOUT: "connection timed out",
};

/** The innermost useful words of a connection failure (undici nests them in `cause`). */
function describeConnectionError(error: unknown): string {
  let innermost = "connection error";
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === "string") return `${CONNECTION_CODES[code] ?? e.message} (${code})`;
    innermost = e.message;
  }
  return innermost;
}

function findCause<T extends Error>(error: unknown, type: new (...args: never[]) => T): T | null {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (e instanceof type) return e;
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
