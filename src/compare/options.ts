// How strict a comparison is. Per-provider and per-test overrides are resolved before compare/
// sees them: every function here receives the final options.

export interface CompareOptions {
  /**
   * Set by a user who wants word similarity to decide too: below it a text change is `drifted`
   * whatever its facts. Null (the default): the answer is judged by what it says.
   */
  threshold: number | null;
  /** Minimum cosine similarity for a changed embedding to count as `minor`. */
  embeddingThreshold: number;
  /** Compare words case-insensitively. */
  caseFold: boolean;
  /** Drop punctuation before comparing words. */
  stripPunctuation: boolean;
}

export const DEFAULT_COMPARE_OPTIONS: Readonly<CompareOptions> = Object.freeze({
  threshold: null,
  embeddingThreshold: 0.999,
  caseFold: false,
  stripPunctuation: false,
});
