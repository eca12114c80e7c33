// The compare room's public surface: from a stored capture and live samples to a verdict.

export { compareCaptures } from "./compare-captures.ts";
export { compareViews } from "./compare-views.ts";
export { type CompareOptions, DEFAULT_COMPARE_OPTIONS } from "./options.ts";
export type { SemanticView } from "./semantic-view.ts";
export { semanticView } from "./semantic-view.ts";
export { compareText, type TextComparison, tokenize } from "./text-similarity.ts";
export type { Comparison, Finding, Verdict, WordDiffRun } from "./verdict.ts";
