// `recording-drift merge`: counts add up, results come out sorted by file, and every report
// that cannot be merged is refused with the file (and the JSON path) named, exit 2.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  mergeReportFiles,
  mergeReports,
  parseReport,
  ReportInputError,
  type SourcedReport,
} from "../src/commands/merge.ts";
import { writeReportJson } from "../src/commands/run-replay.ts";
import type { CheckResult, ResultVerdict } from "../src/report/check-report.ts";
import { formatReportJson, makeReport, reportJsonChunks } from "../src/report/check-report.ts";
import { runCli } from "./support/run-cli.ts";
import { makeTempDir } from "./support/temp-dir.ts";

const dir = makeTempDir("recording-drift-merge-reports-");

function result(file: string, verdict: ResultVerdict, extra: Partial<CheckResult> = {}): CheckResult {
  return {
    file,
    testId: `tests/x.py::${path.basename(file)}`,
    endpoint: "/v1/chat/completions",
    model: "gpt-4o",
    provider: "api.openai.com",
    verdict,
    similarity: verdict === "drifted" ? 0.4 : 1,
    reasons: verdict === "drifted" ? ["text: similarity 0.40 < 0.90"] : [],
    ...extra,
  };
}

function write(name: string, value: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value, null, 2));
  return file;
}

const sourced = (
  source: string,
  results: CheckResult[],
  shard?: string,
  partition = "0123456789abcdef",
): SourcedReport => ({
  source,
  report: { ...(shard ? { shard, partition } : {}), ...makeReport(results) },
});

/** A file name for shard k of n's results. */
const fileIn = (k: number, n: number) => `tests/r/${k}-of-${n}.json`;

const expectRefusal = (fn: () => unknown, message: string | RegExp) => {
  expect(fn).toThrow(ReportInputError);
  expect(fn).toThrow(message);
};

describe("merging", () => {
  it("adds the counts up and sorts the results by file, keeping every field", () => {
    const a = sourced("a.json", [
      result("tests/z.json", "drifted", {
        refreshed: true,
        diff: [
          { op: "removed", text: "8" },
          { op: "added", text: "eight" },
        ],
      }),
      result("tests/b.json", "unchanged"),
    ]);
    const b = sourced("b.json", [
      result("tests/a.json", "skipped", { reasons: ["not replayable"] }),
      result("tests/m.json", "failed", { problems: [] }),
    ]);
    const merged = mergeReports([a, b]);
    expect(merged.summary).toEqual({
      total: 4,
      unchanged: 1,
      minor: 0,
      nondeterministic: 0,
      drifted: 1,
      rejected: 0,
      failed: 1,
      skipped: 1,
    });
    expect(merged.results.map((r) => r.file)).toEqual([
      "tests/a.json",
      "tests/b.json",
      "tests/m.json",
      "tests/z.json",
    ]);
    expect(merged.results[3]).toEqual(a.report.results[1]);
  });

  it("keeps what refresh says of renamed, removed, chained and unreachable recordings", () => {
    const report = makeReport([
      result("tests/new.json", "drifted", { refreshed: true, renamedFrom: "tests/old.json" }),
      result("tests/gone.json", "skipped", { unreachable: true, removed: true }),
      result("tests/head.json", "rejected", { downstream: ["tests/tail.json"] }),
      result("tests/tail.json", "unchanged", { needsReRecord: "tool call get_weather: arguments changed" }),
    ]);
    const parsed = parseReport(formatReportJson(report), "r.json");
    expect(parsed).toEqual(report);
    expect(parsed.summary.rejected).toBe(1);
  });

  it("refuses a file that is in two reports, naming it and both reports", () => {
    const a = sourced("shard-a.json", [result("tests/same.json", "unchanged")]);
    const b = sourced("shard-b.json", [
      result("tests/other.json", "unchanged"),
      result("tests/same.json", "drifted"),
    ]);
    expectRefusal(
      () => mergeReports([a, b]),
      "tests/same.json is in both shard-a.json and shard-b.json: merge reports of disjoint recordings (each shard once)",
    );
    expectRefusal(
      () =>
        mergeReports([
          {
            source: "c.json",
            report: {
              ...a.report,
              results: [...a.report.results, ...a.report.results],
              summary: { ...a.report.summary, total: 2, unchanged: 2 },
            },
          },
        ]),
      "tests/same.json is in c.json twice",
    );
  });

  it("a sharded run: every shard once, of the same N and the same partition", () => {
    const one = sourced("1.json", [result(fileIn(1, 3), "unchanged")], "1/3");
    const two = sourced("2.json", [result(fileIn(2, 3), "drifted")], "2/3");
    const three = sourced("3.json", [], "3/3");
    expect(mergeReports([three, one, two]).summary.total).toBe(2);

    expectRefusal(
      () => mergeReports([one, two]),
      "shard 3/3 missing: a merged report of 2 of 3 shards would leave out their recordings",
    );
    expectRefusal(() => mergeReports([one]), "shards 2/3, 3/3 missing");
    expectRefusal(
      () => mergeReports([one, two, three, sourced("again.json", [], "2/3")]),
      "2.json and again.json are both shard 2/3",
    );
    expectRefusal(
      () => mergeReports([one, sourced("4.json", [], "2/4")]),
      "1.json is shard 1/3 but 4.json is shard 2/4: the reports come from runs with different numbers of shards",
    );
    expectRefusal(
      () => mergeReports([one, two, three, sourced("plain.json", [])]),
      "plain.json is not a shard's report but 1.json is shard 1/3: merge the reports of one sharded run",
    );
    expectRefusal(
      () =>
        mergeReports([
          one,
          sourced("2.json", [result(fileIn(2, 3), "drifted")], "2/3", "fedcba9876543210"),
          three,
        ]),
      '1.json and 2.json were partitioned from different recordings (partition "0123456789abcdef" and "fedcba9876543210"): were the shards run from different checkouts or directories?',
    );
    expectRefusal(
      () => mergeReports([one, sourced("2.json", [result(fileIn(1, 3), "drifted")], "2/3"), three]),
      "tests/r/1-of-3.json is in both 1.json and 2.json",
    );
  });
});

