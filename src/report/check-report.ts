// The results of a replay run (check, refresh, diff) and the JSON report made of them.
import type { Change, WordDiffRun } from "../compare/verdict.ts";

export const VERDICTS = [
  "unchanged",
  "minor",
  "nondeterministic",
  "drifted",
  "rejected",
  "failed",
  "skipped",
] as const;
export type ResultVerdict = (typeof VERDICTS)[number];

export interface CheckResult {
  /** Path relative to the working directory, with `/`. */
  file: string;
  testId: string | null;
  endpoint: string | null;
  model: string | null;
  /** The provider host the recording was routed to. */
  provider: string | null;
  verdict: ResultVerdict;
  similarity: number | null;
  reasons: string[];
  /** The comparison's findings behind `reasons`, each with its kind (tool call, text, …), so a
   *  report ranks and counts changes without reading their words. Absent when nothing was
   *  compared (a failed replay, a skipped file) and in reports written before it existed. */
  changes?: Change[];
  /** The full word diff of the most changed text, when there is one. */
  diff?: WordDiffRun[] | null;
  nondeterministic?: { samples: number; minSimilarity: number | null; varied: string[] } | null;
  consistent?: boolean | null;
  /** Set by `refresh`: whether the file was rewritten with the live answer. */
  refreshed?: boolean;
  /** Set by `refresh` when the recording was written under a new name: the old path (relative,
   *  `/`), which the refresh deleted. */
  renamedFrom?: string;
  /** Set on a recording whose answer later requests of its test embed: those recordings (paths
   *  as `file`), which go stale with it when its answer changes. */
  downstream?: string[];
  /** Set by `refresh` when the recording's test chain could not be refreshed mechanically (a tool
   *  call changed, a piece could not be located…): why. The whole chain was left as it was. */
  needsReRecord?: string;
  /** Set when the file name is not its request's hash: the replaying test can never find it, so
   *  it is skipped (no request spent). */
  unreachable?: boolean;
  /** Set by `refresh` when it deleted this file (`--prune-unreachable`, a hand-off re-record). */
  removed?: boolean;
  /** For a recording judged unchanged or minor: what differed but was ignored as noise (new ids,
   *  timestamps, fingerprints, re-split streams…), kind → count. */
  ignoredNoise?: Record<string, number>;
  /** Set by `diff`: what is wrong with the file itself, whatever its answer says. */
  problems?: RecordingProblem[];
}

export interface RecordingProblem {
  /** invalid: not a readable recording · misnamed: name is not its request hash · credential:
   * a credential-looking string · reformatted: not written as the recorder writes · deleted:
   * the change removed the recording. */
  kind: "invalid" | "misnamed" | "credential" | "reformatted" | "deleted";
  /** `error`: the recording is broken or unsafe to publish; `warning`: worth a look. */
  severity: "error" | "warning";
  message: string;
  /** 1-based line of the file it is on (1 when it is about the whole file). */
  line: number;
  /** The base version had it already: the change did not cause it, and it does not fail it. */
  atBase?: boolean;
}

/** A problem the change caused that makes the file broken or unsafe: it fails a pull request. */
export function isBlocking(problem: RecordingProblem): boolean {
  return problem.severity === "error" && problem.atBase !== true;
}

export type CheckSummary = { total: number } & Record<ResultVerdict, number>;

export interface CheckReport {
  summary: CheckSummary;
  results: CheckResult[];
  /** Where each recorded host's requests were sent (base URLs, never a key). */
  providers?: ProviderUse[];
  /** Things about the run itself worth a look (a `--provider` host that matched nothing). */
  warnings?: string[];
}

export interface ProviderUse {
  /** The recorded host. */
  host: string;
  /** The base URLs its requests went to. */
  sentTo: string[];
}

export function summarize(results: readonly CheckResult[]): CheckSummary {
  const summary = {
    total: results.length,
    ...Object.fromEntries(VERDICTS.map((v) => [v, 0])),
  } as CheckSummary;
  for (const result of results) summary[result.verdict]++;
  return summary;
}

/** `12 recordings: 9 unchanged, 1 minor, …`: the one-line summary logs print. */
export function formatSummaryLine(summary: CheckSummary): string {
  return `${summary.total} recordings: ${VERDICTS.map((verdict) => `${summary[verdict]} ${verdict}`).join(", ")}`;
}

export function makeReport(results: CheckResult[]): CheckReport {
  const sorted = [...results].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { summary: summarize(sorted), results: sorted };
}

export function formatReportJson(report: CheckReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * `formatReportJson(report)` in pieces of about `chunkChars` characters, so a report of tens of
 * thousands of results is written without ever being one string (the results are stringified
 * one by one; the pieces join to exactly the same text).
 */
export function* reportJsonChunks(report: CheckReport, chunkChars = 64 * 1024): Generator<string> {
  let pending = "{";
  let first = true;
  for (const [key, value] of Object.entries(report)) {
    if (value === undefined) continue;
    pending += `${first ? "" : ","}\n  ${JSON.stringify(key)}: `;
    first = false;
    if (key !== "results" || !Array.isArray(value) || value.length === 0) {
      pending += JSON.stringify(value, null, 2).replaceAll("\n", "\n  ");
      continue;
    }
    pending += "[";
    for (const [i, result] of value.entries()) {
      pending += `${i === 0 ? "" : ","}\n    ${JSON.stringify(result, null, 2).replaceAll("\n", "\n    ")}`;
      if (pending.length >= chunkChars) {
        yield pending;
        pending = "";
      }
    }
    pending += "\n  ]";
  }
  yield `${pending}${first ? "}" : "\n}"}\n`;
}
