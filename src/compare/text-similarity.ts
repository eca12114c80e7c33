// Word-level text similarity, 2·LCS / (|a| + |b|), and the word diff behind it.
// Myers is written here rather than taken from jsdiff because we need its search to stop at the
// edit distance the threshold allows and report the bound (jsdiff's maxEditLength gives nothing).

import type { CompareOptions } from "./options.ts";
import type { WordDiffRun } from "./verdict.ts";

/**
 * Below this similarity a word diff of a long text costs much and shows nothing a reviewer can
 * read: the search stops there (texts under EXACT_EDITS edits are always diffed in full).
 */
export const DIFF_FLOOR = 0.9;

export type TextOptions = Pick<CompareOptions, "caseFold" | "stripPunctuation"> & {
  /** Where the diff may stop: below it the similarity is an upper bound. */
  threshold: number;
};

export interface WordTokens {
  /** What is compared: words after normalization. */
  keys: string[];
  /** What is shown in a diff: the words as written (NFC). */
  words: string[];
}

export interface TextComparison {
  /** Exact when `exact`; otherwise an upper bound, already below the threshold. */
  similarity: number;
  exact: boolean;
  /** Null when the diff stopped early or was not asked for. */
  diff: WordDiffRun[] | null;
}

// Scripts written without spaces count each character as a word, so one changed character is
// not one changed sentence.
const WORD =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[^\s\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+/gu;

export function tokenize(
  text: string,
  options: Pick<CompareOptions, "caseFold" | "stripPunctuation">,
): WordTokens {
  const keys: string[] = [];
  const words: string[] = [];
  for (const word of text.normalize("NFC").match(WORD) ?? []) {
    // Upper then lower folds more than lower alone (ß → SS → ss).
    let key = options.caseFold ? word.toUpperCase().toLowerCase() : word;
    if (options.stripPunctuation) key = key.replace(/\p{P}+/gu, "");
    if (key === "") continue;
    keys.push(key);
    words.push(word);
  }
  return { keys, words };
}

/** Both token lists as small integers, so the diff compares numbers; and how many there are. */
function internTokens(a: string[], b: string[]): [Int32Array, Int32Array, number] {
  const ids = new Map<string, number>();
  const intern = (tokens: string[]): Int32Array =>
    Int32Array.from(tokens, (token) => {
      let id = ids.get(token);
      if (id === undefined) {
        id = ids.size;
        ids.set(token, id);
      }
      return id;
    });
  return [intern(a), intern(b), ids.size];
}

/**
 * Myers' O(ND) search for the shortest edit script, abandoned past `maxD` edits. Returns the
 * number of edits, and with `keepTrace` the furthest-reaching x per diagonal before each round.
 */
function myersSearch(a: Int32Array, b: Int32Array, maxD: number, keepTrace: boolean) {
  const n = a.length;
  const m = b.length;
  const offset = maxD + 1;
  const v = new Int32Array(2 * maxD + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= maxD; d++) {
    if (keepTrace) trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
          ? v[offset + k + 1]!
          : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return { edits: d, trace };
    }
  }
  return null;
}

type Op = "equal" | "removed" | "added";

/** Walks the trace back from the end: the edit script, as one op per word, in order. */
function editScript(trace: Int32Array[], n: number, m: number): Op[] {
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const v = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && v[k - 1 + d]! < v[k + 1 + d]!) ? k + 1 : k - 1;
    const prevX = v[prevK + d]!;
    const prevY = prevX - prevK;
    for (; x > prevX && y > prevY; x--, y--) ops.push("equal");
    ops.push(x === prevX ? "added" : "removed");
    x = prevX;
    y = prevY;
  }
  for (; x > 0; x--) ops.push("equal");
  return ops.reverse();
}

function diffRuns(ops: Op[], a: WordTokens, b: WordTokens): WordDiffRun[] {
  const runs: { op: Op; words: string[] }[] = [];
  let i = 0;
  let j = 0;
  for (const op of ops) {
    const word = op === "added" ? b.words[j++]! : a.words[i++]!;
    if (op === "equal") j++;
    const last = runs.at(-1);
    if (last?.op === op) last.words.push(word);
    else runs.push({ op, words: [word] });
  }
  return runs.map(({ op, words }) => ({ op, text: words.join(" ") }));
}

/** 2·(shared words, counted with multiplicity) / total: the LCS can never be longer. */
function sharedWordsBound(a: Int32Array, b: Int32Array, vocabulary: number): number {
  const counts = new Int32Array(vocabulary);
  for (const id of a) counts[id]!++;
  let shared = 0;
  for (const id of b) {
    if (counts[id]! > 0) {
      counts[id]!--;
      shared++;
    }
  }
  return (2 * shared) / (a.length + b.length);
}

// Below this many edits a full search costs next to nothing, so it is always run to the end.
const EXACT_EDITS = 1_000;

/**
 * Similarity of two token lists. The search stops as soon as the similarity can no longer reach
 * the threshold (past `EXACT_EDITS` edits), and then reports an upper bound.
 */
export function compareTokens(
  a: WordTokens,
  b: WordTokens,
  threshold: number,
  withDiff: boolean,
): TextComparison {
  const total = a.keys.length + b.keys.length;
  if (total === 0) return { similarity: 1, exact: true, diff: withDiff ? [] : null };
  const [ia, ib, vocabulary] = internTokens(a.keys, b.keys);
  // A cheap bound first: long texts that share too few words need no search at all.
  const shared = sharedWordsBound(ia, ib, vocabulary);
  // No shared word: the LCS is empty, and the diff is everything removed then everything added.
  if (shared === 0) {
    const ops: Op[] = [...Array<Op>(ia.length).fill("removed"), ...Array<Op>(ib.length).fill("added")];
    return { similarity: 0, exact: true, diff: withDiff ? diffRuns(ops, a, b) : null };
  }
  // Common ends cost nothing to find and shrink the search to the changed middle.
  let prefix = 0;
  while (prefix < ia.length && prefix < ib.length && ia[prefix] === ib[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < ia.length - prefix &&
    suffix < ib.length - prefix &&
    ia[ia.length - 1 - suffix] === ib[ib.length - 1 - suffix]
  ) {
    suffix++;
  }
  const midA = ia.subarray(prefix, ia.length - suffix);
  const midB = ib.subarray(prefix, ib.length - suffix);
  const midTotal = midA.length + midB.length;
  // similarity >= threshold  <=>  edits <= (1 - threshold) * total
  const maxEdits = Math.max(Math.floor((1 - threshold) * total + 1e-9), Math.min(midTotal, EXACT_EDITS));
  if (shared < threshold && midTotal > maxEdits) return { similarity: shared, exact: false, diff: null };
  const found = myersSearch(midA, midB, Math.min(maxEdits, midTotal), false);
  if (!found) return { similarity: Math.min(shared, 1 - (maxEdits + 1) / total), exact: false, diff: null };
  const similarity = 1 - found.edits / total;
  if (!withDiff) return { similarity, exact: true, diff: null };
  // A second search keeps the trace: it is only paid for diffs that completed.
  const trace = myersSearch(midA, midB, found.edits, true)?.trace ?? [];
  const ops: Op[] = [
    ...Array<Op>(prefix).fill("equal"),
    ...editScript(trace, midA.length, midB.length),
    ...Array<Op>(suffix).fill("equal"),
  ];
  return { similarity, exact: true, diff: diffRuns(ops, a, b) };
}

export function compareText(a: string, b: string, options: TextOptions, withDiff = true): TextComparison {
  return compareTokens(tokenize(a, options), tokenize(b, options), options.threshold, withDiff);
}
