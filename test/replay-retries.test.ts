import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.ts";
import { MAX_RETRY_AFTER_MS, retryAfterMs } from "../src/replay/attempt-outcome.ts";
import { replayAll } from "../src/replay/replay.ts";
import type { ReplayOptions, ReplayResult, ReplayTarget } from "../src/replay/types.ts";
import { chatVariants, loadFixture, replayTargetFor } from "./support/simulator/fixtures.ts";
import { collect, simulatorOptions } from "./support/simulator/replay-setup.ts";
import { type Simulator, type SimulatorOptions, startSimulator } from "./support/simulator.ts";

const chat = loadFixture("06931312f62d0b59939d9a2d8cf674611bde5725285ce77ffaae46af1dba9065.json");
const target = replayTargetFor(chat) as ReplayTarget;
// Short backoff so tests that retry without a retry-after header stay quick.
const fastRetries = parseConfig(
  { retries: { attempts: 3, "base-delay-ms": 10, "max-delay-ms": 40 } },
  "test",
);

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function replayOne(
  options: Partial<ReplayOptions> = {},
  simOptions: Partial<SimulatorOptions> = {},
  setup: (sim: Simulator) => void = () => {},
): Promise<{ result: ReplayResult; elapsedMs: number; sim: Simulator }> {
  sim = await startSimulator({ recordings: [chat], ...simOptions });
  setup(sim);
  const started = Date.now();
  const [result] = await collect(
    replayAll([target], simulatorOptions(sim, [target], { config: fastRetries, ...options })),
  );
  if (result === undefined) throw new Error("no result");
  return { result, elapsedMs: Date.now() - started, sim };
}

describe("waits the server asks for", () => {
  it("waits the retry-after seconds of a 429, then succeeds on the second attempt", async () => {
    const { result, elapsedMs } = await replayOne({}, {}, (s) =>
      s.fault({ kind: "status", status: 429, retryAfter: "1" }, { times: 1 }),
    );
    expect(result.outcome.kind).toBe("captured");
    expect(result.attempts).toBe(2);
    expect(elapsedMs).toBeGreaterThanOrEqual(1000);
  });

  it("prefers retry-after-ms to retry-after", async () => {
    const { result, elapsedMs } = await replayOne({}, {}, (s) =>
      s.fault({ kind: "status", status: 429, retryAfterMs: "600", retryAfter: "0" }, { times: 1 }),
    );
    expect(result.outcome.kind).toBe("captured");
    expect(result.attempts).toBe(2);
    expect(elapsedMs).toBeGreaterThanOrEqual(600);
  });

  it("reads retry-after as seconds or an HTTP date, and caps the wait at 60 s", () => {
    const now = Date.parse("2026-05-07T12:00:00Z");
    const headers = (entries: Record<string, string>) => new Headers(entries);
    expect(retryAfterMs(headers({ "retry-after": "2" }), now)).toBe(2000);
    expect(retryAfterMs(headers({ "retry-after": "0.5" }), now)).toBe(500);
    expect(retryAfterMs(headers({ "retry-after": "Thu, 07 May 2026 12:00:03 GMT" }), now)).toBe(3000);
    expect(retryAfterMs(headers({ "retry-after": "Thu, 07 May 2026 11:00:00 GMT" }), now)).toBe(0);
    expect(retryAfterMs(headers({ "retry-after": "3600" }), now)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterMs(headers({ "retry-after-ms": "250.5" }), now)).toBe(250.5);
    expect(retryAfterMs(headers({ "retry-after": "soon" }), now)).toBeNull();
    expect(retryAfterMs(headers({}), now)).toBeNull();
  });

  it("keeps every request within a provider's rate limit by honouring its 429s", async () => {
    const recordings = chatVariants(chat, 4);
    const targets = recordings.map((r) => replayTargetFor(r) as ReplayTarget);
    sim = await startSimulator({ recordings, rateLimit: { perSecond: 2, retryAfterSeconds: 1 } });
    const started = Date.now();
    const results = await collect(
      replayAll(targets, simulatorOptions(sim, targets, { config: fastRetries })),
    );

    expect(results.map((r) => r.outcome.kind)).toEqual(["captured", "captured", "captured", "captured"]);
    expect(results.filter((r) => r.attempts === 2)).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(sim.unmatched).toEqual([]);
  });
});

