// The `fetch` every replay request goes through. It lets nothing malformed pass silently: a
// decoder that replaces invalid UTF-8 with U+FFFD, an SSE parser that ignores lines it does not
// know, or a stream that just stops would each turn a broken answer into a plausible-looking one,
// which compare/ would then call drift. Errors raised here carry the cause in words.

import { isUtf8 } from "node:buffer";

/** The provider's answer was malformed: not worth retrying, reported as the cause. */
export class BrokenAnswerError extends Error {
  override name = "BrokenAnswerError";
}

/** A stream that failed after its headers arrived: never retried (openai-node does the same). */
export class StreamBrokenError extends Error {
  override name = "StreamBrokenError";
  constructor(
    /** Chunks received before it broke, when counted. */
    readonly chunks: number | null,
    override readonly cause: unknown,
  ) {
    super(chunks === null ? "stream broke" : `stream broke after ${chunks} chunk${chunks === 1 ? "" : "s"}`);
  }
}

/**
 * The deepest nesting an answer may have: Python's json (so the recorder, and our reader) stops
 * about here, and deeper values overflow the stack of `JSON.stringify` and of every recursive walk.
 */
export const MAX_ANSWER_DEPTH = 1000;

/** Throws a BrokenAnswerError when a parsed answer nests deeper than MAX_ANSWER_DEPTH. */
export function checkNesting(value: unknown): void {
  // An explicit stack: the point is not to overflow the call stack.
  const stack: Array<{ value: object; depth: number }> = [];
  const push = (item: unknown, depth: number) => {
    if (typeof item !== "object" || item === null) return;
    if (depth > MAX_ANSWER_DEPTH)
      throw new BrokenAnswerError(`the answer nests deeper than ${MAX_ANSWER_DEPTH} levels`);
    stack.push({ value: item, depth });
  };
  push(value, 1);
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const items = Array.isArray(next.value) ? next.value : Object.values(next.value);
    for (const item of items) push(item, next.depth + 1);
  }
}

export interface GuardOptions {
  /** Longest wait between two pieces of data of an event stream (comments do not count). */
  streamIdleMs: number;
  /** Longest a whole request may take, its stream included. */
  requestMs: number;
  /** Most bytes (after decompression) of a whole body or stream, and of one stream event. */
  answerBytes: number;
  eventBytes: number;
  /** Whether an event stream must end with `data: [DONE]` (the OpenAI wire does). */
  requireDone: boolean;
}

const SSE_FIELD = /^(?:data|event|id|retry)(?::|$)/;

/**
 * Redirects are never followed: a request carries the provider's key, which must reach only the
 * configured origin, and after a 301/302/303 fetch would resend a POST as a GET and its answer
 * be recorded as the POST's. The provider's new address is the cause to report.
 */
function refuseRedirect(response: Response): void {
  if (response.status < 300 || response.status > 399 || response.status === 304) return;
  response.body?.cancel().catch(() => {});
  const location = response.headers.get("location");
  throw new BrokenAnswerError(
    location === null
      ? `provider answered ${response.status} without a location`
      : `provider redirected to ${location.slice(0, 200)} (${response.status}); redirects are not followed`,
  );
}

export function guardedFetch(options: GuardOptions): typeof fetch {
  return async (input, init) => {
    const deadline = Date.now() + options.requestMs;
    const response = await fetch(input, { ...init, redirect: "manual" });
    refuseRedirect(response);
    if (response.body === null) return response;
    const rebuild = (body: ReadableStream<Uint8Array> | Uint8Array) =>
      new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    if (isEventStream(response.headers)) return rebuild(guardEventStream(response.body, options, deadline));
    // Whole bodies are read here, inside the SDK's request timeout, and checked once.
    const bytes = await readBounded(response.body, options.answerBytes);
    if (!isUtf8(bytes)) throw new BrokenAnswerError(`invalid UTF-8 in the ${response.status} response body`);
    return rebuild(bytes);
  };
}

/** A body read whole, or a BrokenAnswerError as soon as it passes `limit` bytes (a gzip bomb too). */
async function readBounded(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    total += read.value.length;
    if (total > limit) {
      reader.cancel().catch(() => {});
      throw new BrokenAnswerError(`the answer is over the limit of ${limit} bytes (limits.answer-bytes)`);
    }
    parts.push(read.value);
  }
  return Buffer.concat(parts, total);
}

export function isEventStream(headers: Headers): boolean {
  return (headers.get("content-type") ?? "").toLowerCase().startsWith("text/event-stream");
}

/** How much of a line is kept to check it: enough for its field name, `[DONE]` and an error message. */
const LINE_HEAD = 256;
const NEWLINE = /\r\n|\r|\n/g;

