// A report of any size fits each GitHub limit by dropping whole pieces — collapsed details first,
// then entries beyond each group's top ten, then whole groups and sections — and stays valid
// Markdown, with the note saying so last and outside any <details>.
import { describe, expect, it } from "vitest";
import { formatMarkdown } from "../src/report/markdown.ts";
import {
  CHECK_RUN_OUTPUT_LIMIT,
  JOB_SUMMARY_LIMIT,
  PULL_REQUEST_BODY_LIMIT,
  type ReportLimit,
} from "../src/report/report-limits.ts";
import { markdownProblems } from "./support/markdown-validity.ts";
import { driftedResult as drifted, makeReport, many, mixedReport, result } from "./support/report-results.ts";

const LIMITS: Array<[string, ReportLimit]> = [
  ["pull request body", PULL_REQUEST_BODY_LIMIT],
  ["job summary", JOB_SUMMARY_LIMIT],
  ["check run output", CHECK_RUN_OUTPUT_LIMIT],
];

describe("a 30,000-result report", () => {
  const report = mixedReport(30_000);

  it.each(LIMITS)(
    "cut to the %s limit: within it, valid, the note last and outside <details>",
    (_sink, limit) => {
      const markdown = formatMarkdown(report, {
        title: "recording-drift check",
        limit,
        fullReport: "in report.json",
      });
      expect(markdownProblems(markdown, limit)).toEqual([]);
      expect(markdown.startsWith("## recording-drift check\n\n⚠️ **10,500 recordings drifted")).toBe(true);
      const note = markdown.trimEnd().split("\n").at(-1) ?? "";
      expect(note).toMatch(
        /^\*\*This report was cut\*\* to fit GitHub's limit of .*\. The full report is in report\.json\.$/,
      );
      expect(markdown.lastIndexOf("</details>")).toBeLessThan(markdown.lastIndexOf("This report was cut"));
      // The most pressing sections are kept: failures, then drift with its heaviest recordings.
      expect(markdown).toContain("### Could not check (2,000)");
      expect(markdown).toContain("### Drifted (10,000)");
    },
  );
});

describe("what goes first", () => {
  it("collapsed minor changes before any drifted recording", () => {
    const report = makeReport([
      ...many(30, "drifted", drifted),
      ...many(2_000, "minor", (file) =>
        result(file, "minor", { reasons: ["text reworded, same facts (0.70)"] }),
      ),
    ]);
    const markdown = formatMarkdown(report, { limit: PULL_REQUEST_BODY_LIMIT });
    expect(markdownProblems(markdown, PULL_REQUEST_BODY_LIMIT)).toEqual([]);
    for (let i = 0; i < 30; i++) expect(markdown).toContain(`test_case_${i}[`);
    expect(markdown).toMatch(/… and [\d,]+ more recordings \(see the full report\)\./);
    expect(markdown).toMatch(/: [\d,]+ entries not shown\.$/m);
  });

  it("then entries beyond the top ten of each group, before any group goes, with how many more", () => {
    const report = makeReport(
      many(2_000, "drifted", (file, i) => ({
        ...drifted(file, i),
        testId: `tests/${i % 2 === 0 ? "one" : "two"}.py::test_${i}`,
        model: "m",
      })),
    );
    const markdown = formatMarkdown(report, { limit: { chars: 20_000 } });
    expect(markdownProblems(markdown, { chars: 20_000 })).toEqual([]);
    // Both groups keep their top ten; the room left goes to the first.
    expect(markdown).toContain("#### `tests/one.py` · `m` (1,000)");
    expect(markdown).toContain("#### `tests/two.py` · `m` (1,000)");
    expect(markdown).toContain("… and 990 more recordings (see the full report).");
    expect(markdown).toMatch(/… and 9[0-8]\d more recordings \(see the full report\)\./);
  });

  it("a report within the limit is left whole, with no note", () => {
    const report = makeReport(many(5, "drifted", drifted));
    expect(formatMarkdown(report, { limit: PULL_REQUEST_BODY_LIMIT })).toBe(formatMarkdown(report));
    expect(formatMarkdown(report)).not.toContain("This report was cut");
  });
});
