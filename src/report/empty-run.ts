// Why a replay proves nothing, in one line for the step's failure and the CLI's stderr:
// "nothing could be checked: 1,337 failed (connection refused (ECONNREFUSED)), 1,825 skipped
// (not replayable, and 2 other reasons)". Counted from the report the outputs come from.
import type { CheckReport, CheckResult } from "./check-report.ts";
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

/** The most frequent first reason of the results with `verdict`, and how many others there are. */
function commonReason(results: readonly CheckResult[], verdict: "failed" | "skipped"): string {
  const byReason = new Map<string, number>();
  for (const result of results) {
    if (result.verdict !== verdict) continue;
    const reason = result.reasons[0] ?? "no reason given";
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  }
  const [top = "no reason given"] = [...byReason].sort(([, a], [, b]) => b - a).map(([reason]) => reason);
  const shown = logText(top.length > REASON_CHARS ? `${top.slice(0, REASON_CHARS)}…` : top);
  const others = byReason.size - 1;
  return others > 0 ? `${shown}, and ${count(others)} other reason${others === 1 ? "" : "s"}` : shown;
}

const count = (n: number) => n.toLocaleString("en-US");
const percent = (share: number) => `${Math.round(share * 100)}%`;
