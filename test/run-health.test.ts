import { describe, expect, it } from "vitest";
import { summarize } from "../src/report/check-report.ts";
import { runHealth } from "../src/report/run-health.ts";

const verdicts = (counts: Record<string, number>) =>
  summarize(
    Object.entries(counts).flatMap(([verdict, n]) =>
      Array.from({ length: n }, (_, i) => ({
        file: `${verdict}-${i}.json`,
        testId: null,
        endpoint: null,
        model: null,
        provider: null,
        verdict: verdict as "unchanged",
        similarity: null,
        reasons: [],
      })),
    ),
  );

describe("run health", () => {
  it("calls a run that replayed nothing empty (every provider unreachable)", () => {
    const health = runHealth(verdicts({ failed: 1337, skipped: 1825 }));
    expect(health).toMatchObject({ checked: 0, attempted: 1337, empty: true });
  });
  it("calls a run with no recordings at all empty", () => {
    expect(runHealth(verdicts({})).empty).toBe(true);
  });
  it("calls a run whose failures exceed the share empty, and one at the share not", () => {
    expect(runHealth(verdicts({ unchanged: 4, failed: 6 })).empty).toBe(true);
    expect(runHealth(verdicts({ unchanged: 5, failed: 5 })).empty).toBe(false);
    expect(runHealth(verdicts({ unchanged: 9, failed: 1 }), 0.05).empty).toBe(true);
  });
  it("does not count skipped recordings against the run", () => {
    const health = runHealth(verdicts({ drifted: 1, skipped: 500 }));
    expect(health).toMatchObject({ checked: 1, attempted: 1, failedShare: 0, empty: false });
  });
});