describe("reading a report", () => {
  const good = makeReport([result("tests/a.json", "unchanged"), result("tests/b.json", "drifted")]);

  it("reads what check --json writes", () => {
    expect(parseReport(formatReportJson(good), "r.json")).toEqual(good);
  });

  it.each([
    ["broken JSON", '{\n  "summary": {,\n', "r.json: not valid JSON: line 2, column 15: "],
    ["not an object", "[]", "r.json: $: expected a check report object"],
    ["no summary", JSON.stringify({ results: [] }), "r.json: $.summary: expected the summary counts"],
    [
      "an unknown verdict",
      JSON.stringify({ ...good, results: [good.results[0], { ...good.results[1], verdict: "broken" }] }),
      "r.json: $.results[1].verdict: expected one of unchanged, minor, nondeterministic, drifted, rejected, failed, skipped",
    ],
    [
      "reasons not a list",
      JSON.stringify({ ...good, results: [{ ...good.results[0], reasons: "none" }, good.results[1]] }),
      "r.json: $.results[0].reasons: expected an array of strings",
    ],
    [
      "a change of an unknown kind",
      JSON.stringify({
        ...good,
        results: [
          good.results[0],
          { ...good.results[1], changes: [{ kind: "vibes", severity: "drifted", text: "x" }] },
        ],
      }),
      "r.json: $.results[1].changes[0].kind: expected one of error, tool-call, finish-reason",
    ],
    [
      "refreshed not a boolean",
      JSON.stringify({ ...good, results: [{ ...good.results[0], refreshed: "yes" }, good.results[1]] }),
      "r.json: $.results[0].refreshed: expected true or false",
    ],
    [
      "a bad shard",
      JSON.stringify({ ...good, shard: "4/3" }),
      "r.json: $.shard: expected K/N with 1 <= K <= N",
    ],
    [
      "a count that disagrees with the results",
      JSON.stringify({ ...good, summary: { ...good.summary, drifted: 3 } }),
      "r.json: $.summary.drifted is 3, but 1 results are drifted",
    ],
    [
      "a total that disagrees with the results",
      JSON.stringify({ ...good, summary: { ...good.summary, total: 5 } }),
      "r.json: $.summary.total is 5, but 2 results",
    ],
  ])("refuses %s, naming the file and where", (_what, content, message) => {
    expectRefusal(() => parseReport(content, "r.json"), message);
  });

  it("expands globs and directories, and names the pattern that matched nothing", async () => {
    const sub = makeTempDir("recording-drift-merge-glob-");
    writeFileSync(
      path.join(sub, "r1.json"),
      formatReportJson(makeReport([result("tests/a.json", "unchanged")])),
    );
    writeFileSync(path.join(sub, "r2.json"), formatReportJson(makeReport([result("tests/b.json", "minor")])));
    expect((await mergeReportFiles(["r*.json"], sub)).summary).toMatchObject({ total: 2, minor: 1 });
    expect((await mergeReportFiles(["."], sub)).summary.total).toBe(2);
    await expect(mergeReportFiles(["shards/*.json"], sub)).rejects.toThrow(
      "shards/*.json: the pattern matched no files",
    );
  });
});

