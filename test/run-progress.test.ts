// Progress of a long run, driven by results and a fake clock (no timers): off a terminal a line
// every 5 s of the run, on one a status line redrawn in place and cleared at the end, nothing
// for a run over within its first seconds; and `check` reporting each result as it is kept.
import { describe, expect, it } from "vitest";
import { check } from "../src/commands/check.ts";
import { parseReplayOptions } from "../src/commands/options.ts";
import { type CheckProgress, formatProgress, progressReporter } from "../src/commands/run-progress.ts";
import { runReplay } from "../src/commands/run-replay.ts";
import { type CheckSummary, summarize } from "../src/report/check-report.ts";
import { setupCheck } from "./support/check-setup.ts";
import { TEST_ENV } from "./support/simulator/replay-setup.ts";

function progress(done: number, total: number, counts: Partial<CheckSummary> = {}): CheckProgress {
  return { summary: { ...summarize([]), ...counts, total: done }, total };
}

/** A clock the test moves by hand. */
function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("progress off a terminal", () => {
  it("logs a line every 5 s of the run, none in between", () => {
    const time = clock();
    const lines: string[] = [];
    const reporter = progressReporter({ log: (line) => lines.push(line), now: time.now });
    // One result every 100 ms for 12 s.
    for (let done = 1; done <= 120; done++) {
      time.advance(100);
      reporter.update(progress(done, 3162, { drifted: Math.floor(done / 10), failed: 1 }));
    }
    reporter.end();
    expect(lines).toEqual([
      "checked 50/3,162 recordings: 5 drifted, 1 failed · 10.0/s, ~5m11s left",
      "checked 100/3,162 recordings: 10 drifted, 1 failed · 10.0/s, ~5m06s left",
    ]);
  });

  it("says nothing for a run over within its first seconds", () => {
    const time = clock();
    const lines: string[] = [];
    const reporter = progressReporter({ log: (line) => lines.push(line), now: time.now });
    for (let done = 1; done <= 40; done++) {
      time.advance(100);
      reporter.update(progress(done, 40));
    }
    reporter.end();
    expect(lines).toEqual([]);
  });
});

describe("progress on a terminal", () => {
  it("redraws one status line after the first seconds, at most every 100 ms, and clears it at the end", () => {
    const time = clock();
    const shown: Array<string | null> = [];
    const logged: string[] = [];
    const reporter = progressReporter({
      log: (line) => logged.push(line),
      status: (line) => shown.push(line),
      now: time.now,
    });
    for (let done = 1; done <= 80; done++) {
      time.advance(50);
      reporter.update(progress(done, 80));
    }
    reporter.end();
    expect(logged).toEqual([]);
    // From 3 s to 4 s of the run, every other result (11 lines), then the clearing.
    expect(shown.length).toBe(12);
    expect(shown[0]).toBe("checked 60/80 recordings: 0 drifted, 0 failed · 20.0/s, ~1s left");
    expect(shown.at(-1)).toBeNull();
  });
});

it("formats skipped and rejected only when there are some", () => {
  expect(formatProgress(progress(10, 20, { skipped: 4, rejected: 1, drifted: 2 }), 60_000)).toBe(
    "checked 10/20 recordings: 2 drifted, 1 rejected, 0 failed, 4 skipped · 0.2/s, ~1m00s left",
  );
  expect(formatProgress(progress(0, 20), 1_000)).toBe("checked 0/20 recordings: 0 drifted, 0 failed · 0.0/s");
});

describe("check's progress", () => {
  it("is reported as each result is kept, up to the run's counts", async () => {
    const setup = await setupCheck({}, ["00bf38cb0b6e", "00cf12ddd414", "models-3a641f25d656"]);
    const seen: CheckProgress[] = [];
    // Copies: the summary is the run's running count.
    const report = await check({
      ...setup.options,
      onProgress: (p) => seen.push({ total: p.total, summary: { ...p.summary } }),
    });
    expect(seen.map((p) => [p.summary.total, p.total])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(seen.at(-1)?.summary).toEqual(report.summary);
  });

  it("reaches the log of a run that is no terminal (the action's core.info)", async () => {
    const setup = await setupCheck({}, ["00bf38cb0b6e", "00cf12ddd414", "models-3a641f25d656"]);
    const options = parseReplayOptions({ paths: [setup.dir], providers: setup.options.providerOverrides });
    const lines: string[] = [];
    let now = 0;
    // Each reading of the clock is 3 s later: the run looks long.
    await runReplay("check", options, {
      cwd: setup.dir,
      env: TEST_ENV,
      log: (line) => lines.push(line),
      now: () => (now += 3_000),
    });
    expect(lines).toEqual(["checked 2/3 recordings: 0 drifted, 0 failed · 0.3/s, ~3s left"]);
  });
});
