// GitHub's limit on what a step may show as its job summary: 1 MiB (annotations: annotation-plan.test.ts).
import { describe, expect, it } from "vitest";
import { fitSummary, SUMMARY_LIMIT_BYTES } from "../src/action/job-summary.ts";

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
