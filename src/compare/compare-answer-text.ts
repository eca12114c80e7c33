// An answer's text judged by what it says, not how it says it. `drifted` when the answer changed
// stance (an answer became a refusal, a request for clarification, or nothing), when its JSON
// value or its list items changed, when its short answer changed ("Blue." → "purple."), when it
// is about something else (no name or number of one lead occurs in the other text), when its
// opening states another number ("is 105" → "gives 115"), or when a fact was replaced in an
// otherwise aligned sentence ("65F" → "72F"). Anything else is a rewording: `minor`, with the
// word similarity reported. A user-set threshold still makes low similarity `drifted`.
// Calibrated on llama-stack's re-record history (npm run history).
import { describeDifference, jsonDifferences } from "./json-differences.ts";
import type { CompareOptions } from "./options.ts";
import { shortJson } from "./plain-json.ts";
import { FUNCTION_WORDS, factsOf, mentions, occurrences, type TextFacts, textFacts } from "./text-facts.ts";
import { compareText, DIFF_FLOOR, type TextComparison } from "./text-similarity.ts";
import { type Finding, formatSimilarity, type WordDiffRun } from "./verdict.ts";

export interface AnswerTextComparison extends TextComparison {
  finding: Finding | null;
}

// A replaced fact counts only inside a sentence that is otherwise the same.
const SUBSTITUTION_WORDS = 8;
const ALIGNED_CONTEXT_WORDS = 2;
const SHOWN_FACTS = 3;

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function containsRun(haystack: string[], needle: string[]): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Whether a run of words has at least `n` words, without splitting all of a long one. */
function hasWords(text: string, n: number): boolean {
  return (
    text
      .trim()
      .slice(0, n * 40)
      .split(/\s+/).length >= n
  );
}

function listed(facts: string[]): string {
  return facts
    .slice(0, SHOWN_FACTS)
    .map((fact) => shortJson(fact, 40))
    .join(", ");
}

/** The words of a text that say something: "The answer is Saturn." says "saturn". */
function saying(text: string): string[] {
  return words(text).filter((w) => !FUNCTION_WORDS.has(w) && w !== "s");
}

/** A short answer ("Blue.", "Rome.", "2+2 = 4") the other text does not give. */
function shortAnswerChanged(stored: TextFacts, live: TextFacts): string | null {
  for (const [mine, other, side] of [
    [stored, live, "stored"],
    [live, stored, "live"],
  ] as const) {
    if (mine.shortAnswer === null) continue;
    const answer = saying(mine.shortAnswer);
    if (answer.length === 0) continue;
    if (containsRun(saying(other.firstSentence), answer)) continue;
    if (other.shortAnswer === null && containsRun(saying(other.plain), answer)) continue;
    const was = side === "stored" ? mine.shortAnswer : (stored.shortAnswer ?? stored.firstSentence);
    const now = side === "stored" ? (live.shortAnswer ?? live.firstSentence) : mine.shortAnswer;
    return `short answer ${shortJson(was, 40)} → ${shortJson(now, 40)}`;
  }
  return null;
}

/** A list answer whose items changed: `1, 2, 3, 4, 5` → `1, 2, 3, 4, 5, 6`. */
function listChanged(stored: TextFacts, live: TextFacts): string | null {
  if (stored.items === null && live.items === null) return null;
  const before = stored.items ?? [];
  const after = live.items ?? [];
  const added = after.filter((item) => !before.includes(item));
  const removed = before.filter((item) => !after.includes(item));
  if (stored.items && live.items && added.length === 0 && removed.length === 0) {
    return before.join("|") === after.join("|") ? null : "list items reordered";
  }
  const parts = [
    added.length ? `added ${listed(added)}` : "",
    removed.length ? `removed ${listed(removed)}` : "",
  ];
  return `list items ${parts.filter(Boolean).join("; ")}`;
}

/** Edit distance of two short strings, or `limit + 1` as soon as it exceeds `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        previous[j]! + 1,
        row[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    if (Math.min(...row) > limit) return limit + 1;
    previous = row;
  }
  return previous[b.length]!;
}

/** The same name, give or take a typo ("Golden Retreiver" / "Golden Retriever"). */
function sameName(a: string, b: string): boolean {
  const limit = Math.floor(Math.min(a.length, b.length) / 8);
  return limit > 0 && editDistance(a, b, limit) <= limit;
}

/** Both leads name things, and neither text mentions any of the other lead's. */
function subjectChanged(stored: TextFacts, live: TextFacts): string | null {
  if (stored.leadFacts.length === 0 || live.leadFacts.length === 0) return null;
  if (stored.leadFacts.some((fact) => mentions(live.plain, fact))) return null;
  if (live.leadFacts.some((fact) => mentions(stored.plain, fact))) return null;
  if (stored.leadFacts.some((a) => live.leadFacts.some((b) => sameName(a, b)))) return null;
  return `answer is about something else: ${listed(stored.leadFacts)} → ${listed(live.leadFacts)}`;
}

const NUMBER_FACT = /^\d[\d.]*$/;

/**
 * The opening states other numbers: one the live text no longer gives and one the stored text
 * never gave (`15 × 7 is 105` → `15 × 7 gives 115`), however the sentence was reworded.
 */
