// The job summary: the Markdown report with the most drifted recordings first, cut to GitHub's
// 1 MiB limit per step with a note saying where the full report is.
import * as core from "@actions/core";
import type { CheckReport } from "../report/check-report.ts";
import { formatMarkdown, type MarkdownOptions } from "../report/markdown.ts";

/** GitHub refuses a step summary over this many bytes. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

/** The report's Markdown with drifted recordings ordered by similarity, lowest first. */
export function summaryMarkdown(report: CheckReport, options: MarkdownOptions): string {
  const worstFirst = [...report.results].sort((a, b) => (a.similarity ?? 1) - (b.similarity ?? 1));
  return formatMarkdown({ ...report, results: worstFirst }, options);
}

/** Cuts `markdown` to the limit (in UTF-8 bytes) and says so, naming where the rest is. */
export function fitSummary(markdown: string, fullReport: string): string {
  if (Buffer.byteLength(markdown, "utf8") <= SUMMARY_LIMIT_BYTES) return markdown;
  const note = `\n\n---\n> [!NOTE]\n> This summary was cut to GitHub's limit of 1 MiB. The full report is ${fullReport}.\n`;
  const room = SUMMARY_LIMIT_BYTES - Buffer.byteLength(note, "utf8");
  // A cut inside a multi-byte character decodes as U+FFFD: drop it.
  const cut = Buffer.from(markdown, "utf8")
    .subarray(0, room)
    .toString("utf8")
    .replace(/\uFFFD+$/, "");
  return cut + note;
}

/** Appends to the step summary; outside Actions (no GITHUB_STEP_SUMMARY) logs it instead. */
export async function writeJobSummary(markdown: string, fullReport: string): Promise<void> {
  const text = fitSummary(markdown, fullReport);
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info(text);
    return;
  }
  await core.summary.addRaw(text, true).write();
}
