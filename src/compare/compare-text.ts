// A text whose wording is the provider's business (an error message): at most `minor`, or
// nothing when only whitespace changed. A user-set threshold keeps close rewordings silent.

import type { CompareOptions } from "./options.ts";
import { compareText, DIFF_FLOOR, type TextComparison } from "./text-similarity.ts";
import { type ChangeKind, type Finding, formatSimilarity } from "./verdict.ts";

export interface TextFieldComparison extends TextComparison {
  finding: Finding | null;
}

export function compareTextField(
  kind: ChangeKind,
  field: string,
  stored: string,
  live: string,
  options: Pick<CompareOptions, "threshold" | "caseFold" | "stripPunctuation">,
): TextFieldComparison {
  if (stored === live) return { similarity: 1, exact: true, diff: null, finding: null };
  const result = compareText(stored, live, {
    ...options,
    threshold: Math.min(options.threshold ?? DIFF_FLOOR, DIFF_FLOOR),
  });
  if (result.similarity === 1) return { ...result, diff: null, finding: null };
  const bound = result.exact ? "" : "≤ ";
  const text = `${field} reworded (word similarity ${bound}${formatSimilarity(result.similarity)})`;
  return { ...result, finding: { severity: "minor", kind, field, text } };
}
