// Progress of a long replay run, from the results as `check` keeps them: on a terminal one status
// line redrawn in place, elsewhere (a CI log, the action) a line every few seconds:
// "checked 1,200/3,162 recordings: 41 drifted, 3 failed · 12.5/s, ~2m40s left".
// Nothing is shown for a run that ends within its first seconds. Written by hand rather than with
// cli-progress: one line of text and a clock are all it takes, and the same lines must also go to
// a log that is no terminal.
import type { CheckSummary } from "../report/check-report.ts";
import { count } from "../report/report-section.ts";

/** How far a run is: the results kept so far (by verdict), of how many recordings. */
export interface CheckProgress {
  summary: CheckSummary;
  total: number;
}

export interface ProgressOptions {
  /** Where a progress line goes when there is no status line. */
  log: (line: string) => void;
  /** A terminal's status line: shows a line in place of the last, or clears it (null). */
  status?: (line: string | null) => void;
  now?: () => number;
  /** Time between logged lines (default 5 s). */
  everyMs?: number;
  /** Time before anything is shown (default 3 s on a status line, else `everyMs`): a short run stays quiet. */
  quietMs?: number;
}

/** How often a status line is redrawn at most: faster is flicker. */
const REDRAW_MS = 100;

export interface ProgressReporter {
  update: (progress: CheckProgress) => void;
  /** The run is over: the status line is cleared. */
  end: () => void;
}

export function progressReporter(options: ProgressOptions): ProgressReporter {
  const now = options.now ?? Date.now;
  const started = now();
  const every = options.status ? REDRAW_MS : (options.everyMs ?? 5_000);
  const quiet = options.quietMs ?? (options.status ? 3_000 : every);
  let last: number | null = null;
  let shown = false;
  return {
    update(progress) {
      const at = now();
      if (at - started < quiet || (last !== null && at - last < every)) return;
      last = at;
      const line = formatProgress(progress, at - started);
      if (options.status) {
        shown = true;
        options.status(line);
      } else options.log(line);
    },
    end() {
      if (shown) options.status?.(null);
    },
  };
}

export function formatProgress({ summary, total }: CheckProgress, elapsedMs: number): string {
  const done = summary.total;
  const outcomes = [
    `${count(summary.drifted)} drifted`,
    summary.rejected > 0 && `${count(summary.rejected)} rejected`,
    `${count(summary.failed)} failed`,
    summary.skipped > 0 && `${count(summary.skipped)} skipped`,
  ].filter(Boolean);
  const rate = done / Math.max(elapsedMs / 1000, 0.001);
  const left = done === 0 ? "" : `, ~${formatDuration(((total - done) / rate) * 1000)} left`;
  return `checked ${count(done)}/${count(total)} recordings: ${outcomes.join(", ")} · ${rate.toFixed(1)}/s${left}`;
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}
