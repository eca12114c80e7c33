// The job summary: the Markdown report, cut to GitHub's 1 MiB limit per step by dropping whole
// sections, with a note at the end saying where the full report is.
import * as core from "@actions/core";
import type { CheckReport } from "../report/check-report.ts";
import { formatMarkdown, type MarkdownOptions } from "../report/markdown.ts";
import { JOB_SUMMARY_LIMIT } from "../report/report-limits.ts";

/** Appends the report to the step summary; outside Actions (no GITHUB_STEP_SUMMARY) logs it instead. */
export async function writeJobSummary(
  report: CheckReport,
  options: MarkdownOptions & { fullReport: string },
): Promise<void> {
  const text = formatMarkdown(report, { ...options, limit: JOB_SUMMARY_LIMIT });
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info(text);
    return;
  }
  await core.summary.addRaw(text, true).write();
}
