// Why a replay proves nothing, in one line for the step's failure and the CLI's stderr:
// "nothing could be checked: 1,337 failed (connection refused (ECONNREFUSED)), 1,825 skipped
// (not replayable, and 2 other reasons)". Counted from the report the outputs come from.
import type { CheckReport, CheckResult } from "./check-report.ts";
import { count } from "./report-section.ts";
import type { RunHealth } from "./run-health.ts";
import { logText } from "./untrusted-text.ts";

/** A reason quoted from a provider's answer can be long: its start says enough. */
const REASON_CHARS = 120;

export function emptyRunMessage(report: CheckReport, health: RunHealth, maxFailedShare: number): string {
  const { summary } = report;
  if (summary.total === 0) return "nothing could be checked: no recording to replay";
  if (health.checked === 0) {
    const parts = (["failed", "skipped"] as const)
      .filter((verdict) => summary[verdict] > 0)
      .map((verdict) => `${count(summary[verdict])} ${verdict} (${commonReason(report.results, verdict)})`);
    return `nothing could be checked: ${parts.join(", ")}`;
  }
  return (
    `${count(summary.failed)} of ${count(health.attempted)} recordings attempted failed ` +
    `(${percent(health.failedShare)}, more than the ${percent(maxFailedShare)} allowed): ` +
    commonReason(report.results, "failed")
  );
}

/**
 * What the results with `verdict` have in common: the most frequent reason when they share one
 * cause, else the causes by count ("1,592 no credentials, 445 unreachable, and 2 other causes").
 * A cause is what a reason says before its first ": " (`no credentials: set OPENAI_API_KEY`).
 */
function commonReason(results: readonly CheckResult[], verdict: "failed" | "skipped"): string {
  const byReason = new Map<string, number>();
  const byCause = new Map<string, number>();
  for (const result of results) {
    if (result.verdict !== verdict) continue;
    const reason = result.reasons[0] ?? "no reason given";
    const [cause = reason] = reason.split(": ", 1);
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
    byCause.set(cause, (byCause.get(cause) ?? 0) + 1);
  }
  if (byCause.size === 1) return shown(mostFrequent(byReason)[0]?.[0] ?? "no reason given");
  const causes = mostFrequent(byCause);
  const listed = causes.slice(0, MAX_CAUSES).map(([cause, n]) => `${count(n)} ${shown(cause)}`);
  const others = causes.length - MAX_CAUSES;
  if (others > 0) listed.push(`and ${count(others)} other cause${others === 1 ? "" : "s"}`);
  return listed.join(", ");
}

const MAX_CAUSES = 3;

const mostFrequent = (counts: Map<string, number>) => [...counts].sort(([, a], [, b]) => b - a);

const shown = (reason: string) =>
  logText(reason.length > REASON_CHARS ? `${reason.slice(0, REASON_CHARS)}…` : reason);

const percent = (share: number) => `${Math.round(share * 100)}%`;
