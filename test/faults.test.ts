// Provider faults, end to end through `check` and `refresh --update all` against the simulator.
// For each fault: the run completes; each affected recording is `failed` with its cause in
// words; every other recording gets the verdict it gets without the fault; and no recording file
// changes. `refresh --update all` rewrites every recording it may, and the simulator serves the
// others exactly as stored (`liveify: "wire"`), so an unaffected file is rewritten byte for byte
// while an affected one would change (its served answer is drifted on top of the fault) if a
// broken answer were ever written.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type CheckOptions, check } from "../src/commands/check.ts";
import { refresh } from "../src/commands/refresh.ts";
import { DEFAULTS, parseConfig } from "../src/config.ts";
import { guardedFetch } from "../src/replay/guarded-fetch.ts";
import type { CheckReport, ResultVerdict } from "../src/report/check-report.ts";
import { type CheckSetup, listJson, named, setupCheck } from "./support/check-setup.ts";
import { type Fault, startSimulator } from "./support/simulator.ts";

const CHAT = "007a9180a7aa"; // Ollama chat completion
const STREAM = "00cf12ddd414"; // Ollama chat stream with a tool call
const OPENAI_CHAT = "06931312f62d"; // api.openai.com chat completion (needs OPENAI_API_KEY)
const OPENAI_STREAM = "224f7e7bd332"; // api.openai.com chat stream
const EMBEDDINGS = "050f63320eee"; // api.openai.com embeddings, base64 on the wire
const BEDROCK_STREAM = "3dcb9e38f66c"; // another host's chat stream
const PASSTHROUGH_STREAM = "2cb6caa89a82"; // Gemini interactions, raw SSE lines (send-http)
const PASSTHROUGH_400 = "1151b20ef79f"; // Gemini interactions, a recorded 400 (send-http)
const RECORDED_400 = "28a43dc80443"; // a recorded 400 of a chat completion
const ALL = [
  CHAT,
  STREAM,
  OPENAI_CHAT,
  OPENAI_STREAM,
  EMBEDDINGS,
  BEDROCK_STREAM,
  PASSTHROUGH_STREAM,
  PASSTHROUGH_400,
  RECORDED_400,
];

/**
 * Short retry delays, so every retried fault settles quickly, and the default time limits (two
 * minutes a request, 30 s of stream silence), so no healthy answer fails on a busy machine.
 */
const CONFIG = parseConfig(
  { concurrency: 8, retries: { attempts: 3, "base-delay-ms": 5, "max-delay-ms": 20 } },
  "faults",
);
/**
 * For the faults that only a time limit ends: limits short enough to wait out, and still far
 * above what a healthy answer from the loopback simulator takes on a loaded machine.
 */
const SHORT_TIMEOUTS = parseConfig(
  {
    concurrency: 8,
    retries: { attempts: 3, "base-delay-ms": 5, "max-delay-ms": 20 },
    timeouts: { "request-ms": 4000, "stream-idle-ms": 2000 },
  },
  "faults",
);

const prefixOf = (file: string) => path.basename(file).slice(0, 12);

/** Every `content`/`text` string changed, every embedding reversed: a drift `refresh` would write. */
function drift(value: unknown, key: string | null = null): unknown {
  if (typeof value === "string") {
    if (key === "content" || key === "text") return `DRIFTED ${value}`;
    return value.startsWith("data: ") ? value.replaceAll('"text":"', '"text":"DRIFTED ') : value;
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => drift(item));
    return key === "embedding" ? items.reverse() : items;
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = drift(v, k);
    return out;
  }
  return value;
}

function digest(dir: string): Map<string, string> {
  return new Map(
    listJson(dir).map((f) => [
      f,
      createHash("sha256")
        .update(readFileSync(path.join(dir, f)))
        .digest("hex"),
    ]),
  );
}

let setup: CheckSetup;
let options: CheckOptions;
let baseline: Map<string, ResultVerdict>;

beforeAll(async () => {
  setup = await setupCheck({ liveify: "wire" }, ALL);
  options = { ...setup.options, config: CONFIG };
  const report = await check(options);
  baseline = new Map(report.results.map((r) => [prefixOf(r.file), r.verdict]));
});