/**
 * Passes the bytes through unchanged while checking them, and gives up on a stream that sends no
 * data for `streamIdleMs` (keep-alive comments do not count: they could hold it open forever) or
 * runs past the request's `deadline`. Bytes
 * are handed on at event boundaries (a blank line): openai-node copies and rescans its whole
 * buffer for each piece it is given, so an event of many pieces (a 10 MB one comes in ~160)
 * would cost it quadratic time. Lines are checked from their first `LINE_HEAD` characters, so a
 * long line costs linear time here too.
 */
function guardEventStream(
  body: ReadableStream<Uint8Array>,
  options: GuardOptions,
  deadline: number,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const decode = (bytes?: Uint8Array) => {
    try {
      return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
    } catch {
      throw new BrokenAnswerError("invalid UTF-8 in the event stream");
    }
  };
  // The line being read: its first characters, and its length so far.
  let head = "";
  let length = 0;
  let sawDone = false;
  // When the last byte of a field line (not a comment, not the blank line ending an event) came.
  let lastData = Date.now();
  const checkLine = () => {
    if (length === 0 || head.startsWith(":")) return;
    lastData = Date.now();
    if (!SSE_FIELD.test(head))
      throw new BrokenAnswerError(`malformed SSE line: ${JSON.stringify(head.slice(0, 120))}`);
    if (length <= LINE_HEAD && /^data: ?\[DONE\]\s*$/.test(head)) sawDone = true;
  };
  /** Checks every line `text` ends; whether one of them was blank (the end of an event). */
  const checkLines = (text: string): boolean => {
    let endsEvent = false;
    let start = 0;
    NEWLINE.lastIndex = 0;
    for (let match = NEWLINE.exec(text); match !== null; match = NEWLINE.exec(text)) {
      const piece = text.slice(start, Math.min(match.index, start + LINE_HEAD));
      if (head.length < LINE_HEAD) head = (head + piece).slice(0, LINE_HEAD);
      length += match.index - start;
      if (length === 0) endsEvent = true;
      checkLine();
      head = "";
      length = 0;
      start = match.index + match[0].length;
    }
    if (head.length < LINE_HEAD) head = (head + text.slice(start, start + LINE_HEAD)).slice(0, LINE_HEAD);
    length += text.length - start;
    if (length > 0 && !head.startsWith(":")) lastData = Date.now();
    return endsEvent;
  };
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  let streamBytes = 0;
  /** Keeps a piece until its event is complete, within the event and stream limits. */
  const hold = (piece: Uint8Array) => {
    heldBytes += piece.length;
    streamBytes += piece.length;
    if (heldBytes > options.eventBytes)
      throw new BrokenAnswerError(
        `a stream event is over the limit of ${options.eventBytes} bytes (limits.event-bytes)`,
      );
    if (streamBytes > options.answerBytes)
      throw new BrokenAnswerError(
        `the stream is over the limit of ${options.answerBytes} bytes (limits.answer-bytes)`,
      );
    held.push(piece);
  };
  const release = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    if (held.length === 1) controller.enqueue(held[0] as Uint8Array);
    else if (held.length > 1) controller.enqueue(Buffer.concat(held));
    held = [];
    heldBytes = 0;
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        // Read until an event is complete (or the stream ends): only then is there anything to hand on.
        for (;;) {
          const { value, done } = await readWithin(
            reader,
            lastData + options.streamIdleMs,
            deadline,
            options,
          );
          if (done) {
            checkLines(`${decode()}\n`);
            if (options.requireDone && !sawDone)
              throw new BrokenAnswerError("stream ended before data: [DONE]");
            release(controller);
            controller.close();
            return;
          }
          hold(value);
          if (checkLines(decode(value))) {
            release(controller);
            return;
          }
        }
      } catch (error) {
        held = [];
        reader.cancel().catch(() => {});
        controller.error(error);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/**
 * The next piece of a stream, or a BrokenAnswerError when none comes before `idleAt` (the stream
 * idle) or `deadline` (the whole request), whichever is first.
 */
async function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  idleAt: number,
  deadline: number,
  options: GuardOptions,
): ReturnType<typeof reader.read> {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<never>((_, reject) => {
    const cause =
      idleAt <= deadline
        ? `stream idle for ${options.streamIdleMs} ms`
        : `request timed out after ${options.requestMs} ms, mid-stream`;
    timer = setTimeout(
      () => reject(new BrokenAnswerError(cause)),
      Math.max(0, Math.min(idleAt, deadline) - Date.now()),
    );
  });
  try {
    return await Promise.race([reader.read(), idle]);
  } finally {
    clearTimeout(timer);
  }
}