describe("backoff and giving up", () => {
  it("backs off after a 503 and succeeds when the provider recovers", async () => {
    const { result, sim } = await replayOne({}, {}, (s) =>
      s.fault({ kind: "status", status: 503 }, { times: 2 }),
    );
    expect(result.outcome.kind).toBe("captured");
    expect(result.attempts).toBe(3);
    expect(sim.requests).toHaveLength(3);
  });

  it("fails after the configured number of attempts when the 503s never stop", async () => {
    const { result } = await replayOne({}, {}, (s) => s.fault({ kind: "status", status: 503 }));
    expect(result.outcome).toEqual({ kind: "failed", reason: "503 Service Unavailable after 3 attempts" });
    expect(result.attempts).toBe(3);
  });

  it("makes one attempt when retries.attempts is 1", async () => {
    const config = parseConfig({ retries: { attempts: 1 } }, "test");
    const { result } = await replayOne({ config }, {}, (s) => s.fault({ kind: "status", status: 500 }));
    expect(result.outcome).toEqual({ kind: "failed", reason: "500 Internal Server Error after 1 attempts" });
  });

  it("fails a 401 at once, without retrying, naming the key refused", async () => {
    const { result, sim } = await replayOne({}, {}, (s) => s.fault({ kind: "status", status: 401 }));
    expect(result.outcome).toEqual({
      kind: "failed",
      reason: "OPENAI_API_KEY rejected: 401 Unauthorized: Incorrect API key provided.",
    });
    expect(result.attempts).toBe(1);
    expect(sim.requests).toHaveLength(1);
  });

  it("does not retry when the server says x-should-retry: false", async () => {
    const { result } = await replayOne({}, {}, (s) =>
      s.fault({ kind: "status", status: 503, headers: { "x-should-retry": "false" } }),
    );
    expect(result.attempts).toBe(1);
    expect(result.outcome.kind).toBe("failed");
  });

  it("retries a refused connection, then reports it", async () => {
    sim = await startSimulator({ recordings: [chat] });
    const options = simulatorOptions(sim, [target], { config: fastRetries });
    await sim.close();
    const [result] = await collect(replayAll([target], options));
    expect(result?.outcome).toEqual({
      kind: "failed",
      reason: "connection refused (ECONNREFUSED) after 3 attempts",
    });
    expect(result?.attempts).toBe(3);
  });
});

describe("refusals that are answers", () => {
  it("captures a 404 model_not_found as the provider's answer", async () => {
    const body = {
      error: { message: "The model does not exist", type: "invalid_request_error", code: "model_not_found" },
    };
    const { result } = await replayOne({}, {}, (s) => s.fault({ kind: "status", status: 404, body }));
    expect(result.attempts).toBe(1);
    expect(result.outcome).toEqual({
      kind: "captured",
      samples: [
        {
          endpoint: "chat",
          streaming: false,
          status: 404,
          body,
          error: {
            status: 404,
            type: "invalid_request_error",
            code: "model_not_found",
            message: "The model does not exist",
          },
        },
      ],
    });
  });

  it("captures the status a recorded error stored even when it would otherwise be retried", async () => {
    const expectsOverload = { ...target, recordedStatus: 503 };
    sim = await startSimulator({ recordings: [chat] });
    sim.fault({ kind: "status", status: 503 });
    const [result] = await collect(
      replayAll([expectsOverload], simulatorOptions(sim, [expectsOverload], { config: fastRetries })),
    );
    expect(result?.attempts).toBe(1);
    expect(result?.outcome.kind === "captured" && result.outcome.samples[0]?.status).toBe(503);
  });
});
