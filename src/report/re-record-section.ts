// The report section for tests whose chain a refresh could not rebuild (`needsReRecord`): one line
// per test, with why, and how to hand them to the project's own recorder.
import type { CheckResult } from "./check-report.ts";
import {
  code,
  counted,
  listItem,
  listSection,
  type ReportSection,
  text,
  wordsWithCode,
} from "./report-section.ts";

/** llama-stack's recorder, reading the test ids from a file (pytest's `@file` arguments). */
export const LLAMA_STACK_RE_RECORD_EXAMPLE =
  'pytest @"$RECORDING_DRIFT_TESTS" --inference-mode record-if-missing';

export function reRecordSections(results: readonly CheckResult[]): ReportSection[] {
  const tests = new Map<string, { reason: string; files: number }>();
  for (const result of results) {
    if (result.needsReRecord === undefined) continue;
    const test = result.testId ?? result.file;
    const entry = tests.get(test) ?? { reason: result.needsReRecord, files: 0 };
    entry.files++;
    tests.set(test, entry);
  }
  const items = [...tests].map(([test, { reason, files }]) =>
    listItem(code(test), text(` (${counted(files, "recording")}): ${reason}`)),
  );
  return listSection(
    `Needs re-record (${counted(tests.size, "test")})`,
    [
      ...wordsWithCode(
        "A refresh cannot rebuild these tests' later requests from their new answers, so their " +
          "recordings were left exactly as they were. Re-record them with the project's own recorder: " +
          "delete their recordings and run them in record mode, or let `refresh --re-record-command CMD` " +
          "do it (CMD finds the file of test ids in `$RECORDING_DRIFT_TESTS`), e.g. for llama-stack ",
      ),
      code(LLAMA_STACK_RE_RECORD_EXAMPLE),
      text("."),
    ],
    items,
    { keep: 55, noun: "test" },
  );
}
