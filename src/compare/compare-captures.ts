// The verdict on one recording: the stored capture against K live samples. Samples that disagree
// among themselves show the request is nondeterministic; the verdict is then judged on the sample
// closest to the recording, so sampling noise alone does not read as drift. When every sample's
// text drifted from the recording and the samples' texts drift as much from each other, the
// verdict is `nondeterministic`.

import type { Capture } from "../capture.ts";
import { compareViews } from "./compare-views.ts";
import { ignoredNoise } from "./ignored-noise.ts";
import { type CompareOptions, DEFAULT_COMPARE_OPTIONS } from "./options.ts";
import { type SemanticView, semanticView } from "./semantic-view.ts";
import {
  type Comparison,
  type Finding,
  type Verdict,
  type ViewComparison,
  verdictOf,
  verdictRank,
} from "./verdict.ts";

interface Judged extends ViewComparison {
  verdict: Verdict;
  index: number;
}

/** Closer first: lower verdict, then higher similarity. */
function closer(a: Judged, b: Judged): number {
  return verdictRank(a.verdict) - verdictRank(b.verdict) || (b.similarity ?? 1) - (a.similarity ?? 1);
}

/** A text field's name, with or without its choice (`text`, `choice 1 text`, `refusal`). */
const TEXT_FIELD = /(?:^|\s)(?:text|refusal)$/;

function driftsOnTextAlone(findings: readonly Finding[]): boolean {
  const drifted = findings.filter((finding) => finding.severity === "drifted");
  return drifted.length > 0 && drifted.every((finding) => TEXT_FIELD.test(finding.field));
}

interface Spread {
  varied: NonNullable<Comparison["nondeterministic"]>;
  /** Some two samples' texts drift from each other. */
  textDrifts: boolean;
}

/** How the samples differ from each other, or null when every pair agrees. */
function spread(views: SemanticView[], options: CompareOptions): Spread | null {
  const varied = new Set<string>();
  let minSimilarity: number | null = null;
  let textDrifts = false;
  for (let i = 0; i < views.length; i++) {
    for (let j = i + 1; j < views.length; j++) {
      const pair = compareViews(views[i]!, views[j]!, options);
      for (const finding of pair.findings) varied.add(finding.field);
      textDrifts ||= driftsOnTextAlone(pair.findings);
      if (pair.similarity !== null) minSimilarity = Math.min(minSimilarity ?? 1, pair.similarity);
    }
  }
  if (varied.size === 0) return null;
  return { varied: { samples: views.length, minSimilarity, varied: [...varied].sort() }, textDrifts };
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
  const samplesSpread =
    checked.length >= 2
      ? spread(
          checked.map((result) => liveViews[result.index]!),
          options,
        )
      : null;
  const consistent = checked.length >= 2 && best.verdict !== "unchanged" ? samplesSpread === null : null;
  const driftedOnTextAlone = best.verdict === "drifted" && driftsOnTextAlone(best.findings);
  const reasons = best.findings.map((finding) => finding.text);
  const changes = best.findings.map(({ kind, severity, text }) => ({ kind, severity, text }));
  // The recording is one draw among many: samples that drift from each other as they drift
  // from it show sampling, not a change of behaviour.
  const sampling = driftedOnTextAlone && samplesSpread?.textDrifts === true;
  if (sampling) {
    reasons.unshift(
      `nondeterministic: ${checked.length} live samples differ from each other as much as from the recording`,
    );
  }
  const verdict = sampling ? "nondeterministic" : best.verdict;
  const noise =
    verdict === "unchanged" || verdict === "minor"
      ? ignoredNoise(stored, samples[best.index]!, { stored: storedView, live: liveViews[best.index]! })
      : {};
  return {
    verdict,
    similarity: best.similarity,
    reasons,
    changes,
    diff: best.diff,
    nondeterministic: samplesSpread?.varied ?? null,
    consistent,
    sampleIndex: best.index,
    driftedOnTextAlone,
    ...(Object.keys(noise).length > 0 ? { ignoredNoise: noise } : {}),
  };
}
