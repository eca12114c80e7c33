// The comparison options for one recording: the defaults, then the config file's global
// values, then `--threshold`, then every config override whose test-id / provider glob matches.
import picomatch from "picomatch";
import { type CompareOptions, DEFAULT_COMPARE_OPTIONS } from "../compare/options.ts";
import type { Config } from "../config.ts";
import { testIdMatcher } from "../recording/test-id-glob.ts";

export type CompareOptionsFor = (testId: string | null, provider: string | null) => CompareOptions;

export function compareOptionsResolver(
  config: Config["compare"],
  threshold: number | null,
): CompareOptionsFor {
  const base: CompareOptions = {
    threshold: threshold ?? config.threshold ?? DEFAULT_COMPARE_OPTIONS.threshold,
    embeddingThreshold: config.embeddingThreshold ?? DEFAULT_COMPARE_OPTIONS.embeddingThreshold,
    caseFold: config.caseFold ?? DEFAULT_COMPARE_OPTIONS.caseFold,
    stripPunctuation: config.stripPunctuation ?? DEFAULT_COMPARE_OPTIONS.stripPunctuation,
  };
  const overrides = config.overrides.map((o) => ({
    ...o,
    matchesTest: o.testId === null ? null : testIdMatcher(o.testId),
    matchesProvider: o.provider === null ? null : picomatch(o.provider, { dot: true }),
  }));
  if (overrides.length === 0) return () => base;
  return (testId, provider) => {
    const options = { ...base };
    for (const o of overrides) {
      if (o.matchesTest && !(testId !== null && o.matchesTest(testId))) continue;
      if (o.matchesProvider && !(provider !== null && o.matchesProvider(provider))) continue;
      if (o.threshold !== null) options.threshold = o.threshold;
      if (o.embeddingThreshold !== null) options.embeddingThreshold = o.embeddingThreshold;
      if (o.caseFold !== null) options.caseFold = o.caseFold;
      if (o.stripPunctuation !== null) options.stripPunctuation = o.stripPunctuation;
    }
    return options;
  };
}
