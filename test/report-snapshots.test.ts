// The reports a reviewer reads, as Markdown files under __snapshots__/reports/: the demo, a
// 3,000-recording run with mixed outcomes, a run where nothing could be checked, and the
// pull-request check over a real re-record commit, each for every place it goes. Each is parsed
// back with a GitHub-flavoured Markdown parser: balanced, every <details> closed, within its
// sink's limit. After a deliberate change of the report: `npx vitest run test/report-snapshots.test.ts -u`.
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runHealth } from "../src/report/run-health.ts";
import { markdownProblems } from "./support/markdown-validity.ts";
import {
  demoScenario,
  mixedRunScenario,
  nothingCheckedScenario,
  pullRequestScenario,
  type ReportScenario,
  SINK_LIMITS,
  type Sink,
  sinkMarkdown,
} from "./support/report-scenarios.ts";

function expectSnapshots(build: () => Promise<ReportScenario>, sinks: Sink[]) {
  let scenario: ReportScenario;
  beforeAll(async () => {
    scenario = await build();
  });
  it.each(sinks)("renders its %s as valid Markdown within the limit, as in the snapshot", async (sink) => {
    expect(scenario.sinks).toContain(sink);
    const markdown = sinkMarkdown(scenario, sink);
    const key = `${scenario.name}.${sink}`;
    expect(markdownProblems(markdown, SINK_LIMITS[sink])).toEqual([]);
    // The same on every run: no loopback port, no clock.
    expect(markdown).not.toMatch(/127\.0\.0\.1:\d+|\b20\d\d-\d\d-\d\dT\d\d:/);
    await expect(markdown).toMatchFileSnapshot(`./__snapshots__/reports/${key}.md`);
  });
  return () => scenario;
}

describe("the demo's report", () => {
  const scenario = expectSnapshots(demoScenario, ["job-summary"]);
  it("shows the one changed answer as drift and the rest unchanged", () => {
    expect(scenario().report.summary).toMatchObject({ total: 7, drifted: 1, unchanged: 6 });
  });
});

describe("a refresh of 3,000 recordings with mixed outcomes", () => {
  const scenario = expectSnapshots(mixedRunScenario, ["job-summary", "pr-body"]);
  it("holds every outcome, in a real run's proportions", () => {
    expect(scenario().report.summary).toEqual({
      total: 3_000,
      unchanged: 2_414,
      minor: 41,
      nondeterministic: 0,
      drifted: 115,
      rejected: 0,
      failed: 120,
      skipped: 310,
    });
    expect(runHealth(scenario().report.summary).empty).toBe(false);
    const reasons = scenario().report.results.flatMap((r) => r.reasons);
    for (const expected of [
      /^tool get_weather argument unit: added/,
      /^tool calls: 1 → 0 \(removed calculate\)/,
      /^text: number "105" → "115"/,
      /^model list: removed gpt-4-0613/,
      /^connection refused \(ECONNREFUSED\)/,
      /^500 Internal Server Error/,
      /^no credentials: set GEMINI_API_KEY/,
    ]) {
      expect(
        reasons.some((reason) => expected.test(reason)),
        String(expected),
      ).toBe(true);
    }
  });
  it("names every clone by a file and test id of its own", () => {
    const results = scenario().report.results;
    expect(new Set(results.map((r) => r.file)).size).toBe(results.length);
  });
});

describe("a check where nothing could be checked", () => {
  const scenario = expectSnapshots(nothingCheckedScenario, ["job-summary"]);
  it("fails 1,337 recordings and skips 1,825, with the real causes", () => {
    expect(scenario().report.summary).toMatchObject({ total: 3_162, failed: 1_337, skipped: 1_825 });
    const reasons = new Set(scenario().report.results.flatMap((r) => r.reasons));
    expect(reasons).toContain("connection refused (ECONNREFUSED) after 3 attempts");
    expect(reasons).toContain("no credentials: set OPENAI_API_KEY");
    expect(runHealth(scenario().report.summary)).toMatchObject({ checked: 0, empty: true });
  });
});

describe("the pull-request check over a real re-record commit", () => {
  const scenario = expectSnapshots(pullRequestScenario, ["job-summary", "check-output"]);
  it("flags every change the reviewer's label calls meaningful", () => {
    const labels = JSON.parse(
      readFileSync(path.join(import.meta.dirname, "fixtures/history-commit/labels.json"), "utf8"),
    ) as Array<{ path: string; meaningful: boolean }>;
    const drifted = scenario()
      .report.results.filter((r) => r.verdict === "drifted")
      .map((r) => r.file);
    expect(scenario().report.summary.total).toBe(labels.length);
    expect(drifted).toEqual(expect.arrayContaining(labels.filter((l) => l.meaningful).map((l) => l.path)));
  });
});
