// What kind of change made a recording drift — an error, a tool call, an answer… — for the
// headline ("3 recordings drifted (2 tool calls, 1 answer)"). Read from the reasons' words for
// now; when results carry structured changes, this one function reads those instead.
import type { CheckResult } from "./check-report.ts";

/** Heaviest first: a recording counts under the first kind its reasons show. */
export const DRIFT_KINDS = [
  "error",
  "request",
  "tool call",
  "finish reason",
  "refusal",
  "model",
  "model list",
  "embedding",
  "answer",
] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

const PATTERNS: ReadonlyArray<[DriftKind, RegExp]> = [
  ["error", /^(error\b|provider now |stream |prompt blocked|status\b)/],
  // `diff`: the file now answers another request than its base version did.
  ["request", /^request changed\b/],
  ["tool call", /^tool\b/],
  ["finish reason", /^finish_reason\b/],
  ["refusal", /^refusal\b/],
  ["model list", /^model list\b/],
  ["model", /^model\b/],
  ["embedding", /^embeddings?\b/],
];

/** The kind of a drifted recording's heaviest change; `answer` when none is named. */
export function driftKind(result: CheckResult): DriftKind {
  let best: DriftKind = "answer";
  for (const reason of result.reasons) {
    const subject = reason.replace(/^choice \d+: /, "");
    const found = PATTERNS.find(([, pattern]) => pattern.test(subject));
    if (found && DRIFT_KINDS.indexOf(found[0]) < DRIFT_KINDS.indexOf(best)) best = found[0];
  }
  return best;
}

/** `2 tool calls, 1 answer`: the drifted recordings counted by kind, heaviest first. */
export function driftKindCounts(results: readonly CheckResult[]): Array<[DriftKind, number]> {
  const counts = new Map<DriftKind, number>();
  for (const result of results) {
    const kind = driftKind(result);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return DRIFT_KINDS.filter((kind) => counts.has(kind)).map((kind) => [kind, counts.get(kind) as number]);
}
