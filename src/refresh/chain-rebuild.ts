// Rebuilding a chain's downstream requests from a refreshed upstream answer, as the test would
// build them: each old answer piece replaced by its new value where it stood, in the same
// encoding. Only mechanical rebuilds are made: a changed tool call (name or arguments) means the
// test would run its tools on other input and send other tool results, which no substitution
// can predict; that test needs re-recording.

import {
  isJsonObject,
  type JsonObject,
  type JsonValue,
  newJsonObject,
  objectKeys,
  setKey,
} from "../recording/json-value.ts";
import { type AnswerPieces, MIN_TEXT_PIECE, requestStrings } from "../recording/test-chains.ts";

/** An old answer piece and what replaces it downstream. */
export interface Replacement {
  old: string;
  new: string;
}

/** How an answer changed, as far as the requests built from it care. */
export type AnswerChange =
  | {
      mechanical: true;
      /** Pieces to replace downstream (text, unnormalized response ids). */
      replacements: Replacement[];
      /** New tool-call id → stored id: ids are per-call noise, so the stored ones are kept. */
      keptIds: Map<string, string>;
    }
  | { mechanical: false; reason: string };

export function answerChange(stored: AnswerPieces, live: AnswerPieces): AnswerChange {
  const calls = compareToolCalls(stored, live);
  if (typeof calls === "string") return { mechanical: false, reason: calls };
  if (stored.texts.length !== live.texts.length) {
    return { mechanical: false, reason: `choices: ${stored.texts.length} → ${live.texts.length}` };
  }
  const replacements: Replacement[] = [];
  for (const [i, old] of stored.texts.entries()) {
    const now = live.texts[i] as string;
    if (old === now) continue;
    // A text where there was none has no place in the later request to go to.
    if (old === "")
      return { mechanical: false, reason: `choice ${i}: an answer text appeared where there was none` };
    replacements.push({ old, new: now });
  }
  if (stored.responseId && live.responseId && stored.responseId !== live.responseId) {
    replacements.push({ old: stored.responseId, new: live.responseId });
  }
  return { mechanical: true, replacements, keptIds: calls };
}

/** New id → stored id for calls that are the same call, or why they are not. */
function compareToolCalls(stored: AnswerPieces, live: AnswerPieces): Map<string, string> | string {
  if (stored.toolCalls.length !== live.toolCalls.length) {
    return `tool calls: ${stored.toolCalls.length} → ${live.toolCalls.length}`;
  }
  const kept = new Map<string, string>();
  for (const [i, before] of stored.toolCalls.entries()) {
    const after = live.toolCalls[i] as AnswerPieces["toolCalls"][number];
    if (before.name !== after.name) return `tool call ${i}: ${before.name} → ${after.name}`;
    if (before.arguments !== after.arguments) {
      return `tool call ${before.name}: arguments ${before.arguments} → ${after.arguments}`;
    }
    if (before.id && after.id && before.id !== after.id) kept.set(after.id, before.id);
  }
  return kept;
}

export interface FeederChange {
  /** The stored answer's pieces. */
  pieces: AnswerPieces;
  replacements: Replacement[];
}

/**
 * The replacements a request's feeders ask for. Two feeders may have answered the same text
 * (a test that asks the same question twice): when one changed it and the other did not, or
 * they changed it differently, no one can tell which answer the request embeds.
 */
export function consistentReplacements(
  feeders: readonly string[],
  changes: ReadonlyMap<string, FeederChange>,
): Replacement[] | { conflict: [string, string]; reason: string } {
  const chosen = new Map<string, { replacement: Replacement; from: string }>();
  for (const feeder of feeders) {
    for (const replacement of changes.get(feeder)?.replacements ?? []) {
      const earlier = chosen.get(replacement.old);
      if (earlier && earlier.replacement.new !== replacement.new) {
        return { conflict: [earlier.from, feeder], reason: "answered the same and now answer differently" };
      }
      chosen.set(replacement.old, { replacement, from: feeder });
    }
  }
  for (const feeder of feeders) {
    const change = changes.get(feeder);
    if (!change) continue;
    const kept = [...change.pieces.texts, change.pieces.responseId ?? ""].filter(
      (piece) => chosen.has(piece) && !change.replacements.some((r) => r.old === piece),
    );
    if (kept.length > 0) {
      const other = chosen.get(kept[0] as string)?.from as string;
      return { conflict: [other, feeder], reason: "answered the same and only one changed" };
    }
  }
  return [...chosen.values()].map((entry) => entry.replacement);
}

/**
 * Whether each replacement's old piece can be found in the request: a long one inside any
 * string, a short one (under MIN_TEXT_PIECE characters) only as a whole string, since a few
 * characters inside a longer string may be anything. Returns the pieces that cannot be found.
 */
export function unlocatedPieces(request: JsonValue, replacements: readonly Replacement[]): string[] {
  const strings = requestStrings(request);
  return replacements
    .filter(({ old }) =>
      old.length >= MIN_TEXT_PIECE ? !strings.some((s) => s.includes(old)) : !strings.includes(old),
    )
    .map(({ old }) => old);
}

/** The request with every old piece replaced by its new value (longest first, so none splits another). */
export function substitutePieces(request: JsonValue, replacements: readonly Replacement[]): JsonValue {
  const ordered = [...replacements].sort((a, b) => b.old.length - a.old.length);
  return mapStrings(request, (value) => {
    for (const { old, new: now } of ordered) {
      if (old.length >= MIN_TEXT_PIECE) value = value.split(old).join(now);
      else if (value === old) return now;
    }
    return value;
  });
}

/** A copy of `value` with every string passed through `map` (object keys and order kept). */
export function mapStrings(value: JsonValue, map: (text: string) => string): JsonValue {
  if (typeof value === "string") return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (!isJsonObject(value)) return value;
  const out: JsonObject = newJsonObject();
  for (const key of objectKeys(value)) setKey(out, key, mapStrings(value[key] as JsonValue, map));
  return out;
}
