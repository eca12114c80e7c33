import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.ts";
import { replayAll } from "../src/replay/replay.ts";
import type { ReplayResult, ReplayTarget } from "../src/replay/types.ts";
import {
  chatVariants,
  type FixtureRecording,
  loadFixture,
  replayTargetFor,
} from "./support/simulator/fixtures.ts";
import { collect, simulatorOptions } from "./support/simulator/replay-setup.ts";
import { type Simulator, startSimulator } from "./support/simulator.ts";

const openaiChat = loadFixture("06931312f62d0b59939d9a2d8cf674611bde5725285ce77ffaae46af1dba9065.json");
const azureChat = loadFixture("02353ad89b7f8bbe82595e780c2de8cef8d55434def4d6f1ef728dbc74c5842d.json");
const streamingChat = loadFixture("3dcb9e38f66c96323546ef8d7fee216ad11a4dd6f7fe44c4b602671eea12382e.json");

const sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

async function serve(recordings: FixtureRecording[], latencyMs = 0) {
  const sim = await startSimulator({ recordings, latencyMs });
  sims.push(sim);
  const targets = recordings.map((r) => replayTargetFor(r) as ReplayTarget);
  return { sim, targets };
}

const kinds = (results: ReplayResult[]) => results.map((r) => r.outcome.kind);

describe("concurrency", () => {
  it("never has more requests in flight than the global limit", async () => {
    // Answers slow enough that three requests overlap however slowly the client sends them.
    const { sim, targets } = await serve(chatVariants(openaiChat, 20), 200);
    const config = parseConfig({ concurrency: 3 }, "test");
    const results = await collect(replayAll(targets, simulatorOptions(sim, targets, { config })));

    expect(kinds(results).every((k) => k === "captured")).toBe(true);
    expect(sim.maxInFlight).toBe(3);
  });

  it("holds one provider to its own limit while others use the global one", async () => {
    const openai = await serve(chatVariants(openaiChat, 8), 200);
    const azure = await serve(chatVariants(azureChat, 8), 200);
    const targets = [...openai.targets, ...azure.targets];
    const config = parseConfig(
      { concurrency: 8, providers: [{ host: "api.openai.com", concurrency: 1 }] },
      "test",
    );
    const providerOverrides = [`api.openai.com=${openai.sim.url}`, `*.openai.azure.com=${azure.sim.url}`];
    const results = await collect(
      replayAll(targets, simulatorOptions(openai.sim, targets, { config, providerOverrides })),
    );

    expect(kinds(results).every((k) => k === "captured")).toBe(true);
    expect(openai.sim.maxInFlight).toBe(1);
    expect(azure.sim.maxInFlight).toBeGreaterThan(1);
  });
});

describe("budget and samples", () => {
  it("skips the targets beyond --max-requests without sending them", async () => {
    const { sim, targets } = await serve(chatVariants(openaiChat, 10));
    const results = await collect(replayAll(targets, simulatorOptions(sim, targets, { maxRequests: 4 })));

    expect(kinds(results).filter((k) => k === "captured")).toHaveLength(4);
    const skipped = results.filter((r) => r.outcome.kind === "skipped");
    expect(skipped.map((r) => r.outcome)).toEqual(
      Array(6).fill({ kind: "skipped", reason: "over budget (--max-requests 4)" }),
    );
    expect(sim.requests).toHaveLength(4);
  });

  it("replays each request K times with samples, counting every sample against the budget", async () => {
    const { sim, targets } = await serve(chatVariants(openaiChat, 3));
    const results = await collect(
      replayAll(targets, simulatorOptions(sim, targets, { samples: 3, maxRequests: 7 })),
    );

    const captured = results.filter((r) => r.outcome.kind === "captured");
    expect(captured).toHaveLength(2);
    for (const result of captured) {
      expect(result.attempts).toBe(3);
      expect(result.outcome.kind === "captured" && result.outcome.samples).toHaveLength(3);
    }
    expect(sim.requests).toHaveLength(6);
  });
});

describe("stopping", () => {
  it("stops starting requests on abort, aborts the ones under way and reports them as interrupted", async () => {
    const { sim, targets } = await serve(chatVariants(openaiChat, 20), 100);
    const controller = new AbortController();
    const config = parseConfig({ concurrency: 2 }, "test");
    const results: ReplayResult[] = [];
    for await (const result of replayAll(
      targets,
      simulatorOptions(sim, targets, { config, signal: controller.signal }),
    )) {
      results.push(result);
      controller.abort();
    }
    const requestsAtEnd = sim.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 250));

    expect(results.length).toBeLessThan(20);
    expect(kinds(results)[0]).toBe("captured");
    // The 100 ms answers of those in flight when the abort came are not waited for.
    for (const result of results.slice(1)) {
      expect(result.outcome).toEqual({
        kind: "failed",
        reason: "interrupted: the request in flight was aborted",
      });
    }
    // Every request started has its result (one aborted on its way may never have reached the
    // simulator), and none starts afterwards.
    expect(results.length).toBeGreaterThanOrEqual(requestsAtEnd);
    expect(sim.requests).toHaveLength(requestsAtEnd);
  });

  it("cuts a retry wait short on abort and reports the target with the cause it was waiting on", async () => {
    const { sim, targets } = await serve([openaiChat]);
    sim.fault({ kind: "status", status: 429, retryAfter: "60" });
    const controller = new AbortController();
    const replaying = collect(
      replayAll(targets, simulatorOptions(sim, targets, { signal: controller.signal })),
    );
    while (sim.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    const [result] = await replaying;

    expect(result?.outcome).toEqual({
      kind: "failed",
      reason: "429 Too Many Requests; interrupted after 1 attempts",
    });
  });

  it("starts no new request while the consumer has not read the results waiting for it", async () => {
    const { sim, targets } = await serve(chatVariants(openaiChat, 60));
    const config = parseConfig({ concurrency: 2 }, "test");
    const iterator = replayAll(targets, simulatorOptions(sim, targets, { config }))[Symbol.asyncIterator]();
    await iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 300));

    // At most 16 unread results plus the requests that were under way.
    expect(sim.requests.length).toBeLessThanOrEqual(16 + 2 + 1);
    await iterator.return?.();
  });
});

describe("timeouts", () => {
  it("fails a request whose headers never come after request-ms", async () => {
    const { sim, targets } = await serve([openaiChat]);
    sim.fault({ kind: "no-headers" });
    const config = parseConfig({ timeouts: { "request-ms": 300 } }, "test");
    const [result] = await collect(replayAll(targets, simulatorOptions(sim, targets, { config })));

    expect(result?.outcome).toEqual({ kind: "failed", reason: "request timed out after 300 ms" });
    expect(result?.attempts).toBe(1);
  });

  it("fails a stream that stalls for stream-idle-ms", async () => {
    const { sim, targets } = await serve([streamingChat]);
    sim.fault({ kind: "stall", afterChunks: 2 });
    const config = parseConfig({ timeouts: { "stream-idle-ms": 300 } }, "test");
    const [result] = await collect(replayAll(targets, simulatorOptions(sim, targets, { config })));

    expect(result?.outcome).toEqual({ kind: "failed", reason: "stream idle for 300 ms" });
  });
});
