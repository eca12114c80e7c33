// The report section for tests whose chain a refresh could not rebuild (`needsReRecord`): one line
// per test, with why, and how to hand them to the project's own recorder.
import type { CheckResult } from "./check-report.ts";
import { markdownText } from "./untrusted-text.ts";

/** llama-stack's recorder, reading the test ids from a file (pytest's `@file` arguments). */
export const LLAMA_STACK_RE_RECORD_EXAMPLE =
  'pytest @"$RECORDING_DRIFT_TESTS" --inference-mode record-if-missing';

export function formatReRecord(results: readonly CheckResult[], maxDetails: number): string[] {
  const tests = new Map<string, { reason: string; files: number }>();
  for (const result of results) {
    if (result.needsReRecord === undefined) continue;
    const test = result.testId ?? result.file;
    const entry = tests.get(test) ?? { reason: result.needsReRecord, files: 0 };
    entry.files++;
    tests.set(test, entry);
  }
  if (tests.size === 0) return [];
  const out = [
    `### Needs re-record (${tests.size} test${tests.size === 1 ? "" : "s"})`,
    "",
    "A refresh cannot rebuild these tests' later requests from their new answers, so their " +
      "recordings were left exactly as they were. Re-record them with the project's own recorder: " +
      "delete their recordings and run them in record mode, or let `refresh --re-record-command CMD` " +
      "do it (CMD finds the file of test ids in `$RECORDING_DRIFT_TESTS`), e.g. for llama-stack " +
      `\`${LLAMA_STACK_RE_RECORD_EXAMPLE}\`.`,
    "",
  ];
  for (const [test, { reason, files }] of [...tests].slice(0, maxDetails)) {
    out.push(
      `- ${markdownText(test)} (${files} recording${files === 1 ? "" : "s"}): ${markdownText(reason)}`,
    );
  }
  if (tests.size > maxDetails)
    out.push(`- … and ${tests.size - maxDetails} more tests (see the JSON report).`);
  return [...out, ""];
}