function leadNumbersChanged(stored: TextFacts, live: TextFacts): string | null {
  const numbers = (facts: TextFacts) => facts.leadFacts.filter((fact) => NUMBER_FACT.test(fact));
  const gone = numbers(stored).filter((n) => !mentions(live.plain, n));
  const come = numbers(live).filter((n) => !mentions(stored.plain, n));
  return gone.length > 0 && come.length > 0 ? `number ${listed(gone)} → ${listed(come)}` : null;
}

/**
 * A capitalised word either text also writes in lower case is an ordinary word that opened a
 * sentence or a list item ("Check online…"), not a name.
 */
function isOrdinaryWord(fact: string, texts: string[]): boolean {
  if (!/^\p{Ll}+$/u.test(fact)) return false;
  const lower = new RegExp(`(?<![\\p{L}\\p{N}])${fact}(?![\\p{L}\\p{N}])`, "u");
  return texts.some((text) => lower.test(text));
}

/** A fact replaced by another inside an aligned sentence: `65F` → `72F`, `SQLite` → `PostgreSQL`. */
function replacedFacts(diff: WordDiffRun[], stored: TextFacts, live: TextFacts, texts: string[]): string[] {
  const changes: string[] = [];
  for (let i = 0; i < diff.length; i++) {
    if (diff[i]!.op === "equal") continue;
    let end = i;
    while (end + 1 < diff.length && diff[end + 1]!.op !== "equal") end++;
    const hunk = diff.slice(i, end + 1);
    const removed = hunk.filter((run) => run.op === "removed").map((run) => run.text);
    const added = hunk.filter((run) => run.op === "added").map((run) => run.text);
    const before = diff[i - 1];
    const after = diff[end + 1];
    const aligned = (run: WordDiffRun | undefined) =>
      run === undefined || hasWords(run.text, ALIGNED_CONTEXT_WORDS);
    // Only the start of each run is looked at: a run of a long text can be the whole text.
    const small = (texts: string[]) =>
      !hasWords(texts.map((text) => text.slice(0, 400)).join(" "), SUBSTITUTION_WORDS + 1);
    if (
      removed.length &&
      added.length &&
      small(removed) &&
      small(added) &&
      aligned(before) &&
      aligned(after)
    ) {
      // A fact the live text says less often, and one it says more often: a fact said again
      // elsewhere was only moved.
      const fewer = (fact: string) => occurrences(stored.plain, fact) > occurrences(live.plain, fact);
      const named = (fact: string) => !isOrdinaryWord(fact, texts);
      const gone = factsOf(removed.join(" ")).filter((fact) => fewer(fact) && named(fact));
      const come = factsOf(added.join(" ")).filter(
        (fact) => named(fact) && occurrences(live.plain, fact) > occurrences(stored.plain, fact),
      );
      if (gone.length && come.length) changes.push(`${listed(gone)} → ${listed(come)}`);
    }
    i = end;
  }
  return changes;
}

/** An answer's text or its refusal: the field's name is its kind of change. */
type AnswerField = "text" | "refusal";

function drifted(field: AnswerField, text: string): Finding {
  return { severity: "drifted", kind: field, field, text: `${field}: ${text}` };
}

export function compareAnswerText(
  field: AnswerField,
  storedText: string,
  liveText: string,
  options: Pick<CompareOptions, "threshold" | "caseFold" | "stripPunctuation">,
): AnswerTextComparison {
  if (storedText === liveText) return { similarity: 1, exact: true, diff: null, finding: null };
  const floor = Math.min(options.threshold ?? DIFF_FLOOR, DIFF_FLOOR);
  const similar = compareText(storedText, liveText, { ...options, threshold: floor });
  // Only whitespace, or what the options ignore, changed.
  if (similar.similarity === 1) return { ...similar, diff: null, finding: null };
  const result = (finding: Finding | null) => ({ ...similar, finding });
  const stored = textFacts(storedText);
  const live = textFacts(liveText);
  if (stored.stance !== live.stance) return result(drifted(field, `${stored.stance} → ${live.stance}`));
  if (stored.json || live.json) {
    if (!stored.json || !live.json) {
      return result(drifted(field, stored.json ? "JSON → prose" : "prose → JSON"));
    }
    const differences = jsonDifferences(stored.json.value, live.json.value);
    // The same value with other whitespace or key order is the same answer.
    if (differences.length === 0) return { ...similar, diff: null, finding: null };
    const shown = differences.slice(0, SHOWN_FACTS).map(describeDifference).join("; ");
    return result(drifted(field, `JSON ${shown}`));
  }
  const changed =
    listChanged(stored, live) ??
    shortAnswerChanged(stored, live) ??
    subjectChanged(stored, live) ??
    leadNumbersChanged(stored, live) ??
    (similar.diff
      ? replacedFacts(similar.diff, stored, live, [storedText, liveText]).slice(0, SHOWN_FACTS).join("; ") ||
        null
      : null);
  if (changed) return result(drifted(field, changed));
  const figure = similar.exact
    ? `word similarity ${formatSimilarity(similar.similarity)}`
    : `word similarity ≤ ${formatSimilarity(similar.similarity)}`;
  if (options.threshold !== null && similar.similarity < options.threshold) {
    return result(drifted(field, `${figure} (threshold ${formatSimilarity(options.threshold)})`));
  }
  return result({ severity: "minor", kind: field, field, text: `${field} reworded, same facts (${figure})` });
}
