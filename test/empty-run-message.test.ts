// The one line that says why a replay proves nothing: counts from the report, the most common
// reason of each kind of outcome, untrusted reasons made inert.
import { describe, expect, it } from "vitest";
import { parseReplayOptions } from "../src/commands/options.ts";
import { emptyRunFailure } from "../src/commands/run-replay.ts";
import { type CheckResult, makeReport, type ResultVerdict } from "../src/report/check-report.ts";
import { emptyRunMessage } from "../src/report/empty-run.ts";
import { runHealth } from "../src/report/run-health.ts";

const results = (count: number, verdict: ResultVerdict, reason: string): CheckResult[] =>
  Array.from({ length: count }, (_, i) => ({
    file: `${verdict}-${reason.length}-${i}.json`,
    testId: null,
    endpoint: null,
    model: null,
    provider: null,
    verdict,
    similarity: null,
    reasons: [reason],
  }));

const messageFor = (all: CheckResult[], share = 0.5) => {
  const report = makeReport(all);
  return emptyRunMessage(report, runHealth(report.summary, share), share);
};

describe("why a run proves nothing", () => {
  it("nothing checked: failed and skipped counted, with their reason or their causes by count", () => {
    const message = messageFor([
      ...results(1337, "failed", "connection refused (ECONNREFUSED)"),
      ...results(1000, "skipped", "no credentials: set OPENAI_API_KEY"),
      ...results(592, "skipped", "no credentials: set AZURE_API_KEY (or AZURE_OPENAI_API_KEY)"),
      ...results(200, "skipped", "unreachable: the file name is not the request's hash"),
      ...results(20, "skipped", "tool invocation: no HTTP request is stored"),
      ...results(13, "skipped", "Ollama /api/ps: process state (the models loaded right now), not behaviour"),
    ]);
    expect(message).toBe(
      "nothing could be checked: 1,337 failed (connection refused (ECONNREFUSED)), " +
        "1,825 skipped (1,592 no credentials, 200 unreachable, 20 tool invocation, and 1 other cause)",
    );
  });

  it("too many failures: the share, the limit and the most common cause", () => {
    const message = messageFor(
      [...results(60, "failed", "429 rate limited"), ...results(40, "unchanged", "")],
      0.5,
    );
    expect(message).toBe(
      "60 of 100 recordings attempted failed (60%, more than the 50% allowed): 429 rate limited",
    );
  });

  it("a reason quoted from a provider stays one inert line, cut short", () => {
    const message = messageFor(results(2, "failed", `::error::pwned\n${"x".repeat(300)}`));
    expect(message).not.toMatch(/\n|^::|\s::/);
    expect(message.length).toBeLessThan(200);
  });

  it("fails by default; not with --no-fail-on-empty, nor for a shard the partition gave nothing", () => {
    const failedAll = makeReport(results(3, "failed", "connection refused (ECONNREFUSED)"));
    expect(emptyRunFailure(failedAll, parseReplayOptions({}))).toBe(
      "nothing could be checked: 3 failed (connection refused (ECONNREFUSED))",
    );
    expect(emptyRunFailure(failedAll, parseReplayOptions({ failOnEmpty: false }))).toBeNull();
    expect(emptyRunFailure(makeReport([]), parseReplayOptions({ shard: "4/4" }))).toBeNull();
    expect(emptyRunFailure(makeReport([]), parseReplayOptions({}))).toBe(
      "nothing could be checked: no recording to replay",
    );
  });

  it("--max-failed-share moves the line: 60% failed passes at 0.6, fails at 0.5", () => {
    const report = makeReport([...results(6, "failed", "503"), ...results(4, "unchanged", "")]);
    expect(emptyRunFailure(report, parseReplayOptions({ maxFailedShare: "0.6" }))).toBeNull();
    expect(emptyRunFailure(report, parseReplayOptions({ maxFailedShare: "0.5" }))).toMatch(/^6 of 10 /);
  });
});
