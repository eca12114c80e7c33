// The verdict on one recording: the stored capture against K live samples. Samples that disagree
// among themselves show the request is nondeterministic; the verdict is then judged on the sample
// closest to the recording, so sampling noise alone does not read as drift.

import type { Capture } from "../capture.ts";
import { compareViews } from "./compare-views.ts";
import { type CompareOptions, DEFAULT_COMPARE_OPTIONS } from "./options.ts";
import { type SemanticView, semanticView } from "./semantic-view.ts";
import { type Comparison, type Verdict, type ViewComparison, verdictOf, verdictRank } from "./verdict.ts";

interface Judged extends ViewComparison {
  verdict: Verdict;
  index: number;
}

/** Closer first: lower verdict, then higher similarity. */
function closer(a: Judged, b: Judged): number {
  return verdictRank(a.verdict) - verdictRank(b.verdict) || (b.similarity ?? 1) - (a.similarity ?? 1);
}

/** How the samples differ from each other, or null when every pair agrees. */
function spread(views: SemanticView[], options: CompareOptions): Comparison["nondeterministic"] {
  const varied = new Set<string>();
  let minSimilarity: number | null = null;
  for (let i = 0; i < views.length; i++) {
    for (let j = i + 1; j < views.length; j++) {
      const pair = compareViews(views[i]!, views[j]!, options);
      for (const finding of pair.findings) varied.add(finding.field);
      if (pair.similarity !== null) minSimilarity = Math.min(minSimilarity ?? 1, pair.similarity);
    }
  }
  return varied.size === 0 ? null : { samples: views.length, minSimilarity, varied: [...varied].sort() };
}

export function compareCaptures(
  stored: Capture,
  samples: Capture[],
  options: CompareOptions = DEFAULT_COMPARE_OPTIONS,
): Comparison {
  if (samples.length === 0) throw new Error("compareCaptures needs at least one live sample");
  const storedView = semanticView(stored);
  const liveViews = samples.map(semanticView);
  const judged: Judged[] = liveViews.map((view, index) => {
    const comparison = compareViews(storedView, view, options);
    return { ...comparison, verdict: verdictOf(comparison.findings), index };
  });
  // Samples that could not be checked say nothing about drift or about each other.
  const checked = judged.filter((result) => result.verdict !== "failed");
  const best = [...(checked.length ? checked : judged)].sort(closer)[0]!;
  const nondeterministic =
    checked.length >= 2
      ? spread(
          checked.map((result) => liveViews[result.index]!),
          options,
        )
      : null;
  const consistent = checked.length >= 2 && best.verdict !== "unchanged" ? nondeterministic === null : null;
  return {
    verdict: best.verdict,
    similarity: best.similarity,
    reasons: best.findings.map((finding) => finding.text),
    diff: best.diff,
    nondeterministic,
    consistent,
    sampleIndex: best.index,
  };
}
