// Why `verify` or the pull request check fails its step, and what problems the base already had,
// in words counted from the same report whose summary becomes the outputs and the table: the
// step's message can never say another number than they do.
import { type CheckReport, isBlocking, type RecordingProblem } from "./check-report.ts";
import { count } from "./report-section.ts";

const KIND_WORDS: Record<RecordingProblem["kind"], string> = {
  credential: "with credential-looking strings",
  invalid: "invalid",
  misnamed: "misnamed",
  reformatted: "reformatted",
  deleted: "deleted",
};

/** `445 misnamed, 2 invalid`: recordings per kind of problem (one recording may have several). */
function byKind(report: CheckReport, counts: (problem: RecordingProblem) => boolean): string {
  const recordings = new Map<RecordingProblem["kind"], number>();
  for (const result of report.results) {
    const kinds = new Set((result.problems ?? []).filter(counts).map((problem) => problem.kind));
    for (const kind of kinds) recordings.set(kind, (recordings.get(kind) ?? 0) + 1);
  }
  return [...recordings]
    .sort(([, a], [, b]) => b - a)
    .map(([kind, n]) => `${count(n)} ${KIND_WORDS[kind]}`)
    .join(", ");
}

/**
 * "448 recordings fail verification: 445 misnamed, 2 invalid, 1 with credential-looking strings
 * (see the annotations and the job summary)", or null when none does. `verb` says what they do, for one and for
 * several ("fails verification", "fail verification"); `changed` names them changed recordings
 * (the pull request check).
 */
export function failedRecordingsMessage(
  report: CheckReport,
  verb: readonly [one: string, several: string],
  { changed = false } = {},
): string | null {
  const { failed } = report.summary;
  if (failed === 0) return null;
  const noun = `${changed ? "changed " : ""}${failed === 1 ? "recording" : "recordings"}`;
  return `${count(failed)} ${noun} ${verb[failed === 1 ? 0 : 1]}: ${byKind(report, isBlocking)} (see the annotations and the job summary)`;
}

/** Recordings with a problem the base already had: the pull request check reports, never fails them. */
export function recordingsWithProblemsAtBase(report: CheckReport): number {
  return report.results.filter((result) => result.problems?.some((p) => p.atBase)).length;
}

/** The pull request check's own line for problems it does not fail on, or null when none. */
export function atBaseProblemsLine(report: CheckReport): string | null {
  const atBase = recordingsWithProblemsAtBase(report);
  if (atBase === 0) return null;
  const have = atBase === 1 ? "recording has" : "recordings have";
  return (
    `${count(atBase)} ${have} problems the base already had ` +
    `(notices; they do not fail this pull request): ${byKind(report, (p) => p.atBase === true)}`
  );
}
