// Results for report tests, with the messages real runs write (a check of llama-stack's corpus
// with every local provider on a refused port and no keys set): reports of any size without a replay.
import type { ChangeKind } from "../../src/compare/verdict.ts";
import {
  type CheckReport,
  type CheckResult,
  makeReport,
  type ResultVerdict,
} from "../../src/report/check-report.ts";

export const MESSAGES = {
  refused: "connection refused (ECONNREFUSED) after 3 attempts",
  noOpenAiKey: "no credentials: set OPENAI_API_KEY",
  noAzureKey: "no credentials: set AZURE_API_KEY (or AZURE_OPENAI_API_KEY), AZURE_API_BASE",
  apiPs: "Ollama /api/ps: process state (the models loaded right now), not behaviour",
  toolInvocation: "tool invocation: no HTTP request is stored",
  unreachable: (hash: string) =>
    `unreachable: the file name is not the request's hash (the recorder would name it ${hash}.json), so its test can never find it`,
  timedOut: "request timed out after 120000 ms",
} as const;

/** A result of `verdict` for `file`, the test id derived from it unless given. */
export function result(file: string, verdict: ResultVerdict, extra: Partial<CheckResult> = {}): CheckResult {
  return {
    file,
    testId: `tests/integration/inference/test_openai_completion.py::test_${file.replace(/\W/g, "_")}`,
    endpoint: "/v1/chat/completions",
    model: "llama3.2:3b",
    provider: "0.0.0.0:11434",
    verdict,
    similarity: null,
    reasons: [],
    ...extra,
  };
}

/**
 * The reasons and structured changes a comparison gives for `found` (kind, words): what the
 * report ranks and counts by.
 */
export function changed(
  severity: "minor" | "drifted",
  ...found: ReadonlyArray<readonly [ChangeKind, string]>
): Pick<CheckResult, "reasons" | "changes"> {
  return {
    reasons: found.map(([, text]) => text),
    changes: found.map(([kind, text]) => ({ kind, severity, text })),
  };
}

/** `n` results made by `make(i)`, with zero-padded file names under `prefix`. */
export function many(
  n: number,
  prefix: string,
  make: (file: string, i: number) => CheckResult,
): CheckResult[] {
  return Array.from({ length: n }, (_, i) => make(`${prefix}/${String(i).padStart(6, "0")}.json`, i));
}

/** A drifted recording with a changed number, its word diff quoting hostile-looking text. */
export function driftedResult(file: string, i: number): CheckResult {
  return result(file, "drifted", {
    testId: `tests/integration/inference/test_${i % 100}.py::test_case_${i}[txt=ollama/llama3.2:3b]`,
    model: i % 2 === 0 ? "llama3.2:3b" : "gpt-4o",
    similarity: (i % 97) / 97,
    reasons: [`text: number "${i}" → "${i + 1}"`],
    diff: [
      { op: "equal", text: "The answer is " },
      { op: "removed", text: `${i} ~~degrees~~ **hot**` },
      { op: "added", text: `${i + 1} degrees <img src=x> @org/team fixes #${i}` },
    ],
  });
}

/** `n` results of every kind, in the proportions of 30,000: a third drifted, a sixth minor… */
export function mixedReport(n: number): CheckReport {
  const part = (share: number) => Math.round((n * share) / 30_000);
  return makeReport([
    ...many(part(10_000), "drifted", driftedResult),
    ...many(part(5_000), "minor", (file) =>
      result(file, "minor", { reasons: ["text reworded, same facts (0.70)"] }),
    ),
    ...many(part(9_000), "same", (file) => result(file, "unchanged")),
    ...many(part(2_000), "down", (file, i) =>
      result(file, "failed", { provider: `localhost:${8000 + (i % 50)}`, reasons: [MESSAGES.refused] }),
    ),
    ...many(part(2_000), "keys", (file) =>
      result(file, "skipped", { provider: "api.openai.com", reasons: [MESSAGES.noOpenAiKey] }),
    ),
    ...many(part(1_000), "lost", (file, i) =>
      result(file, "skipped", {
        provider: null,
        unreachable: true,
        reasons: [MESSAGES.unreachable(i.toString(16).padStart(64, "0"))],
      }),
    ),
    ...many(part(500), "models", (file, i) =>
      result(file, "drifted", {
        endpoint: "/api/tags",
        provider: `host-${i % 5}:11434`,
        model: null,
        reasons: [`model list: removed model-${i % 7}:latest`],
      }),
    ),
    ...many(part(500), "gone", (file, i) =>
      result(file, "rejected", {
        model: `model-${i % 30}`,
        reasons: ["provider now rejects: 404 model_not_found"],
      }),
    ),
  ]);
}

export { makeReport };
