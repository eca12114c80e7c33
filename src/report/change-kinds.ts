// What kind of change decided a recording's verdict (a tool call, an answer's text…), read from
// the comparison's structured changes, never from the words of its reasons: what the report
// ranks recordings by and counts in its headline.
import { CHANGE_KINDS, type Change, type ChangeKind } from "../compare/verdict.ts";
import type { CheckResult } from "./check-report.ts";
import { count } from "./report-section.ts";

export type { ChangeKind } from "../compare/verdict.ts";

/** How each kind is named in a count: `1 tool call`, `2 answers`. */
const NAMES: Record<ChangeKind, readonly [one: string, many: string]> = {
  error: ["error", "errors"],
  "tool-call": ["tool call", "tool calls"],
  "finish-reason": ["finish reason", "finish reasons"],
  refusal: ["refusal", "refusals"],
  shape: ["answer shape", "answer shapes"],
  body: ["body", "bodies"],
  model: ["model", "models"],
  "model-list": ["model list", "model lists"],
  request: ["request", "requests"],
  embedding: ["embedding", "embeddings"],
  text: ["answer", "answers"],
  usage: ["usage count", "usage counts"],
};

/** Heaviest first: the order of `CHANGE_KINDS`. */
export function kindOrder(kind: ChangeKind): number {
  return CHANGE_KINDS.indexOf(kind);
}

/** `2 tool calls`, `1 answer`. */
export function countOfKind(kind: ChangeKind, n: number): string {
  const [one, many] = NAMES[kind];
  return `${count(n)} ${n === 1 ? one : many}`;
}

/**
 * The changes that made the verdict (those of its severity; all of them when none has it, as
 * for a recording refreshed from a rebuilt request), heaviest kind first.
 */
function decidingChanges(result: CheckResult): Change[] {
  const changes = result.changes ?? [];
  const deciding = changes.filter((change) => change.severity === result.verdict);
  return deciding.length > 0 ? deciding : changes;
}

/**
 * The kinds of change that made a recording's verdict, heaviest first and each once: a drifted
 * recording whose tool call and text changed, and whose usage counts moved (minor), gives
 * `["tool-call", "text"]`. The headline counts a recording by the first. Empty when nothing was
 * compared (a failed replay, a skipped file, a report written before kinds were recorded).
 */
export function changeKinds(result: CheckResult): ChangeKind[] {
  const kinds = new Set(decidingChanges(result).map((change) => change.kind));
  return [...kinds].sort((a, b) => kindOrder(a) - kindOrder(b));
}

/**
 * `[["tool-call", 2], ["text", 1]]`: recordings counted by the heaviest kind of change that made
 * their verdict, heaviest first; one with no recorded kinds (a report from before kinds existed)
 * counts as an answer.
 */
export function kindCounts(results: readonly CheckResult[]): Array<[ChangeKind, number]> {
  const counts = new Map<ChangeKind, number>();
  for (const result of results) {
    const kind = changeKinds(result)[0] ?? "text";
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].sort(([a], [b]) => kindOrder(a) - kindOrder(b));
}
