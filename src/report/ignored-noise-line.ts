// The one line on what a run saw change but set aside as noise, summed over its results:
// "ignored as noise: 5 new ids, 3 fingerprints, 2 re-split streams": the report's last line.
import { addNoise } from "../compare/ignored-noise.ts";
import type { CheckResult } from "./check-report.ts";
import { count } from "./report-section.ts";

/** Singular and plural of each kind compare/ignored-noise.ts counts. */
const NAMES: Record<string, [string, string]> = {
  ids: ["new id", "new ids"],
  timestamps: ["new timestamp", "new timestamps"],
  fingerprints: ["fingerprint", "fingerprints"],
  timings: ["timing", "timings"],
  "usage counts": ["changed usage count", "changed usage counts"],
  "re-split streams": ["re-split stream", "re-split streams"],
};

/** The line, most frequent kind first; null when nothing was ignored. */
export function formatIgnoredNoise(results: readonly CheckResult[]): string | null {
  const total: Record<string, number> = {};
  for (const result of results) if (result.ignoredNoise) addNoise(total, result.ignoredNoise);
  const kinds = Object.entries(total).filter(([, count]) => count > 0);
  if (kinds.length === 0) return null;
  kinds.sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  const parts = kinds.map(([kind, n]) => {
    const [one, many] = NAMES[kind] ?? [kind, kind];
    return `${count(n)} ${n === 1 ? one : many}`;
  });
  return `ignored as noise: ${parts.join(", ")}`;
}
