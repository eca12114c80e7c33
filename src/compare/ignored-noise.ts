// What differed between a stored answer and a live one although the verdict ignored it: the
// fields the semantic views leave out because they change on every call (ids, timestamps, system
// fingerprints, Ollama's timings), usage counts (at most `minor`), and streams split into other
// chunks with the same text. Counted so a report can say what it saw and set aside.
import type { Capture } from "../capture.ts";
import { isPlainObject } from "./plain-json.ts";
import type { SemanticView } from "./semantic-view.ts";
import { sseEvents } from "./sse-events.ts";

/** Kind of noise → how many: distinct new values for fields, 1 per answer for usage and streams. */
export type IgnoredNoise = Record<string, number>;

const KINDS: Record<string, string> = {
  system_fingerprint: "fingerprints",
  id: "ids",
  created: "timestamps",
  created_at: "timestamps",
  create_time: "timestamps",
  updated: "timestamps",
  updated_at: "timestamps",
  modified_at: "timestamps",
};

/** The kind of a field no view reads, by its key; null for a field that is compared. */
function fieldKind(key: string, endpoint: Capture["endpoint"]): string | null {
  const kind = Object.hasOwn(KINDS, key) ? (KINDS[key] as string) : null;
  // A model list's ids are what it says; everywhere else an id is minted per call.
  if (kind !== null) return key === "id" && endpoint === "models" ? null : kind;
  if (key.endsWith("_id")) return "ids";
  if (key.endsWith("_duration")) return "timings";
  return null;
}

/** A body's chunks: a stream's chunk objects (or its SSE events), or the one answer object. */
function chunksOf(capture: Capture): unknown[] {
  if (!Array.isArray(capture.body)) return [capture.body];
  return capture.body.some((line) => typeof line === "string") ? sseEvents(capture.body) : capture.body;
}

/** Kind → the distinct values of its fields (strings as they are, numbers as JSON), at any depth. */
function volatileValues(capture: Capture): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) visit(item);
    if (!isPlainObject(value)) return;
    // `for…in` over a parsed JSON object: own keys only, and no array per object (streams of
    // thousands of chunks carry over a million keys).
    for (const key in value) {
      const item = value[key];
      if (item === null || typeof item !== "object") {
        const kind = item === null ? null : fieldKind(key, capture.endpoint);
        if (kind === null) continue;
        const values = out.get(kind) ?? new Set<string>();
        values.add(typeof item === "string" ? item : JSON.stringify(item));
        out.set(kind, values);
      } else visit(item);
    }
  };
  visit(chunksOf(capture));
  return out;
}

/** What a choices view says, without its usage: equal for two answers that say the same. */
function said(view: SemanticView): string | null {
  return view.kind === "choices" ? JSON.stringify(view.choices) : null;
}

/**
 * The noise between a stored capture and a live one judged unchanged or minor, given the views
 * the verdict was reached on. Empty when nothing was set aside.
 */
export function ignoredNoise(
  stored: Capture,
  live: Capture,
  views: { stored: SemanticView; live: SemanticView },
): IgnoredNoise {
  const noise: IgnoredNoise = {};
  const storedValues = volatileValues(stored);
  for (const [kind, values] of volatileValues(live)) {
    const seen = storedValues.get(kind) ?? new Set<string>();
    const fresh = [...values].filter((value) => !seen.has(value)).length;
    if (fresh > 0) noise[kind] = fresh;
  }
  const usage = (view: SemanticView) =>
    view.kind === "choices" || view.kind === "embeddings" ? view.usage : null;
  const [storedUsage, liveUsage] = [usage(views.stored), usage(views.live)];
  if (storedUsage && liveUsage && !sameNumbers(storedUsage, liveUsage)) noise["usage counts"] = 1;
  const text = said(views.stored);
  if (
    stored.streaming &&
    live.streaming &&
    text !== null &&
    text === said(views.live) &&
    chunksOf(stored).length !== chunksOf(live).length
  ) {
    noise["re-split streams"] = 1;
  }
  return noise;
}

function sameNumbers(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** Adds one answer's noise into a running total. */
export function addNoise(total: IgnoredNoise, noise: IgnoredNoise): IgnoredNoise {
  for (const [kind, count] of Object.entries(noise)) total[kind] = (total[kind] ?? 0) + count;
  return total;
}
