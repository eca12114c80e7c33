// File annotations on the pull request's diff: each problem on its line (errors for broken or
// unsafe recordings, warnings for hand-formatted ones), then a notice per meaningful change.
// GitHub shows a limited number per step, so at most 50 go out, with a count of the rest.
import * as core from "@actions/core";
import type { CheckResult } from "../report/check-report.ts";
import { logText } from "../report/untrusted-text.ts";

export const MAX_ANNOTATIONS = 50;

interface Annotation {
  level: "error" | "warning" | "notice";
  message: string;
  file: string;
  line: number;
  title: string;
}

const ORDER = { error: 0, warning: 1, notice: 2 } as const;
const EMIT = { error: core.error, warning: core.warning, notice: core.notice } as const;

function annotationsFor(results: readonly CheckResult[]): Annotation[] {
  const all: Annotation[] = [];
  for (const result of results) {
    for (const problem of result.problems ?? []) {
      all.push({
        // One the base already had is worth a look, not a failure of this change.
        level: problem.atBase ? "warning" : problem.severity,
        message: problem.message,
        file: result.file,
        line: problem.line,
        title: `recording-drift: ${problem.kind} recording`,
      });
    }
    if (result.verdict === "drifted") {
      all.push({
        level: "notice",
        message: `changed meaningfully: ${result.reasons.join("; ")}`,
        file: result.file,
        line: 1,
        title: "recording-drift: drifted",
      });
    }
  }
  return all.sort((a, b) => ORDER[a.level] - ORDER[b.level]);
}

/** Emits the annotations; returns how many were left out. */
export function annotate(results: readonly CheckResult[]): number {
  const all = annotationsFor(results);
  for (const { level, message, file, line, title } of all.slice(0, MAX_ANNOTATIONS)) {
    EMIT[level](logText(message), { file: logText(file), startLine: line, title });
  }
  const left = Math.max(0, all.length - MAX_ANNOTATIONS);
  if (left > 0)
    core.warning(`${left} more findings are not annotated (at most ${MAX_ANNOTATIONS}): see the job summary`);
  return left;
}
