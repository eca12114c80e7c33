// What `verify` found wrong with one file, as report problems with the line each is on, so a
// pull request check can annotate the exact line (a hand-edited test_id, a pasted API key).
import { expectedFileName } from "../recording/file-name.ts";
import { isJsonObject, type JsonValue } from "../recording/json-value.ts";
import { dumpsPython } from "../recording/json-write.ts";
import type { Recording } from "../recording/recording.ts";
import { scanSecrets } from "../recording/secret-scan.ts";
import { type CheckResult, isBlocking, type RecordingProblem } from "../report/check-report.ts";
import type { VerifyResult } from "./verify.ts";

/**
 * `text` is the file's text and `recording` what it reads as (null when it does not read);
 * both only serve to find lines and the expected name.
 */
export function recordingProblems(
  verified: VerifyResult,
  text: string | null,
  recording: Recording | null,
): RecordingProblem[] {
  if (!verified.valid) {
    // The reader reports syntax errors as `invalid JSON: line N, column M: …`.
    const line = Number(/^invalid JSON: line (\d+),/.exec(verified.errors[0] ?? "")?.[1] ?? 1);
    return [
      {
        kind: "invalid",
        severity: "error",
        message: `invalid recording: ${verified.errors.join("; ")}`,
        line,
      },
      ...(text === null ? [] : credentialsByLine(text)),
    ];
  }
  const problems: RecordingProblem[] = [];
  if (verified.hash === "mismatch") {
    const expected = recording ? expectedFileName(recording) : null;
    problems.push({
      kind: "misnamed",
      severity: "error",
      message:
        `the file name is not the request's hash${expected ? ` (the recorder would name it ${expected})` : ""}: ` +
        "the replaying test cannot find it. Was test_id or the request edited by hand? Re-record it.",
      line: text === null ? 1 : lineOf(text, '"test_id": '),
    });
  }
  for (const finding of verified.secrets) {
    const value = recording ? valueAtPath(recording.data, finding.path) : undefined;
    problems.push({
      kind: "credential",
      severity: "error",
      message: `${finding.kind} at ${finding.path} (${finding.hint}): remove it and revoke it`,
      line: text !== null && typeof value === "string" ? lineOf(text, dumpsPython(value)) : 1,
    });
  }
  if (verified.roundTrip === "different") {
    problems.push({
      kind: "reformatted",
      severity: "warning",
      message: "not written the way the recorder writes (json.dumps, indent 2): edited by hand?",
      line: 1,
    });
  }
  return problems;
}

/**
 * One rule for `verify` and the pull request check: a recording with a problem that fails the
 * step (invalid, misnamed, holding a credential; not one the base already had) is `failed`,
 * whatever its answer says, with those problems first among its reasons. So the `failed` count
 * (outputs, tables) is the number of recordings the step fails on.
 */
export function failedByProblems(result: CheckResult): CheckResult {
  const blocking = (result.problems ?? []).filter(isBlocking).map((problem) => problem.message);
  if (blocking.length === 0) return result;
  const others = result.reasons.filter((reason) => !blocking.includes(reason));
  return { ...result, verdict: "failed", reasons: [...blocking, ...others] };
}

/** A file that does not parse is still scanned, line by line, for credentials. */
function credentialsByLine(text: string): RecordingProblem[] {
  return text.split("\n").flatMap((line, i) =>
    scanSecrets(line).map((finding) => ({
      kind: "credential" as const,
      severity: "error" as const,
      message: `${finding.kind} (${finding.hint}): remove it and revoke it`,
      line: i + 1,
    })),
  );
}

/** 1-based line of the first occurrence of `needle`, or 1 when it does not occur. */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) return 1;
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < at; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** The value at a path written as `scanSecrets` writes them: `$.a.b[0]["x-key"]`. */
function valueAtPath(tree: JsonValue, path: string): JsonValue | undefined {
  let node: JsonValue | undefined = tree;
  for (const [, name, index, quoted] of path
    .slice(1)
    .matchAll(/\.([^.[]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
    if (index !== undefined) node = Array.isArray(node) ? node[Number(index)] : undefined;
    else {
      const key = name ?? (JSON.parse(quoted as string) as string);
      node = isJsonObject(node) ? node[key] : undefined;
    }
  }
  return node;
}
