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

const AT_BASE = " already at the base";

function findingsFor(results: readonly CheckResult[]): Finding[] {
  const all: Finding[] = [];
  for (const result of results) {
    for (const problem of result.problems ?? []) {
      // One the base already had is worth knowing, not a failure of this change.
      all.push({
        level: problem.atBase ? "notice" : problem.severity,
        kind: problem.atBase ? `${problem.kind}${AT_BASE}` : problem.kind,
        file: result.file,
        line: problem.line,
        title: `recording-drift: ${problem.kind} recording${problem.atBase ? " (already at the base)" : ""}`,
        message: problem.message,
      });
    }
    if (result.verdict === "drifted") {
      all.push({
        level: "notice",
        kind: "drifted",
        file: result.file,
        line: 1,
        title: "recording-drift: drifted",
        message: `changed meaningfully: ${result.reasons.join("; ")}`,
      });
    }
  }
  // Drift matters more to a reviewer than what the base already had.
  const rank = (finding: Finding) => {
    if (finding.kind.endsWith(AT_BASE)) return URGENCY.length + 1;
    const at = URGENCY.indexOf(finding.kind as RecordingProblem["kind"]);
    return at < 0 ? URGENCY.length : at;
  };
  return all.sort((a, b) => rank(a) - rank(b));
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
