// The trouble a test can inject, per recording or for every request, for the first N requests
// or for good.

import type { Expectation } from "./expectations.ts";

export type Fault =
  /** Answer with this status (and error body) instead; with retry headers if given. */
  | {
      kind: "status";
      status: number;
      retryAfter?: string;
      retryAfterMs?: string;
      body?: unknown;
      headers?: Record<string, string>;
    }
  /** Wait this long before answering (adds to the simulator's `latencyMs`). */
  | { kind: "latency"; ms: number }
  /** Accept the request and never send headers. */
  | { kind: "no-headers" }
  /** Send the first K events (or half a JSON body), then nothing, keeping the connection open. */
  | { kind: "stall"; afterChunks: number }
  /** Send the first K events (or half a JSON body), then reset the connection. */
  | { kind: "reset"; afterChunks: number }
  /** Put a line that is not SSE into a stream. */
  | { kind: "malformed-sse" }
  /** Cut the JSON body (or one stream event) in half. */
  | { kind: "truncated-json" }
  /** Put bytes that are not UTF-8 into the body (or the first stream event). */
  | { kind: "invalid-utf8" }
  /** Pad the answer with JSON whitespace to this many bytes (default 10 MiB): same value. */
  | { kind: "huge"; bytes?: number }
  /** An HTML error page with status 200. */
  | { kind: "html-200" }
  /** Answer with exactly these bytes (for answers `JSON.stringify` cannot make, e.g. 10,000 levels deep). */
  | { kind: "raw"; status: number; body: string; contentType?: string }
  /**
   * Answer with this status and an error body repeating the request's headers (Authorization
   * and api-key included), as a careless proxy or a debugging endpoint might.
   */
  | { kind: "echo-headers"; status: number }
  /** After K events, only `: keep-alive` comments, every `everyMs`, until the client hangs up. */
  | { kind: "keep-alive"; afterChunks: number; everyMs: number }
  /** After K events, the K-th again and again, every `everyMs`, until the client hangs up. */
  | { kind: "endless"; afterChunks: number; everyMs: number }
  /** After K events, `data: {"error": {...}}` and the end of the stream. */
  | { kind: "error-event"; afterChunks: number; error?: unknown };

export type RecordingSelector = string | ((file: string, json: unknown) => boolean);

interface Registered {
  fault: Fault;
  selector: RecordingSelector | null;
  remaining: number;
}

export class FaultRegistry {
  readonly #faults: Registered[] = [];

  /** Adds a fault; returns a function that removes it. */
  add(fault: Fault, options: { recording?: RecordingSelector; times?: number } = {}): () => void {
    const entry = {
      fault,
      selector: options.recording ?? null,
      remaining: options.times ?? Number.POSITIVE_INFINITY,
    };
    this.#faults.push(entry);
    return () => {
      const i = this.#faults.indexOf(entry);
      if (i !== -1) this.#faults.splice(i, 1);
    };
  }

  /** The faults for one request (each used up once): latencies, and at most one other fault. */
  take(expectation: Expectation | null): { latencyMs: number; fault: Fault | null } {
    let latencyMs = 0;
    let fault: Fault | null = null;
    for (const entry of this.#faults) {
      if (entry.remaining <= 0 || !matches(entry.selector, expectation)) continue;
      if (entry.fault.kind === "latency") latencyMs += entry.fault.ms;
      else if (fault === null) fault = entry.fault;
      else continue;
      entry.remaining--;
    }
    return { latencyMs, fault };
  }
}

export function matches(selector: RecordingSelector | null, expectation: Expectation | null): boolean {
  if (selector === null) return true;
  if (expectation === null) return false;
  return typeof selector === "string"
    ? expectation.file === selector || expectation.file.endsWith(`/${selector}`)
    : selector(expectation.file, expectation.json);
}
