// GitHub's limits on what it shows, in one place: the report is cut to fit each (cut-report.ts).
import { count } from "./report-section.ts";

/** A size limit in UTF-16 characters (what GitHub counts for bodies) or UTF-8 bytes (summaries). */
export type ReportLimit = { chars: number } | { bytes: number };

/** GitHub refuses pull request bodies longer than this. */
export const PULL_REQUEST_BODY_LIMIT = { chars: 65_536 } as const;

/** GitHub refuses a step summary over this. */
export const JOB_SUMMARY_LIMIT = { bytes: 1024 * 1024 } as const;

/** GitHub refuses a check run's output summary or text longer than this. */
export const CHECK_RUN_OUTPUT_LIMIT = { chars: 65_535 } as const;

/** How big `text` is in the limit's unit. */
export function sizeIn(limit: ReportLimit, text: string): number {
  return "chars" in limit ? text.length : Buffer.byteLength(text, "utf8");
}

/** `65,536 characters`, `1 MiB`: the limit as the truncation note names it. */
export function describeLimit(limit: ReportLimit): string {
  if ("chars" in limit) return `${count(limit.chars)} characters`;
  return limit.bytes % (1024 * 1024) === 0
    ? `${limit.bytes / (1024 * 1024)} MiB`
    : `${count(limit.bytes)} bytes`;
}
