// One text field (an answer, a refusal, an error message) judged against the threshold.

import { compareText, type TextComparison, type TextOptions } from "./text-similarity.ts";
import { type Finding, formatSimilarity } from "./verdict.ts";

export interface TextFieldComparison extends TextComparison {
  finding: Finding | null;
}

/** Below the threshold a text change is `drifted` unless `atMost` caps it (error messages). */
export function compareTextField(
  field: string,
  stored: string,
  live: string,
  options: TextOptions,
  atMost: Finding["severity"] = "drifted",
): TextFieldComparison {
  if (stored === live) return { similarity: 1, exact: true, diff: null, finding: null };
  const result = compareText(stored, live, options);
  // Only whitespace, or what the options ignore, changed.
  if (result.similarity === 1) return { ...result, diff: null, finding: null };
  const t = options.threshold;
  const threshold = Number.isInteger(Math.round(t * 1e6) / 1e4) ? t.toFixed(2) : String(t);
  const text = result.exact
    ? `${field} similarity ${formatSimilarity(result.similarity)} (threshold ${threshold})`
    : `${field} similarity ≤ ${formatSimilarity(result.similarity)} (upper bound: the diff stopped early; threshold ${threshold})`;
  const severity = result.similarity >= options.threshold ? "minor" : atMost;
  return { ...result, finding: { severity, field, text } };
}