describe("writing a report", () => {
  it("in pieces, byte for byte what formatReportJson gives, whatever the piece size", async () => {
    const results = Array.from({ length: 50 }, (_, i) =>
      result(`tests/${i}.json`, i % 7 === 0 ? "drifted" : "unchanged", {
        diff: i % 7 === 0 ? [{ op: "added", text: 'line\nbreak "quoted" ünïcode' }] : null,
        refreshed: i % 2 === 0,
      }),
    );
    const reports = [
      makeReport([]),
      { shard: "2/3", ...makeReport(results) },
      { ...makeReport(results.slice(0, 1)), extra: { nested: [1, { a: null }] } },
    ];
    for (const report of reports) {
      for (const size of [1, 100, 64 * 1024]) {
        expect([...reportJsonChunks(report, size)].join("")).toBe(formatReportJson(report));
      }
      const file = path.join(dir, "written.json");
      await writeReportJson(file, report);
      expect(readFileSync(file, "utf8")).toBe(formatReportJson(report));
    }
  });
});

describe("the merge command", () => {
  const a = write(
    "a.json",
    formatReportJson({ shard: "1/2", ...makeReport([result(fileIn(1, 2), "drifted")]) } as never),
  );
  const b = write(
    "b.json",
    formatReportJson({ shard: "2/2", ...makeReport([result(fileIn(2, 2), "unchanged")]) } as never),
  );

  it("writes the merged JSON and Markdown reports, prints the report, exits by --fail-on", async () => {
    const json = path.join(dir, "merged.json");
    const markdown = path.join(dir, "merged.md");
    const run = await runCli(["merge", a, b, "--json", json, "--markdown", markdown]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const merged = JSON.parse(readFileSync(json, "utf8"));
    expect(merged.summary).toEqual({
      total: 2,
      unchanged: 1,
      minor: 0,
      nondeterministic: 0,
      drifted: 1,
      rejected: 0,
      failed: 0,
      skipped: 0,
    });
    expect(merged.shard).toBeUndefined();
    expect(readFileSync(markdown, "utf8")).toContain("### Drifted (1)");
    expect(run.stdout).toContain("\nDrifted (1)\n");
    expect((await runCli(["merge", a, b, "--markdown", "-"])).stdout).toBe(readFileSync(markdown, "utf8"));
    expect((await runCli(["merge", a, b, "--fail-on", "drifted"])).code).toBe(1);
  });

  it.each([
    [["merge"], "recording-drift: merge: expected one or more REPORT.json files"],
    [["merge", "a.json"], "recording-drift: shard 2/2 missing"],
    [["merge", "a.json", "a-again.json"], "recording-drift: a-again.json and a.json are both shard 1/2"],
    [
      ["merge", "a.json", "b.json", "plain.json"],
      "recording-drift: plain.json is not a shard's report but a.json is shard 1/2",
    ],
    [
      ["merge", "plain.json", "plain-too.json"],
      "recording-drift: tests/same.json is in both plain-too.json and plain.json",
    ],
    [["merge", "a.json", "nope.json"], "recording-drift: nope.json: no such file or directory"],
    [
      ["merge", "a.json", "b.json", "--fail-on", "sometimes"],
      "recording-drift: --fail-on: expected one of drifted, failed, never",
    ],
  ])("%j exits 2: %s", async (args, message) => {
    write("a-again.json", readFileSync(a, "utf8"));
    write("plain.json", formatReportJson(makeReport([result("tests/same.json", "unchanged")])));
    write("plain-too.json", formatReportJson(makeReport([result("tests/same.json", "minor")])));
    const run = await runCli(args, { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe("providers and warnings across shards", () => {
  it("unites where each host was sent, and keeps only the warnings every shard gave", () => {
    const a: SourcedReport = {
      source: "a.json",
      report: {
        ...makeReport([result("a.json", "unchanged")]),
        providers: [{ host: "api.openai.com", sentTo: ["https://api.openai.com/v1"] }],
        warnings: [
          "--provider x=http://h: x matches no recorded host",
          "providers[1]: y matches no recorded host",
        ],
      },
    };
    const b: SourcedReport = {
      source: "b.json",
      report: {
        ...makeReport([result("b.json", "unchanged", { provider: "localhost:8000" })]),
        providers: [
          { host: "api.openai.com", sentTo: ["https://proxy.example/v1"] },
          { host: "localhost:8000", sentTo: ["http://localhost:8000/v1"] },
        ],
        warnings: ["--provider x=http://h: x matches no recorded host"],
      },
    };
    const merged = mergeReports([a, b]);
    expect(merged.providers).toEqual([
      { host: "api.openai.com", sentTo: ["https://api.openai.com/v1", "https://proxy.example/v1"] },
      { host: "localhost:8000", sentTo: ["http://localhost:8000/v1"] },
    ]);
    expect(merged.warnings).toEqual(["--provider x=http://h: x matches no recorded host"]);
    expect(parseReport(formatReportJson(merged), "merged.json").providers).toEqual(merged.providers);
  });
});
