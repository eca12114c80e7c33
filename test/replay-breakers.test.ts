// A provider that refuses the key or rate-limits without end must not hold a run hostage: after a
// 401/403 nothing more is sent to it, and a 429 storm ends when its time budget is spent. Budgets
// here are tiny so the tests need no clock; speed itself is measured by bench/, not here.
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.ts";
import { replayAll } from "../src/replay/replay.ts";
import type { ReplayTarget } from "../src/replay/types.ts";
import { loadFixture, replayTargetFor } from "./support/simulator/fixtures.ts";
import { collect, simulatorOptions } from "./support/simulator/replay-setup.ts";
import { type Simulator, startSimulator } from "./support/simulator.ts";

const openaiChat = loadFixture("06931312f62d0b59939d9a2d8cf674611bde5725285ce77ffaae46af1dba9065.json");
const ollamaChat = loadFixture("0e8f2b001dd9.json");

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** `count` targets of one recording's request (the simulator answers each the same). */
function copies(target: ReplayTarget, count: number): ReplayTarget[] {
  return Array.from({ length: count }, (_, i) => ({ ...target, file: `copy-${i}-${target.file}` }));
}

describe("a refused key (401/403)", () => {
  it("stops sending to the provider: over 1,000 recordings at most 2 × concurrency requests reach it", async () => {
    const openai = copies(replayTargetFor(openaiChat) as ReplayTarget, 1000);
    const ollama = copies(replayTargetFor(ollamaChat) as ReplayTarget, 20);
    sim = await startSimulator({ recordings: [openaiChat, ollamaChat], latencyMs: 5 });
    sim.fault({ kind: "status", status: 401 }, { recording: openaiChat.file });
    const config = parseConfig({ concurrency: 8 }, "test");
    const targets = [...openai, ...ollama];
    const results = await collect(replayAll(targets, simulatorOptions(sim, targets, { config })));

    const toOpenai = sim.requests.filter((r) => r.file === openaiChat.file || r.file === null);
    expect(toOpenai.length).toBeLessThanOrEqual(16);
    const openaiResults = results.filter((r) => r.provider === "api.openai.com");
    expect(openaiResults).toHaveLength(1000);
    expect(openaiResults.every((r) => r.outcome.kind === "failed")).toBe(true);
    const reasons = new Set(openaiResults.map((r) => (r.outcome.kind === "failed" ? r.outcome.reason : "")));
    // The ones that were refused quote the provider; all the others carry the one same reason.
    expect([...reasons].sort()).toEqual([
      "OPENAI_API_KEY rejected: 401",
      "OPENAI_API_KEY rejected: 401 Unauthorized: Incorrect API key provided.",
    ]);
    const unsent = openaiResults.filter((r) => r.attempts === 0);
    expect(unsent.length).toBeGreaterThanOrEqual(1000 - 16);
    // Another provider is not affected.
    expect(results.filter((r) => r.outcome.kind === "captured")).toHaveLength(20);
  });

  it("trips on 403 as on 401", async () => {
    const targets = copies(replayTargetFor(openaiChat) as ReplayTarget, 50);
    sim = await startSimulator({ recordings: [openaiChat] });
    sim.fault({ kind: "status", status: 403 });
    const config = parseConfig({ concurrency: 2 }, "test");
    const results = await collect(replayAll(targets, simulatorOptions(sim, targets, { config })));
    expect(sim.requests.length).toBeLessThanOrEqual(4);
    const unsent = results.filter((r) => r.attempts === 0);
    expect(unsent.length).toBeGreaterThanOrEqual(46);
    for (const r of unsent)
      expect(r.outcome).toEqual({ kind: "failed", reason: "OPENAI_API_KEY rejected: 403" });
  });
});

describe("a 429 storm", () => {
  it("ends when the provider's budget is spent: 20,000 recordings, the rest failed unsent", async () => {
    const targets = copies(replayTargetFor(openaiChat) as ReplayTarget, 20_000);
    sim = await startSimulator({ recordings: [openaiChat] });
    sim.fault({ kind: "status", status: 429, retryAfterMs: "5" });
    const config = parseConfig(
      { concurrency: 8, retries: { attempts: 3, "base-delay-ms": 1, "rate-limit-budget-ms": 100 } },
      "test",
    );
    const results = await collect(replayAll(targets, simulatorOptions(sim, targets, { config })));

    expect(results).toHaveLength(20_000);
    expect(results.every((r) => r.outcome.kind === "failed")).toBe(true);
    const budget = "rate-limited: 429 for longer than the budget of 100 ms (retries.rate-limit-budget-ms)";
    const stopped = results.filter((r) => r.outcome.kind === "failed" && r.outcome.reason === budget);
    expect(stopped.length).toBeGreaterThan(19_000);
    // Requests were made only while the budget lasted: a few per slot, not 20,000 × attempts.
    expect(sim.requests.length).toBeLessThan(2_000);
  });

  it("starts over after an answer: 429s that clear up within the budget cost nothing", async () => {
    const targets = copies(replayTargetFor(openaiChat) as ReplayTarget, 30);
    sim = await startSimulator({ recordings: [openaiChat] });
    sim.fault({ kind: "status", status: 429, retryAfterMs: "1" }, { times: 5 });
    const config = parseConfig({ concurrency: 2, retries: { "rate-limit-budget-ms": 60_000 } }, "test");
    const results = await collect(replayAll(targets, simulatorOptions(sim, targets, { config })));
    expect(results.every((r) => r.outcome.kind === "captured")).toBe(true);
  });
});
