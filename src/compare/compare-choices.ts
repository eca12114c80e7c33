// Chat, completion and passthrough message answers, choice by choice: structure (role, finish
// reason, refusal, logprobs, tool calls) is `drifted` when it changes; text is judged by
// similarity; the model snapshot and usage counts are `minor` at most.

import { compareAnswerText } from "./compare-answer-text.ts";
import { compareModel, compareUsage } from "./compare-metadata.ts";
import { compareToolCalls } from "./compare-tool-calls.ts";
import type { CompareOptions } from "./options.ts";
import { shortJson } from "./plain-json.ts";
import type { ChoicesView, ChoiceView } from "./semantic-view.ts";
import type { ChangeKind, Finding, ViewComparison, WordDiffRun } from "./verdict.ts";

interface ChoiceComparison {
  findings: Finding[];
  similarity: number;
  diff: WordDiffRun[] | null;
}

/** `said` names the field in the reason when its name is not a phrase (`finish_reason`). */
function changed(kind: ChangeKind, field: string, stored: string, live: string, said = field): Finding {
  return { severity: "drifted", kind, field, text: `${said}: ${stored} → ${live}` };
}

function compareRefusal(stored: string | null, live: string | null, options: CompareOptions) {
  if (stored === null && live === null) return null;
  if (stored === null || live === null) {
    const text = stored === null ? `refusal appeared: ${shortJson(live)}` : "refusal vanished";
    return {
      finding: { severity: "drifted", kind: "refusal", field: "refusal", text } satisfies Finding,
      similarity: 0,
      diff: null,
    };
  }
  return compareAnswerText("refusal", stored, live, options);
}

function compareChoice(stored: ChoiceView, live: ChoiceView, options: CompareOptions): ChoiceComparison {
  const findings: Finding[] = [];
  // A stream may leave the role out; only two different roles are a change.
  if (stored.role !== null && live.role !== null && stored.role !== live.role) {
    findings.push(changed("shape", "role", stored.role, live.role));
  }
  if (stored.finishReason !== live.finishReason) {
    findings.push(
      changed(
        "finish-reason",
        "finish_reason",
        String(stored.finishReason),
        String(live.finishReason),
        "finish reason",
      ),
    );
  }
  if (stored.logprobs !== live.logprobs) {
    findings.push(
      changed(
        "shape",
        "logprobs",
        stored.logprobs ? "present" : "absent",
        live.logprobs ? "present" : "absent",
      ),
    );
  }
  findings.push(...compareToolCalls(stored.toolCalls, live.toolCalls));
  const texts = [
    compareRefusal(stored.refusal, live.refusal, options),
    compareAnswerText("text", stored.text, live.text, options),
  ];
  let similarity = 1;
  let diff: WordDiffRun[] | null = null;
  for (const text of texts) {
    if (!text) continue;
    if (text.finding) findings.push(text.finding);
    if (text.similarity <= similarity) {
      similarity = text.similarity;
      diff = text.diff;
    }
  }
  return { findings, similarity, diff };
}

/** Prefixes each finding with its choice when the answer has several. */
function forChoice(findings: Finding[], index: number, several: boolean): Finding[] {
  if (!several) return findings;
  return findings.map((f) => ({
    ...f,
    field: `choice ${index} ${f.field}`,
    text: `choice ${index}: ${f.text}`,
  }));
}

export function compareChoices(
  stored: ChoicesView,
  live: ChoicesView,
  options: CompareOptions,
): ViewComparison {
  const findings: Finding[] = [];
  if (stored.choices.length !== live.choices.length) {
    const text = `choices: ${stored.choices.length} → ${live.choices.length}`;
    findings.push({ severity: "drifted", kind: "shape", field: "choices", text });
  }
  const several = stored.choices.length > 1 || live.choices.length > 1;
  let similarity = 1;
  let diff: WordDiffRun[] | null = null;
  for (const choice of stored.choices) {
    const other = live.choices.find((c) => c.index === choice.index);
    if (!other) continue;
    const result = compareChoice(choice, other, options);
    findings.push(...forChoice(result.findings, choice.index, several));
    if (result.similarity <= similarity) {
      similarity = result.similarity;
      diff = result.diff;
    }
  }
  findings.push(...compareModel(stored.model, live.model), ...compareUsage(stored.usage, live.usage));
  return { findings, similarity, diff };
}
