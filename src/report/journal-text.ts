// What a refresh journal says, for the terminal: whether the run finished, the files it changed,
// and the changes in flight when it stopped, each with what its file holds now.
import { logText } from "./untrusted-text.ts";

export type JournalAction = "write" | "rename" | "delete";

/**
 * A change the journal announced: `done` when it says so; otherwise what the file's bytes tell
 * (`made`: the change landed before the run stopped; `not made`: the file is as before; `half
 * made`: renamed, the old name still there; `unknown`: the file holds other bytes).
 */
export type ChangeState = "done" | "made" | "not made" | "half made" | "unknown";

export interface JournalChange {
  seq: number;
  /** Relative to the run's working directory, with `/`. */
  path: string;
  action: JournalAction;
  from?: string;
  state: ChangeState;
  /** Why the state is what it is, for a change not marked done. */
  detail?: string;
}

export interface JournalState {
  file: string;
  /** The run wrote its last line: it finished and wrote its reports. */
  complete: boolean;
  started: string | null;
  changes: JournalChange[];
  /** Lines that do not read (a line cut short by the stop), by number. */
  problems: string[];
}

export function formatJournalText(state: JournalState): string {
  const lines: string[] = [];
  const started = state.started === null ? "" : ` (started ${logText(state.started)})`;
  const done = state.changes.filter((c) => c.state === "done");
  const inFlight = state.changes.filter((c) => c.state !== "done");
  lines.push(
    state.complete
      ? `journal ${logText(state.file)}: the refresh finished${started}`
      : `journal ${logText(state.file)}: the refresh did not finish${started}; its reports may be missing or older`,
  );
  lines.push(`changed (${done.length}):`);
  for (const change of done) lines.push(`  ${changeLine(change)}`);
  if (inFlight.length > 0) {
    // In a run that finished, a change begun and not done is one that failed (its report says why).
    lines.push(`${state.complete ? "failed" : "in flight when it stopped"} (${inFlight.length}):`);
    for (const change of inFlight) lines.push(`  ${changeLine(change)}: ${change.state}, ${change.detail}`);
  }
  for (const problem of state.problems) lines.push(`warning: ${logText(problem)}`);
  return `${lines.join("\n")}\n`;
}

function changeLine(change: JournalChange): string {
  const from = change.from === undefined ? "" : ` (from ${logText(change.from)})`;
  return `${change.action.padEnd(6)} ${logText(change.path)}${from}`;
}
