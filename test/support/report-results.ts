// Results for report tests, with the messages real runs write (a check of llama-stack's corpus
// with every local provider on a refused port and no keys set): reports of any size without a replay.
import { type CheckResult, makeReport, type ResultVerdict } from "../../src/report/check-report.ts";

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

/** `n` results made by `make(i)`, with zero-padded file names under `prefix`. */
export function many(
  n: number,
  prefix: string,
  make: (file: string, i: number) => CheckResult,
): CheckResult[] {
  return Array.from({ length: n }, (_, i) => make(`${prefix}/${String(i).padStart(6, "0")}.json`, i));
}

export { makeReport };
