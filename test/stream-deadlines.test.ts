// Time limits that hold once a stream has started: `stream-idle-ms` counts data, so keep-alive
// comments cannot hold a stream open forever, and `request-ms` bounds the whole request, its
// stream included, so a provider sending data forever cannot either. Both through `check` (SDK
// streams and passthrough streams) and `refresh`: each affected recording fails with its cause,
// the others keep their verdict, nothing is written. Without these limits each case never ends.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type CheckOptions, check } from "../src/commands/check.ts";
import { refresh } from "../src/commands/refresh.ts";
import { parseConfig } from "../src/config.ts";
import { type CheckSetup, fileDigests, named, setupCheck } from "./support/check-setup.ts";
import type { Fault } from "./support/simulator.ts";

const CHAT = "007a9180a7aa"; // Ollama chat completion: not a stream, unaffected
const STREAM = "00cf12ddd414"; // Ollama chat stream (SDK)
const OPENAI_STREAM = "224f7e7bd332"; // api.openai.com chat stream (SDK)
const PASSTHROUGH_STREAM = "2cb6caa89a82"; // Gemini interactions, raw SSE lines (send-http)
const STREAMS = [STREAM, OPENAI_STREAM, PASSTHROUGH_STREAM];

/** Far above what a healthy loopback answer takes, far below a test's timeout. */
const LIMITS = parseConfig(
  {
    retries: { attempts: 2, "base-delay-ms": 5, "max-delay-ms": 10 },
    timeouts: { "request-ms": 3000, "stream-idle-ms": 1000 },
  },
  "deadlines",
);

let setup: CheckSetup;
let options: CheckOptions;

beforeAll(async () => {
  setup = await setupCheck({ liveify: "wire" }, [CHAT, ...STREAMS]);
  options = { ...setup.options, config: LIMITS };
});

/** Runs check and refresh --update all with `fault` on every stream; their reasons by prefix. */
async function underFault(fault: Fault): Promise<Array<Map<string, string>>> {
  const before = fileDigests(setup.dir);
  const undo = STREAMS.map((prefix) => setup.sim.fault(fault, { recording: named(prefix) }));
  try {
    const reports = [await check(options), await refresh({ ...options, update: "all", dryRun: false })];
    expect(fileDigests(setup.dir)).toEqual(before);
    return reports.map((report) => {
      expect(report.results.find((r) => named(CHAT)(r.file))?.verdict).not.toBe("failed");
      return new Map(
        report.results
          .filter((r) => r.verdict === "failed")
          .map((r) => [path.basename(r.file).slice(0, 12), r.reasons.join("; ")]),
      );
    });
  } finally {
    for (const fn of undo) fn();
  }
}

describe("a stream that only sends keep-alive comments after its first event", () => {
  it("fails as idle: comments are not data", async () => {
    for (const failed of await underFault({ kind: "keep-alive", afterChunks: 1, everyMs: 50 })) {
      expect([...failed.keys()].sort()).toEqual([...STREAMS].sort());
      for (const reason of failed.values()) expect(reason).toContain("stream idle for 1000 ms");
    }
  });
});

describe("a stream that sends data forever", () => {
  it("fails when the whole request passes request-ms", async () => {
    for (const failed of await underFault({ kind: "endless", afterChunks: 1, everyMs: 50 })) {
      expect([...failed.keys()].sort()).toEqual([...STREAMS].sort());
      for (const reason of failed.values())
        expect(reason).toContain("request timed out after 3000 ms, mid-stream");
    }
  });
});
