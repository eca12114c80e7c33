// Writes an answer on the wire the way an OpenAI-compatible server does (JSON, or SSE ending in
// `data: [DONE]`), bent by at most one fault.

import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { Answer } from "./answers.ts";
import type { Fault } from "./faults.ts";

const DEFAULT_HUGE_BYTES = 10 * 1024 * 1024;
const INVALID_UTF8 = Buffer.from([0xff, 0xfe]);

const ERROR_TEXT: Record<number, [type: string, message: string]> = {
  401: ["invalid_request_error", "Incorrect API key provided."],
  403: ["permission_denied", "You are not allowed to sample from this model."],
  408: ["timeout", "Request timed out."],
  429: ["rate_limit_exceeded", "Rate limit reached for requests."],
  500: ["server_error", "The server had an error while processing your request."],
  503: ["server_error", "The engine is currently overloaded, please try again later."],
};

export function errorBody(status: number): unknown {
  const [type, message] = ERROR_TEXT[status] ?? ["server_error", `Simulated ${status}.`];
  return { error: { message, type, param: null, code: status === 429 ? "rate_limit_exceeded" : null } };
}

function baseHeaders(contentType: string): Record<string, string> {
  return { "content-type": contentType, "x-request-id": `req_${randomBytes(12).toString("hex")}` };
}

export function writeAnswer(res: ServerResponse, answer: Answer, fault: Fault | null): void {
  switch (fault?.kind) {
    case "no-headers":
      return; // the connection stays open until the client gives up
    case "html-200":
      res.writeHead(200, baseHeaders("text/html; charset=utf-8"));
      res.end("<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>\n");
      return;
    case "raw":
      res.writeHead(fault.status, baseHeaders(fault.contentType ?? "application/json"));
      res.end(fault.body);
      return;
    case "echo-headers": {
      const headers = { ...res.req.headers };
      const message = `Rejected request with headers ${JSON.stringify(headers)}`;
      res.writeHead(fault.status, baseHeaders("application/json"));
      res.end(JSON.stringify({ error: { message, type: "invalid_request_error", param: null, headers } }));
      return;
    }
    case "status": {
      const headers: Record<string, string> = { ...baseHeaders("application/json"), ...fault.headers };
      if (fault.retryAfter !== undefined) headers["retry-after"] = fault.retryAfter;
      if (fault.retryAfterMs !== undefined) headers["retry-after-ms"] = fault.retryAfterMs;
      res.writeHead(fault.status, headers);
      res.end(JSON.stringify(fault.body ?? errorBody(fault.status)));
      return;
    }
  }
  if (answer.kind === "json") writeJson(res, answer.status, answer.body, fault);
  else writeEvents(res, answer, fault);
}

function writeJson(res: ServerResponse, status: number, body: unknown, fault: Fault | null): void {
  let bytes: Buffer = Buffer.from(JSON.stringify(body));
  if (fault?.kind === "huge") bytes = padJson(bytes, fault.bytes ?? DEFAULT_HUGE_BYTES);
  if (fault?.kind === "invalid-utf8") bytes = corrupt(bytes);
  if (fault?.kind === "truncated-json") bytes = bytes.subarray(0, Math.floor(bytes.length / 2));
  if (fault?.kind === "stall" || fault?.kind === "reset") {
    // Promise the whole body, send half: the client waits (stall) or sees the reset.
    res.writeHead(status, { ...baseHeaders("application/json"), "content-length": String(bytes.length) });
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => {
      if (fault.kind === "reset") resetSoon(res);
    });
    return;
  }
  res.writeHead(status, { ...baseHeaders("application/json"), "content-length": String(bytes.length) });
  res.end(bytes);
}

function writeEvents(
  res: ServerResponse,
  answer: Exclude<Answer, { kind: "json" }>,
  fault: Fault | null,
): void {
  res.writeHead(answer.status, {
    ...baseHeaders("text/event-stream; charset=utf-8"),
    "cache-control": "no-cache",
  });
  // Raw lines (a passthrough stream) are cut into events at their blank lines; only the faults
  // that do not assume `data: {json}` events apply to them.
  const lines = answer.kind === "sse-lines";
  const events: Buffer[] = lines
    ? linesToEvents(answer.lines)
    : answer.events.map((event) => Buffer.from(`data: ${JSON.stringify(event)}\n\n`));
  const cutAt =
    fault !== null && "afterChunks" in fault ? Math.min(fault.afterChunks, events.length) : events.length;
  if (fault?.kind === "huge" && events[0] && !lines)
    events[0] = padEvent(events[0], fault.bytes ?? DEFAULT_HUGE_BYTES);
  if (fault?.kind === "invalid-utf8" && events[0]) events[0] = corrupt(events[0]);
  if (fault?.kind === "truncated-json" && events[0] && !lines) {
    const json = events[0].subarray(6, events[0].length - 2);
    events[0] = Buffer.concat([
      Buffer.from("data: "),
      json.subarray(0, Math.floor(json.length / 2)),
      Buffer.from("\n\n"),
    ]);
  }
  if (fault?.kind === "malformed-sse")
    events.splice(1, 0, Buffer.from("this line is not server-sent events\n\n"));
  for (const event of events.slice(0, cutAt)) res.write(event);
  switch (fault?.kind) {
    case "stall":
      return;
    case "reset":
      res.write("", () => resetSoon(res));
      return;
    case "error-event":
      res.end(`data: ${JSON.stringify(fault.error ?? errorBody(500))}\n\n`);
      return;
    case "keep-alive":
    case "endless": {
      const piece = fault.kind === "keep-alive" ? Buffer.from(": keep-alive\n\n") : events[cutAt - 1];
      const timer = setInterval(() => res.write(piece ?? ""), fault.everyMs);
      res.on("close", () => clearInterval(timer));
      return;
    }
  }
  if (answer.kind === "sse-lines") res.end();
  else if (answer.error !== null) res.end(`data: ${JSON.stringify(answer.error)}\n\n`);
  else res.end("data: [DONE]\n\n");
}

/** Stored SSE lines as events: each runs up to and including a blank line. */
function linesToEvents(lines: readonly string[]): Buffer[] {
  const events: Buffer[] = [];
  let event = "";
  for (const line of lines) {
    event += `${line}\n`;
    if (line === "") {
      events.push(Buffer.from(event));
      event = "";
    }
  }
  if (event !== "") events.push(Buffer.from(event));
  return events;
}

/** Resets the connection once what was written has had time to reach the client. */
function resetSoon(res: ServerResponse): void {
  setTimeout(() => res.socket?.destroy(), 20);
}

/** JSON whitespace before the closing bracket: many more bytes, the same value. */
function padJson(bytes: Buffer, size: number): Buffer {
  const padding = Buffer.alloc(Math.max(size - bytes.length, 0), " ");
  return Buffer.concat([bytes.subarray(0, -1), padding, bytes.subarray(-1)]);
}

function padEvent(event: Buffer, size: number): Buffer {
  const json = padJson(event.subarray(6, event.length - 2), size);
  return Buffer.concat([Buffer.from("data: "), json, Buffer.from("\n\n")]);
}

/** Two bytes that are never UTF-8, inside the first JSON string so the JSON stays well-formed. */
function corrupt(bytes: Buffer): Buffer {
  const at = bytes.indexOf('":"') + 2;
  const cut = at > 1 ? at + 1 : Math.floor(bytes.length / 2);
  return Buffer.concat([bytes.subarray(0, cut), INVALID_UTF8, bytes.subarray(cut)]);
}
