// GitHub's limits on what a step may show: 1 MiB of job summary, a handful of annotations.
import { describe, expect, it, vi } from "vitest";
import { annotate, MAX_ANNOTATIONS } from "../src/action/annotations.ts";
import { fitSummary, SUMMARY_LIMIT_BYTES } from "../src/action/job-summary.ts";
import type { CheckResult } from "../src/report/check-report.ts";

describe("the job summary", () => {
  it("is left as it is within 1 MiB", () => {
    const markdown = "x".repeat(SUMMARY_LIMIT_BYTES);
    expect(fitSummary(markdown, "in report.json")).toBe(markdown);
  });

  it("is cut to 1 MiB of UTF-8 with a note naming the full report, never mid-character", () => {
    const markdown = `## report\n${"| 🦙 drifted | é |\n".repeat(60_000)}`;
    const fitted = fitSummary(markdown, "in report.json");
    expect(Buffer.byteLength(markdown)).toBeGreaterThan(SUMMARY_LIMIT_BYTES);
    expect(Buffer.byteLength(fitted)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    expect(fitted.startsWith("## report\n| 🦙 drifted | é |\n")).toBe(true);
    expect(fitted).toMatch(/cut to GitHub's limit of 1 MiB\. The full report is in report\.json\.\n$/);
    expect(fitted).not.toContain("\uFFFD");
  });
});

describe("annotations", () => {
  it(`emits at most ${MAX_ANNOTATIONS}, errors first, and says how many more there are`, () => {
    const results: CheckResult[] = Array.from({ length: 60 }, (_, i) => ({
      file: `recordings/${String(i).padStart(2, "0")}.json`,
      testId: null,
      endpoint: null,
      model: null,
      provider: null,
      verdict: i % 2 === 0 ? "drifted" : "failed",
      similarity: null,
      reasons: ["text changed"],
      problems: i % 2 === 0 ? [] : [{ kind: "invalid", severity: "error", message: "bad", line: 3 }],
    }));
    let out = "";
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    try {
      expect(annotate(results)).toBe(10);
    } finally {
      spy.mockRestore();
    }
    const lines = out.trim().split("\n");
    expect(lines.filter((l) => /^::error .*file=/.test(l))).toHaveLength(30);
    expect(lines.filter((l) => /^::notice .*file=/.test(l))).toHaveLength(20);
    expect(lines.findIndex((l) => l.startsWith("::notice"))).toBe(30);
    expect(lines.at(-1)).toBe(
      "::warning::10 more findings are not annotated (at most 50): see the job summary",
    );
  });
});
