import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.ts";
import { replayAll } from "../src/replay/replay.ts";
import type { ReplayResult, ReplayTarget } from "../src/replay/types.ts";
import { type FixtureRecording, loadFixture, replayTargetFor } from "./support/simulator/fixtures.ts";
import { capturedSample, collect, simulatorOptions } from "./support/simulator/replay-setup.ts";
import { type Fault, type Simulator, startSimulator } from "./support/simulator.ts";

const chat = loadFixture("06931312f62d0b59939d9a2d8cf674611bde5725285ce77ffaae46af1dba9065.json");
const stream = loadFixture("3dcb9e38f66c96323546ef8d7fee216ad11a4dd6f7fe44c4b602671eea12382e.json");
const passthroughStream = loadFixture(
  "2cb6caa89a82691b08f59f724d697f518e57b07818c26c8a78c972dab8f3a95c.json",
);
const config = parseConfig({ retries: { attempts: 2, "base-delay-ms": 10 } }, "test");

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function replayWith(recording: FixtureRecording, fault: Fault | null): Promise<ReplayResult> {
  sim = await startSimulator({ recordings: [recording] });
  if (fault !== null) sim.fault(fault);
  const target = replayTargetFor(recording) as ReplayTarget;
  const [result] = await collect(replayAll([target], simulatorOptions(sim, [target], { config })));
  if (result === undefined) throw new Error("no result");
  return result;
}

function reasonOf(result: ReplayResult): string {
  return result.outcome.kind === "failed" ? result.outcome.reason : `not failed: ${result.outcome.kind}`;
}

describe("malformed answers fail with their cause, once", () => {
  it("a line that is not SSE", async () => {
    const result = await replayWith(stream, { kind: "malformed-sse" });
    expect(reasonOf(result)).toBe('malformed SSE line: "this line is not server-sent events"');
    expect(result.attempts).toBe(1);
  });

  it("a truncated JSON body", async () => {
    const result = await replayWith(chat, { kind: "truncated-json" });
    expect(reasonOf(result)).toMatch(/^invalid JSON in the response body: /);
    expect(result.attempts).toBe(1);
  });

  it("a truncated stream event", async () => {
    expect(reasonOf(await replayWith(stream, { kind: "truncated-json" }))).toMatch(
      /^invalid JSON in a stream event: /,
    );
  });

  it("bytes that are not UTF-8, in a body or a stream", async () => {
    expect(reasonOf(await replayWith(chat, { kind: "invalid-utf8" }))).toBe(
      "invalid UTF-8 in the 200 response body",
    );
    expect(reasonOf(await replayWith(stream, { kind: "invalid-utf8" }))).toBe(
      "invalid UTF-8 in the event stream",
    );
  });

  it("an HTML error page sent with status 200", async () => {
    expect(reasonOf(await replayWith(chat, { kind: "html-200" }))).toMatch(
      /^not a chat completion: expected an object with a "choices" list, got text "<html><head><title>502 Bad Gateway/,
    );
    expect(reasonOf(await replayWith(stream, { kind: "html-200" }))).toBe(
      "expected an event stream, got text/html; charset=utf-8",
    );
  });

  it("an error event in the middle of a stream", async () => {
    const error = {
      error: { message: "The server had an error while processing your request.", type: "server_error" },
    };
    expect(reasonOf(await replayWith(stream, { kind: "error-event", afterChunks: 2, error }))).toBe(
      "error event mid-stream: The server had an error while processing your request.",
    );
  });

  it("a connection reset in the middle of a stream", async () => {
    const result = await replayWith(stream, { kind: "reset", afterChunks: 2 });
    expect(reasonOf(result)).toMatch(/^stream broke after \d chunks: /);
    expect(result.attempts).toBe(1);
  });

  it("a passthrough stream that stalls", async () => {
    sim = await startSimulator({ recordings: [passthroughStream] });
    sim.fault({ kind: "no-headers" });
    const target = replayTargetFor(passthroughStream) as ReplayTarget;
    const short = parseConfig({ timeouts: { "request-ms": 200 } }, "test");
    const [result] = await collect(replayAll([target], simulatorOptions(sim, [target], { config: short })));
    expect(result?.outcome).toEqual({ kind: "failed", reason: "request timed out after 200 ms" });
  });
});

describe("large answers", () => {
  it("captures a 10 MB answer whole", async () => {
    const plain = await replayWith(chat, null);
    const huge = await replayWith(chat, { kind: "huge" });
    const message = (r: ReplayResult) =>
      (capturedSample(r).body as { choices: Array<{ message: unknown }> }).choices[0]?.message;
    expect(message(huge)).toEqual(message(plain));
  });
});

describe("passthrough", () => {
  it("keeps a streamed passthrough answer as the raw SSE lines the recorder stored", async () => {
    const result = await replayWith(passthroughStream, null);
    const stored = (passthroughStream.json as { response: { body: string[] } }).response.body;
    expect(result.outcome).toEqual({
      kind: "captured",
      samples: [{ endpoint: "passthrough", streaming: true, status: 200, body: stored, error: null }],
    });
  });
});
