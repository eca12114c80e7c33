// Sends an HTTP passthrough recording (Anthropic-style `/v1/messages`, Gemini `interactions`)
// with plain fetch. A streaming answer is kept as its raw SSE lines, the way the recorder stored
// them; other answers as their JSON body.

import type { Capture } from "../capture.ts";
import { authorizedFetch } from "./authorized-fetch.ts";
import type { Credentials } from "./credentials.ts";
import {
  BrokenAnswerError,
  checkNesting,
  guardedFetch,
  isEventStream,
  StreamBrokenError,
} from "./guarded-fetch.ts";
import type { RequestBounds } from "./send-openai.ts";
import type { WireRequest } from "./types.ts";

/** A passthrough answer with an error status, for the scheduler to judge. */
export class HttpStatusError extends Error {
  override name = "HttpStatusError";
  constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly body: unknown,
  ) {
    super(`${status} ${typeof body === "string" ? body.slice(0, 200) : JSON.stringify(body)}`);
  }
}

/** The request ran out of time before its answer (or, for a stream, its headers) arrived. */
export class RequestTimeoutError extends Error {
  override name = "RequestTimeoutError";
  constructor(readonly ms: number) {
    super(`request timed out after ${ms} ms`);
  }
}

export async function sendHttp(
  wire: WireRequest,
  credentials: Credentials,
  timeouts: RequestBounds,
  /** Aborts the request in flight (the run was interrupted). */
  stop?: AbortSignal,
): Promise<Capture> {
  const url = new URL(wire.baseURL + wire.path);
  for (const [k, v] of Object.entries({ ...credentials.query, ...wire.query })) url.searchParams.set(k, v);
  const headers: Record<string, string> = {
    accept: wire.streaming ? "text/event-stream" : "application/json",
    ...credentials.headers,
    ...wire.headers,
  };
  if (wire.body !== null) headers["content-type"] = "application/json";
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new RequestTimeoutError(timeouts.requestMs)),
    timeouts.requestMs,
  );
  try {
    const fetchGuarded = authorizedFetch(guardedFetch({ ...timeouts, requireDone: false }), credentials.auth);
    const response = await fetchGuarded(url, {
      method: wire.method,
      headers,
      body: wire.body === null ? undefined : JSON.stringify(wire.body),
      signal: stop ? AbortSignal.any([controller.signal, stop]) : controller.signal,
    });
    if (isEventStream(response.headers)) {
      // Once its headers are in, a stream is bounded by the guard (idle data, the whole request).
      clearTimeout(timer);
      const lines = splitLines(
        await response.text().catch((error) => Promise.reject(new StreamBrokenError(null, error))),
      );
      if (!response.ok) throw new HttpStatusError(response.status, response.headers, lines.join("\n"));
      return { endpoint: "passthrough", streaming: true, status: response.status, body: lines, error: null };
    }
    const body = parseBody(await response.text(), response);
    if (!response.ok) throw new HttpStatusError(response.status, response.headers, body);
    return { endpoint: "passthrough", streaming: false, status: response.status, body, error: null };
  } catch (error) {
    throw controller.signal.aborted ? controller.signal.reason : error;
  } finally {
    clearTimeout(timer);
  }
}

/** Lines as Python's `iter_lines` gives them: no terminators, no empty line after the last one. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** A successful answer must be JSON; an error page may be text and is kept as such. */
function parseBody(text: string, response: Response): unknown {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    if (!response.ok) return text;
    const type = response.headers.get("content-type") ?? "no content-type";
    throw new BrokenAnswerError(`expected a JSON body, got ${type}: ${(error as Error).message}`);
  }
  checkNesting(body);
  return body;
}
