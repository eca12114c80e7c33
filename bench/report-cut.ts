// Times cutting the Markdown report of 30,000 results to GitHub's limits against serialising the
// whole report once (what `--markdown` does), in this run, and prints their ratios: the cut
// measures only the pieces it considers, so it must cost no more than the whole. Also the cut of
// 30,000 results against that of 3,000, which a quadratic cut would make ~100.
// Run: npx tsx bench/report-cut.ts
import { formatMarkdown } from "../src/report/markdown.ts";
import { JOB_SUMMARY_LIMIT, PULL_REQUEST_BODY_LIMIT, type ReportLimit } from "../src/report/report-limits.ts";
import { mixedReport } from "../test/support/report-results.ts";
import { emitResult } from "./result.ts";

const RUNS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function ms(n: number, limit: ReportLimit | undefined): number {
  const report = mixedReport(n);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    formatMarkdown(report, limit ? { limit, fullReport: "in report.json" } : {});
    times.push(performance.now() - start);
  }
  return median(times);
}

const whole = ms(30_000, undefined);
const body = ms(30_000, PULL_REQUEST_BODY_LIMIT);
const summary = ms(30_000, JOB_SUMMARY_LIMIT);
const summarySmall = ms(3_000, JOB_SUMMARY_LIMIT);
console.log(
  `30,000 results: whole ${whole.toFixed(0)} ms, pull request body ${body.toFixed(0)} ms, job summary ${summary.toFixed(0)} ms`,
);
console.log(`3,000 results: job summary ${summarySmall.toFixed(0)} ms`);

emitResult({
  name: "report cut to 65,536 chars / whole report, 30,000 results",
  measured: (body / whole).toFixed(2),
  target: "≤ 1",
  met: body <= whole,
  detail: `${body.toFixed(0)} ms / ${whole.toFixed(0)} ms`,
});
emitResult({
  name: "report cut to 1 MiB / whole report, 30,000 results",
  measured: (summary / whole).toFixed(2),
  target: "≤ 1.5",
  met: summary <= 1.5 * whole,
  detail: `${summary.toFixed(0)} ms / ${whole.toFixed(0)} ms`,
});
emitResult({
  name: "report cut to 1 MiB, 30,000 / 3,000 results",
  measured: (summary / summarySmall).toFixed(2),
  target: "≤ 15 (linear: 10)",
  met: summary <= 15 * summarySmall,
  detail: `${summary.toFixed(0)} ms / ${summarySmall.toFixed(0)} ms`,
});