interface FaultCase {
  /** Installs the fault(s); returns the undo functions. Called once per run. */
  install: () => Array<() => void>;
  /** Affected recordings → the words their reason must have. */
  failed: Record<string, RegExp>;
  options?: Partial<CheckOptions>;
}

/** Runs `check`, then `refresh --update all`, under the fault; returns both reports. */
async function underFault(fault: FaultCase): Promise<{ checked: CheckReport; refreshed: CheckReport }> {
  const before = digest(setup.dir);
  const run = async <T>(go: () => Promise<T>): Promise<T> => {
    const undo = fault.install();
    // An affected recording's answer is drifted too: written, its file would change.
    for (const prefix of Object.keys(fault.failed))
      undo.push(setup.sim.mutate(named(prefix), (d) => drift(d)));
    try {
      return await go();
    } finally {
      for (const fn of undo) fn();
    }
  };
  const opts = { ...options, ...fault.options };
  const checked = await run(() => check(opts));
  const refreshed = await run(() => refresh({ ...opts, update: "all", dryRun: false }));
  for (const report of [checked, refreshed]) {
    const verdicts = report.results.map((r) => [prefixOf(r.file), r.verdict, r.reasons.join("; ")]);
    const expected = ALL.map((prefix) => {
      const reason = fault.failed[prefix];
      return reason
        ? [prefix, "failed", expect.stringMatching(reason)]
        : [prefix, baseline.get(prefix), expect.any(String)];
    });
    expect(verdicts.sort()).toEqual(expected.sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
  }
  expect(refreshed.results.filter((r) => r.verdict === "failed").every((r) => r.refreshed !== true)).toBe(
    true,
  );
  expect(digest(setup.dir)).toEqual(before);
  return { checked, refreshed };
}

const on = (prefix: string, fault: Fault, times?: number) => () =>
  setup.sim.fault(fault, { recording: named(prefix), times });

describe("without faults", () => {
  it("replays every recording: the baseline the fault runs are held to", async () => {
    expect([...baseline.values()].filter((v) => v !== "unchanged")).toEqual([]);
    expect(baseline.size).toBe(ALL.length);
    const { refreshed } = await underFault({ install: () => [], failed: {} });
    expect(refreshed.results.filter((r) => r.refreshed).length).toBe(ALL.length);
  });
});

describe("faults: the run completes, the affected recordings fail with their cause, nothing is written", () => {
  it("connection refused", async () => {
    const closed = await startSimulator({ recordings: [] });
    await closed.close();
    // Every api.openai.com recording now goes to a port nobody listens on.
    await underFault({
      install: () => [],
      options: { providerOverrides: [...setup.options.providerOverrides, `api.openai.com=${closed.url}/v1`] },
      failed: {
        [OPENAI_CHAT]: /^connection refused \(ECONNREFUSED\) after 3 attempts$/,
        [OPENAI_STREAM]: /^connection refused \(ECONNREFUSED\) after 3 attempts$/,
        [EMBEDDINGS]: /^connection refused \(ECONNREFUSED\) after 3 attempts$/,
      },
    });
  });

  it("connection reset mid-stream", async () => {
    await underFault({
      install: () => [
        on(STREAM, { kind: "reset", afterChunks: 2 })(),
        on(OPENAI_STREAM, { kind: "reset", afterChunks: 1 })(),
        on(CHAT, { kind: "reset", afterChunks: 0 })(),
        on(PASSTHROUGH_STREAM, { kind: "reset", afterChunks: 1 })(),
      ],
      failed: {
        [STREAM]: /^stream broke after 2 chunks: connection closed by the server \(UND_ERR_SOCKET\)$/,
        [OPENAI_STREAM]: /^stream broke after 1 chunk: connection closed by the server \(UND_ERR_SOCKET\)$/,
        // Before any stream: a connection failure like any other, retried, then reported.
        [CHAT]: /^connection closed by the server \(UND_ERR_SOCKET\) after 3 attempts$/,
        [PASSTHROUGH_STREAM]: /^stream broke: connection closed by the server \(UND_ERR_SOCKET\)$/,
      },
    });
  });

  it("headers that never come (request timeout)", async () => {
    await underFault({
      install: () => [on(CHAT, { kind: "no-headers" })(), on(PASSTHROUGH_STREAM, { kind: "no-headers" })()],
      options: { config: SHORT_TIMEOUTS },
      failed: {
        [CHAT]: /^request timed out after 4000 ms$/,
        [PASSTHROUGH_STREAM]: /^request timed out after 4000 ms$/,
      },
    });
  });

  it("a stream that stalls (stream idle timeout)", async () => {
    await underFault({
      options: { config: SHORT_TIMEOUTS },
      install: () => [
        on(STREAM, { kind: "stall", afterChunks: 2 })(),
        on(BEDROCK_STREAM, { kind: "stall", afterChunks: 1 })(),
        on(CHAT, { kind: "stall", afterChunks: 0 })(),
        on(PASSTHROUGH_STREAM, { kind: "stall", afterChunks: 1 })(),
      ],
      failed: {
        [STREAM]: /^stream idle for 2000 ms$/,
        [BEDROCK_STREAM]: /^stream idle for 2000 ms$/,
        // Half a JSON body, then silence: the request's own time limit covers the whole body.
        [CHAT]: /^request timed out after 4000 ms$/,
        [PASSTHROUGH_STREAM]: /^stream idle for 2000 ms$/,
      },
    });
  });

  it("bursts of 500/502/503: retried, then failed with the status", async () => {
    await underFault({
      install: () => [
        on(CHAT, { kind: "status", status: 500 })(),
        on(OPENAI_STREAM, { kind: "status", status: 502 })(),
        on(EMBEDDINGS, { kind: "status", status: 503 })(),
        on(PASSTHROUGH_400, { kind: "status", status: 503 })(),
        // A burst shorter than the retries: absorbed, the recording replays as without it.
        on(STREAM, { kind: "status", status: 503 }, 2)(),
      ],
      failed: {
        [CHAT]: /^500 Internal Server Error after 3 attempts$/,
        [OPENAI_STREAM]: /^502 Bad Gateway after 3 attempts$/,
        [EMBEDDINGS]: /^503 Service Unavailable after 3 attempts$/,
        [PASSTHROUGH_400]: /^503 Service Unavailable after 3 attempts$/,
      },
    });
  });

  it("a 429 storm with retry-after: waits as asked, then fails with the status", async () => {
    const started = setup.sim.requests.length;
    await underFault({
      install: () => [
        on(CHAT, { kind: "status", status: 429, retryAfter: "0.05" })(),
        on(OPENAI_STREAM, { kind: "status", status: 429, retryAfterMs: "40" })(),
      ],
      failed: {
        [CHAT]: /^429 Too Many Requests after 3 attempts and 20 rate-limit waits$/,
        [OPENAI_STREAM]: /^429 Too Many Requests after 3 attempts and 20 rate-limit waits$/,
      },
    });
    const chat = setup.sim.requests.slice(started).filter((r) => r.file !== null && named(CHAT)(r.file));
    // Two runs; in each, 20 waits the provider asked for (which use up no attempt), then three
    // attempts; every wait between two requests as long as the server asked.
    expect(chat).toHaveLength(46);
    for (let i = 1; i < chat.length; i++) {
      if (i === 23) continue;
      expect((chat[i]?.time ?? 0) - (chat[i - 1]?.time ?? 0)).toBeGreaterThanOrEqual(45);
    }
  });

  it("a 429 storm without retry-after: backs off, then fails with the status", async () => {
    await underFault({
      install: () => [
        on(CHAT, { kind: "status", status: 429 })(),
        on(EMBEDDINGS, { kind: "status", status: 429 })(),
        on(BEDROCK_STREAM, { kind: "status", status: 429 })(),
      ],
      failed: {
        [CHAT]: /^429 Too Many Requests after 3 attempts$/,
        [EMBEDDINGS]: /^429 Too Many Requests after 3 attempts$/,
        [BEDROCK_STREAM]: /^429 Too Many Requests after 3 attempts$/,
      },
    });
  });

  it("malformed SSE", async () => {
    await underFault({
      install: () => [
        on(STREAM, { kind: "malformed-sse" })(),
        on(OPENAI_STREAM, { kind: "malformed-sse" })(),
        on(PASSTHROUGH_STREAM, { kind: "malformed-sse" })(),
      ],
      failed: {
        [STREAM]: /^malformed SSE line: "this line is not server-sent events"$/,
        [OPENAI_STREAM]: /^malformed SSE line: "this line is not server-sent events"$/,
        [PASSTHROUGH_STREAM]: /^malformed SSE line: "this line is not server-sent events"$/,
      },
    });
  });

  it("truncated JSON", async () => {
    await underFault({
      install: () => [
        on(CHAT, { kind: "truncated-json" })(),
        on(EMBEDDINGS, { kind: "truncated-json" })(),
        on(STREAM, { kind: "truncated-json" })(),
      ],
      failed: {
        [CHAT]: /^invalid JSON in the response body: /,
        [EMBEDDINGS]: /^invalid JSON in the response body: /,
        [STREAM]: /^invalid JSON in a stream event: /,
      },
    });
  });

  it("invalid UTF-8", async () => {
    await underFault({
      install: () => [
        on(CHAT, { kind: "invalid-utf8" })(),
        on(OPENAI_STREAM, { kind: "invalid-utf8" })(),
        on(PASSTHROUGH_STREAM, { kind: "invalid-utf8" })(),
      ],
      failed: {
        [CHAT]: /^invalid UTF-8 in the 200 response body$/,
        [OPENAI_STREAM]: /^invalid UTF-8 in the event stream$/,
        [PASSTHROUGH_STREAM]: /^invalid UTF-8 in the event stream$/,
      },
    });
  });

  it("a 10 MB response: read whole and judged like any other (not a failure)", async () => {
    const { refreshed } = await underFault({
      install: () => [on(CHAT, { kind: "huge" })(), on(STREAM, { kind: "huge" })()],
      failed: {},
    });
    // Ten megabytes of JSON whitespace around the same answer: the same file, rewritten.
    for (const prefix of [CHAT, STREAM])
      expect(refreshed.results.find((r) => prefixOf(r.file) === prefix)).toMatchObject({
        verdict: "unchanged",
        refreshed: true,
      });
  });

  it("an HTML error page with status 200", async () => {
    await underFault({
      install: () => [
        on(CHAT, { kind: "html-200" })(),
        on(OPENAI_STREAM, { kind: "html-200" })(),
        on(PASSTHROUGH_STREAM, { kind: "html-200" })(),
      ],
      failed: {
        [CHAT]: /^not a chat completion: expected an object with a "choices" list, got text "<html>/,
        [OPENAI_STREAM]: /^expected an event stream, got text\/html/,
        [PASSTHROUGH_STREAM]: /^expected a JSON body, got text\/html/,
      },
    });
  });

  it("an error event mid-stream", async () => {
    await underFault({
      install: () => [on(STREAM, { kind: "error-event", afterChunks: 2 })()],
      failed: { [STREAM]: /^error event mid-stream: The server had an error/ },
    });
  });
});

describe("the event-stream guard under a 10 MB event", () => {
  it("hands the event on whole, once it is complete: the SDK's SSE parser rescans per piece", async () => {
    const event = `data: {"text": "${"x".repeat(10 * 1024 * 1024)}"}\n\n`;
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      // Sent in 64 KiB pieces, as a socket delivers it.
      const bytes = Buffer.from(`${event}data: [DONE]\n\n`);
      for (let at = 0; at < bytes.length; at += 65_536) res.write(bytes.subarray(at, at + 65_536));
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const response = await guardedFetch({
        ...DEFAULTS.limits,
        streamIdleMs: 5_000,
        requestMs: 120_000,
        requireDone: true,
      })(url);
      const pieces: number[] = [];
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read())
        pieces.push(read.value.length);
      // ~160 pieces arrived; the consumer gets the event in one (the [DONE] may ride along).
      expect(pieces.length).toBeLessThanOrEqual(3);
      expect(pieces.reduce((a, b) => a + b, 0)).toBe(Buffer.byteLength(event) + "data: [DONE]\n\n".length);
    } finally {
      server.close();
    }
  });
});
