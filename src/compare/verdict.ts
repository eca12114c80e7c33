// Verdicts, the findings that make them, and the comparison handed to the report.

/**
 * `nondeterministic`: the answer's text differs from the recording, but the live samples differ
 * from each other as much: the provider does not answer this request one way, so it says
 * nothing about drift.
 * `rejected`: the recording stored a success and the provider now refuses it with a definitive
 * 4xx (model not found, bad request). Usually the environment (a model not pulled, a typo'd
 * port) rather than drift, so it is kept apart from `drifted` and never refreshed by default.
 */
export type Verdict = "unchanged" | "minor" | "nondeterministic" | "drifted" | "rejected" | "failed";

/**
 * What part of the answer a finding is about, so the report ranks and counts changes without
 * reading their words. `error`: status, error type/code/message, a broken or mended stream;
 * `shape`: role, logprobs, number of choices, another kind of answer; `body`: a JSON answer of
 * no known kind; `request`: what was asked (test id, endpoint, body), compared by `diff`.
 * Heaviest first: a changed error or tool call changes what the test does next; text least.
 */
export const CHANGE_KINDS = [
  "error",
  "tool-call",
  "finish-reason",
  "refusal",
  "shape",
  "body",
  "model",
  "model-list",
  "request",
  "embedding",
  "text",
  "usage",
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** One difference (or one reason the live answer could not be checked), in plain words. */
export interface Finding {
  severity: Exclude<Verdict, "unchanged">;
  kind: ChangeKind;
  /** What differed, e.g. `text`, `finish_reason`, `tool get_weather`: used to say what varied. */
  field: string;
  text: string;
}

/** A finding as the report carries it: what kind of change, how grave, in words. */
export type Change = Pick<Finding, "kind" | "severity" | "text">;

export interface WordDiffRun {
  op: "equal" | "removed" | "added";
  text: string;
}

export interface Comparison {
  verdict: Verdict;
  /** Lowest text similarity (or embedding cosine) seen; an upper bound when a reason says so. */
  similarity: number | null;
  reasons: string[];
  /** The findings behind `reasons` (without notes about the samples), by kind. */
  changes: Change[];
  /** Word diff of the most changed text, when one changed and its diff ran to the end. */
  diff: WordDiffRun[] | null;
  /** Set when the live samples disagreed among themselves. */
  nondeterministic: { samples: number; minSimilarity: number | null; varied: string[] } | null;
  /** With two or more samples: true when they all agreed with each other but not with the recording. */
  consistent: boolean | null;
  /** Which live sample the verdict was judged on. */
  sampleIndex: number;
  /**
   * Drifted on the answer's text alone (no structure, status or model changed): a verdict more
   * live samples can confirm or show to be sampling noise.
   */
  driftedOnTextAlone: boolean;
  /**
   * For an answer judged unchanged or minor, what differed but was set aside as noise (kind →
   * count, see ignored-noise.ts); absent when nothing was.
   */
  ignoredNoise?: Record<string, number>;
}

const RANK: Record<Verdict, number> = {
  unchanged: 0,
  minor: 1,
  nondeterministic: 2,
  drifted: 3,
  rejected: 4,
  failed: 5,
};

/** Orders verdicts unchanged < minor < nondeterministic < drifted < rejected < failed. */
export function verdictRank(verdict: Verdict): number {
  return RANK[verdict];
}

export function verdictOf(findings: readonly Finding[]): Verdict {
  let verdict: Verdict = "unchanged";
  for (const finding of findings) if (RANK[finding.severity] > RANK[verdict]) verdict = finding.severity;
  return verdict;
}

/** A similarity for a reason: floored, so a value just under the threshold never prints as it. */
export function formatSimilarity(value: number, digits = 2): string {
  const scale = 10 ** digits;
  return (Math.floor(value * scale + 1e-9) / scale).toFixed(digits);
}

/** What comparing two semantic views found, before samples are weighed. */
export interface ViewComparison {
  findings: Finding[];
  similarity: number | null;
  diff: WordDiffRun[] | null;
}
