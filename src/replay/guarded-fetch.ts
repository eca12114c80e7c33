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
    super(chunks === null ? "stream broke" : `stream broke after ${chunks} chunks`);
  }
}

export interface GuardOptions {
  /** Longest wait between two pieces of an event stream. */
  streamIdleMs: number;
  /** Whether an event stream must end with `data: [DONE]` (the OpenAI wire does). */
  requireDone: boolean;
}

const SSE_FIELD = /^(?:data|event|id|retry)(?::|$)/;

export function guardedFetch(options: GuardOptions): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (response.body === null) return response;
    const rebuild = (body: ReadableStream<Uint8Array> | Uint8Array) =>
      new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    if (isEventStream(response.headers)) return rebuild(guardEventStream(response.body, options));
    // Whole bodies are read here, inside the SDK's request timeout, and checked once.
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (!isUtf8(bytes)) throw new BrokenAnswerError(`invalid UTF-8 in the ${response.status} response body`);
    return rebuild(bytes);
  };
}

export function isEventStream(headers: Headers): boolean {
  return (headers.get("content-type") ?? "").toLowerCase().startsWith("text/event-stream");
}

/** Passes the bytes through unchanged while checking them, and gives up on a silent stream. */
function guardEventStream(
  body: ReadableStream<Uint8Array>,
  options: GuardOptions,
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
  let partialLine = "";
  let sawDone = false;
  const checkLines = (text: string) => {
    const lines = (partialLine + text).split(/\r\n|\r|\n/);
    partialLine = lines.pop() ?? "";
    for (const line of lines) {
      if (line === "" || line.startsWith(":")) continue;
      if (!SSE_FIELD.test(line))
        throw new BrokenAnswerError(`malformed SSE line: ${JSON.stringify(line.slice(0, 120))}`);
      if (/^data: ?\[DONE\]\s*$/.test(line)) sawDone = true;
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let timer: NodeJS.Timeout | undefined;
      const idle = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new BrokenAnswerError(`stream idle for ${options.streamIdleMs} ms`)),
          options.streamIdleMs,
        );
      });
      try {
        const { value, done } = await Promise.race([reader.read(), idle]);
        if (done) {
          checkLines(`${decode()}\n`);
          if (options.requireDone && !sawDone)
            throw new BrokenAnswerError("stream ended before data: [DONE]");
          controller.close();
          return;
        }
        checkLines(decode(value));
        controller.enqueue(value);
      } catch (error) {
        reader.cancel().catch(() => {});
        controller.error(error);
      } finally {
        clearTimeout(timer);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
