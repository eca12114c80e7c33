// Two versions of one recording, as a reviewer compares them: the test id, then the request by
// what the recorder hashes (so a host, SDK versions or a default keyword argument change
// nothing), then the answer by its meaning, with the same comparison `check` uses.
import { compareCaptures } from "../compare/compare-captures.ts";
import { describeDifference, type JsonDifference, jsonDifferences } from "../compare/json-differences.ts";
import type { CompareOptions } from "../compare/options.ts";
import { parseJson } from "../compare/plain-json.ts";
import {
  type Change,
  type ChangeKind,
  type Verdict,
  verdictRank,
  type WordDiffRun,
} from "../compare/verdict.ts";
import { requestHashInput } from "../recording/file-name.ts";
import { toPlain } from "../recording/json-value.ts";
import { answerFamily, type Recording } from "../recording/recording.ts";
import { storedCapture } from "../recording/stored-capture.ts";

export interface Judged {
  verdict: Verdict;
  similarity: number | null;
  reasons: string[];
  changes: Change[];
  diff: WordDiffRun[] | null;
}

/** The base version against the new one: test id, request, then the answer's meaning. */
export function compareVersions(before: Recording, after: Recording, options: CompareOptions): Judged {
  const judged: Judged = { verdict: "unchanged", similarity: null, reasons: [], changes: [], diff: null };
  const raise = (verdict: Exclude<Verdict, "unchanged">, kind: ChangeKind, reason: string) => {
    if (verdictRank(verdict) > verdictRank(judged.verdict)) judged.verdict = verdict;
    judged.reasons.push(reason);
    judged.changes.push({ kind, severity: verdict, text: reason });
  };
  if (before.testId !== after.testId) {
    raise("minor", "request", `test_id: ${JSON.stringify(before.testId)} → ${JSON.stringify(after.testId)}`);
  }
  for (const change of requestChanges(before, after)) raise(change.verdict, "request", change.reason);
  const family = answerFamily(after);
  if (family === null && before.notReplayable !== null && before.notReplayable === after.notReplayable) {
    // Server state (Ollama's /api/ps) says nothing about behaviour: not compared.
    if (after.endpoint === "/api/ps") {
      judged.reasons.push(`not compared: ${after.notReplayable}`);
      return judged;
    }
  }
  if (family !== null && answerFamily(before) === family) {
    const comparison = compareCaptures(
      storedCapture(toPlain(before.data), family),
      [storedCapture(toPlain(after.data), family)],
      options,
    );
    if (verdictRank(comparison.verdict) > verdictRank(judged.verdict)) judged.verdict = comparison.verdict;
    judged.reasons.push(...comparison.reasons);
    judged.changes.push(...comparison.changes);
    judged.similarity = comparison.similarity;
    judged.diff = comparison.diff;
  } else {
    // No semantic view for this kind (tool invocations, google-genai, Ollama's own API): any
    // change to the stored answer counts.
    const response = jsonDifferences(toPlain(before.response), toPlain(after.response));
    if (response.length > 0) raise("drifted", "body", `response changed: ${describeSome(response)}`);
  }
  if (judged.verdict === "unchanged")
    judged.reasons.push("changed only in noise (ids, fingerprints, obfuscation)");
  return judged;
}

function withoutTestId(request: unknown): Record<string, unknown> {
  const { test_id: _testId, ...rest } = toPlain(request as Recording["request"]) as Record<string, unknown>;
  return rest;
}

// Keyword arguments whose value is what the SDK sends when they are left out.
const SDK_DEFAULTS: Record<string, (value: unknown) => boolean> = {
  extra_body: (value) => isEmptyObject(value),
  extra_query: (value) => isEmptyObject(value),
  extra_headers: (value) => isEmptyObject(value),
  response_format: (value) => JSON.stringify(value) === '{"type":"text"}',
};

function isEmptyObject(value: unknown): boolean {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0
  );
}

/** The recorder's hash input without the test id and without keyword arguments at their default. */
function askedFor(recording: Recording): Record<string, unknown> {
  const input = requestHashInput(recording);
  // File processors are named by no hash: compare what is stored.
  if (input === null) return withoutTestId(recording.request);
  const asked = withoutTestId(input);
  const body = asked.body ?? asked.payload;
  if (typeof body === "object" && body !== null && !Array.isArray(body)) {
    const kept = Object.entries(body).filter(([key, value]) => !SDK_DEFAULTS[key]?.(value));
    asked[asked.body !== undefined ? "body" : "payload"] = Object.fromEntries(kept);
  }
  return asked;
}

/**
 * A string that only changed case or spacing asks the same thing; so does JSON text (a tool
 * result, tool-call arguments) with the same value written with other spacing or key order.
 */
function sameWords(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  const fold = (s: string) => s.toLowerCase().replace(/\s+/g, " ").trim();
  if (fold(a) === fold(b)) return true;
  const [x, y] = [parseJson(a), parseJson(b)];
  return typeof x === "object" && x !== null && typeof y === "object" && jsonDifferences(x, y).length === 0;
}

/**
 * How the request changed, judged on what the recorder hashes: the host, SDK and server versions
 * (`provider_metadata`) and keyword arguments left at their default change nothing. A path that
 * changed while the stored answer's type stayed the same is the 2025-08 recorder's mislabelling
 * being fixed; a string that only changed case or spacing is minor.
 */
function requestChanges(
  before: Recording,
  after: Recording,
): Array<{ verdict: "minor" | "drifted"; reason: string }> {
  const old = askedFor(before);
  const now = askedFor(after);
  const changes: Array<{ verdict: "minor" | "drifted"; reason: string }> = [];
  if (old.endpoint !== now.endpoint && before.replay !== null && before.replay === after.replay) {
    changes.push({
      verdict: "minor",
      reason: `endpoint ${String(old.endpoint)} → ${String(now.endpoint)} (the same ${after.replay} call, relabelled)`,
    });
    delete old.endpoint;
    delete now.endpoint;
  }
  const differences = jsonDifferences(old, now);
  const minor = differences.filter((d) => sameWords(d.stored, d.live));
  const real = differences.filter((d) => !sameWords(d.stored, d.live));
  if (real.length > 0) changes.push({ verdict: "drifted", reason: `request changed: ${describeSome(real)}` });
  if (minor.length > 0)
    changes.push({
      verdict: "minor",
      reason: `request text changed in case, spacing or JSON layout only: ${describeSome(minor)}`,
    });
  return changes;
}

const SHOWN_DIFFERENCES = 3;

function describeSome(differences: JsonDifference[]): string {
  const shown = differences.slice(0, SHOWN_DIFFERENCES).map(describeDifference).join("; ");
  const more = differences.length - SHOWN_DIFFERENCES;
  return more > 0 ? `${shown}; … (${more} more)` : shown;
}
