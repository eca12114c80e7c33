// File annotations on the pull request's diff: each problem on its line (errors for broken or
// unsafe recordings, warnings for hand-formatted ones, notices for problems the base already
// had), then a notice per meaningful change. Within a level the most urgent kinds come first
// (a pasted credential before a misnamed file), as GitHub shows only the first few.
import * as core from "@actions/core";
import type { CheckResult, RecordingProblem } from "../report/check-report.ts";
import { logText } from "../report/untrusted-text.ts";
import {
  type AnnotationLevel,
  type Finding,
  GITHUB_ANNOTATIONS_PER_LEVEL,
  planAnnotations,
} from "./annotation-plan.ts";

const URGENCY: readonly RecordingProblem["kind"][] = [
  "credential",
  "invalid",
  "misnamed",
  "deleted",
  "reformatted",
];

/** Rank of a problem, or of a drifted recording's notice (`null`): most urgent first, then
 *  drift, then what the base already had, which matters least to this change. */
function urgency(problem: RecordingProblem | null): number {
  if (problem === null) return URGENCY.length;
  return problem.atBase ? URGENCY.length + 1 : URGENCY.indexOf(problem.kind);
}

function findingsFor(results: readonly CheckResult[]): Finding[] {
  const ranked: Array<{ finding: Finding; rank: number }> = [];
  for (const result of results) {
    for (const problem of result.problems ?? []) {
      // One the base already had is worth knowing, not a failure of this change.
      const finding: Finding = {
        level: problem.atBase ? "notice" : problem.severity,
        kind: problem.atBase ? `${problem.kind} already at the base` : problem.kind,
        file: result.file,
        line: problem.line,
        title: `recording-drift: ${problem.kind} recording${problem.atBase ? " (already at the base)" : ""}`,
        message: problem.message,
      };
      ranked.push({ finding, rank: urgency(problem) });
    }
    if (result.verdict === "drifted") {
      const finding: Finding = {
        level: "notice",
        kind: "drifted",
        file: result.file,
        line: 1,
        title: "recording-drift: drifted",
        message: `changed meaningfully: ${result.reasons.join("; ")}`,
      };
      ranked.push({ finding, rank: urgency(null) });
    }
  }
  return ranked.sort((a, b) => a.rank - b.rank).map(({ finding }) => finding);
}

const EMIT = { error: core.error, warning: core.warning, notice: core.notice } as const;

/**
 * Emits the annotations of `results` within GitHub's limits. `taken` counts the annotations the
 * step emits elsewhere, per level (its failure message is an error annotation too).
 */
export function annotate(
  results: readonly CheckResult[],
  taken: Partial<Record<AnnotationLevel, number>> = {},
): void {
  const room = (level: AnnotationLevel) => GITHUB_ANNOTATIONS_PER_LEVEL - (taken[level] ?? 0);
  const plan = planAnnotations(findingsFor(results), {
    error: room("error"),
    warning: room("warning"),
    notice: room("notice"),
  });
  for (const { level, message, file, line, title } of plan.annotations) {
    EMIT[level](logText(message), { file: logText(file), startLine: line, title });
  }
  for (const { level, message } of plan.summaries) EMIT[level](message);
}
