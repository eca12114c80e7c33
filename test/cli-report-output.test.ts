// What the report commands print: plain text on stdout by default (coloured only when asked),
// the Markdown report only with `--markdown -`, and the line on what was ignored as noise.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type CheckResult, formatReportJson, makeReport } from "../src/report/check-report.ts";
import { formatMarkdown } from "../src/report/markdown.ts";
import { runCli } from "./support/run-cli.ts";
import { makeTempDir } from "./support/temp-dir.ts";

const dir = makeTempDir("recording-drift-report-output-");
const result = (
  file: string,
  verdict: CheckResult["verdict"],
  extra: Partial<CheckResult> = {},
): CheckResult => ({
  file,
  testId: `tests/integration/test_x.py::test_${path.basename(file, ".json")}`,
  endpoint: "/v1/chat/completions",
  model: "gpt-4o",
  provider: "api.openai.com",
  verdict,
  similarity: null,
  reasons: [],
  ...extra,
});
const report = {
  ...makeReport([
    result("recordings/drifted_one.json", "drifted", {
      similarity: 0.4,
      reasons: ['text: number "105" → "115"'],
      diff: [
        { op: "equal", text: "15 times 7 is" },
        { op: "removed", text: "105." },
        { op: "added", text: "115 *really* [sic]" },
      ],
    }),
    result("recordings/minor_one.json", "minor", {
      reasons: ["usage: completion_tokens 9 → 11"],
      ignoredNoise: { ids: 2, "usage counts": 1 },
    }),
    result("recordings/same_one.json", "unchanged", {
      ignoredNoise: { ids: 3, fingerprints: 1, "re-split streams": 1 },
    }),
  ]),
  providers: [{ host: "api.openai.com", sentTo: ["https://api.openai.com/v1"] }],
};
const reportFile = path.join(dir, "report.json");
writeFileSync(reportFile, formatReportJson(report));

describe("the report on stdout", () => {
  it("is plain text with no Markdown markers, then the line on the noise it ignored", async () => {
    const run = await runCli(["merge", reportFile]);
    expect(run.code).toBe(0);
    for (const marker of ["**", "~~", "##", "\\", "<details>", "| ---", "`"])
      expect(run.stdout).not.toContain(marker);
    expect(run.stdout).not.toContain("\u001B[");
    expect(run.stdout).toContain("\nDrifted (1)\n");
    // Headed by the test's name, its diff as lines of - and +.
    expect(run.stdout).toContain("\ntest_drifted_one\n");
    expect(run.stdout).toContain("\n  - 105.\n  + 115 *really* [sic]\n");
    expect(run.stdout).toContain("\nMinor changes (1)\n");
    expect(run.stdout).toContain("▸ 1 minor change\n");
    expect(run.stdout).toMatch(
      /\n\nignored as noise: 5 new ids, 1 fingerprint, 1 re-split stream, 1 changed usage count\n$/,
    );
  });

  it("is coloured with FORCE_COLOR, and not when NO_COLOR or --no-color say otherwise", async () => {
    const forced = await runCli(["merge", reportFile], { env: { FORCE_COLOR: "1" } });
    expect(forced.stdout).toContain("\u001B[1m\u001B[4mrecording-drift report");
    expect(forced.stdout).toContain("\u001B[31m- 105.\u001B[39m");
    expect(forced.stdout).toContain("\u001B[32m+ 115 *really* [sic]\u001B[39m");
    const text = (await runCli(["merge", reportFile])).stdout;
    for (const run of [
      await runCli(["merge", reportFile, "--no-color"], { env: { FORCE_COLOR: "1" } }),
      await runCli(["merge", reportFile], { env: { FORCE_COLOR: "1", NO_COLOR: "" } }),
    ])
      expect(run.stdout).toBe(text);
  });

  it("is the Markdown report with --markdown -, and nothing else", async () => {
    const run = await runCli(["merge", reportFile, "--markdown", "-"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(formatMarkdown(JSON.parse(readFileSync(reportFile, "utf8"))));
    expect(run.stdout).toContain("```diff\n  15 times 7 is\n- 105.\n+ 115 *really* [sic]\n```");
  });
});
