// Whether a run checked anything: a replay whose every recording failed or was skipped proves
// nothing, and must not pass as green (`fail-on-empty`, as test reporters fail on zero tests).
import type { CheckSummary } from "./check-report.ts";

/** Failures above this share of the recordings attempted make a run count as empty. */
export const DEFAULT_MAX_FAILED_SHARE = 0.5;

export interface RunHealth {
  /** Recordings a live answer was judged for. */
  checked: number;
  /** Recordings a request was attempted for (all but the skipped). */
  attempted: number;
  /** `failed / attempted`, 0 when nothing was attempted. */
  failedShare: number;
  /** Nothing was checked, or failures exceeded the share: the run says nothing about drift. */
  empty: boolean;
}

export function runHealth(summary: CheckSummary, maxFailedShare = DEFAULT_MAX_FAILED_SHARE): RunHealth {
  const attempted = summary.total - summary.skipped;
  const checked = attempted - summary.failed;
  const failedShare = attempted === 0 ? 0 : summary.failed / attempted;
  return { checked, attempted, failedShare, empty: checked === 0 || failedShare > maxFailedShare };
}
