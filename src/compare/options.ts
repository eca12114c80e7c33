// How strict a comparison is. Per-provider and per-test overrides are resolved before compare/
// sees them: every function here receives the final options.

export interface CompareOptions {
  /** Minimum word-level text similarity (0..1) for a text change to count as `minor`. */
  threshold: number;
  /** Minimum cosine similarity for a changed embedding to count as `minor`. */
  embeddingThreshold: number;
  /** Compare words case-insensitively. */
  caseFold: boolean;
  /** Drop punctuation before comparing words. */
  stripPunctuation: boolean;
}

export const DEFAULT_COMPARE_OPTIONS: Readonly<CompareOptions> = Object.freeze({
  threshold: 0.9,
  embeddingThreshold: 0.999,
  caseFold: false,
  stripPunctuation: false,
});
