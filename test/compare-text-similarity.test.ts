import { describe, expect, it } from "vitest";
import { DEFAULT_COMPARE_OPTIONS } from "../src/compare/options.ts";
import { compareText, tokenize } from "../src/compare/text-similarity.ts";
import type { WordDiffRun } from "../src/compare/verdict.ts";

const plain = { caseFold: false, stripPunctuation: false };
const options = { ...DEFAULT_COMPARE_OPTIONS, threshold: 0 };
// The bound a user-set 0.9 threshold gives the search.
const stopAt90 = { ...DEFAULT_COMPARE_OPTIONS, threshold: 0.9 };

/** Reference LCS by dynamic programming, to check the Myers search against. */
function lcsLength(a: string[], b: string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (const word of a) {
    const row = [0];
    for (let j = 1; j <= b.length; j++)
      row.push(word === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, row[j - 1]!));
    previous = row;
  }
  return previous[b.length]!;
}

/** The stored and live texts a diff describes. */
function sides(diff: WordDiffRun[]): [string, string] {
  const join = (runs: WordDiffRun[]): string => runs.map((run) => run.text).join(" ");
  return [join(diff.filter((run) => run.op !== "added")), join(diff.filter((run) => run.op !== "removed"))];
}

/** A deterministic text of `count` words drawn from `vocabulary` words named `prefix…`. */
function words(count: number, seed: number, vocabulary: number, prefix = "w"): string {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return `${prefix}${state % vocabulary}`;
  }).join(" ");
}

describe("tokenize", () => {
  it("splits on any whitespace and keeps punctuation attached", () => {
    expect(tokenize("  Paris,\tthe\u00a0capital.\n\nYes ", plain).keys).toEqual([
      "Paris,",
      "the",
      "capital.",
      "Yes",
    ]);
  });

  it("normalizes to NFC so composed and decomposed accents match", () => {
    expect(tokenize("cafe\u0301", plain).keys).toEqual(tokenize("caf\u00e9", plain).keys);
  });

  it("folds case only when asked", () => {
    expect(tokenize("Straße PARIS", plain).keys).toEqual(["Straße", "PARIS"]);
    expect(tokenize("Straße PARIS", { ...plain, caseFold: true }).keys).toEqual(["strasse", "paris"]);
  });

  it("strips punctuation only when asked, dropping words that were only punctuation", () => {
    const tokens = tokenize("Hello, world — “fine”!", { ...plain, stripPunctuation: true });
    expect(tokens.keys).toEqual(["Hello", "world", "fine"]);
    expect(tokens.words).toEqual(["Hello,", "world", "“fine”!"]);
  });

  it("counts each character of a script written without spaces as a word", () => {
    expect(tokenize("東京は晴れ", plain).keys).toEqual(["東", "京", "は", "晴", "れ"]);
  });
});

describe("compareText similarity", () => {
  it("is 1 for two empty texts and for texts equal up to whitespace", () => {
    expect(compareText("", "", options).similarity).toBe(1);
    expect(compareText("a  b\nc", " a b c ", options)).toMatchObject({ similarity: 1, exact: true });
  });

  it("is 2·LCS / (|a| + |b|) over words", () => {
    // LCS of "the cat sat down" and "the dog sat" is "the sat": 2·2 / 7.
    expect(compareText("the cat sat down", "the dog sat", options).similarity).toBeCloseTo(4 / 7, 12);
  });

  it("matches a dynamic-programming LCS on random texts", () => {
    for (let seed = 1; seed < 200; seed++) {
      const a = words(seed % 37, seed, 4);
      const b = words((seed * 7) % 41, seed + 1000, 4);
      const aw = a.split(" ").filter(Boolean);
      const bw = b.split(" ").filter(Boolean);
      const expected = aw.length + bw.length === 0 ? 1 : (2 * lcsLength(aw, bw)) / (aw.length + bw.length);
      expect(compareText(a, b, options).similarity).toBeCloseTo(expected, 12);
    }
  });

  it("ignores case and punctuation differences when the options say so", () => {
    const folded = { ...options, caseFold: true, stripPunctuation: true };
    expect(compareText("Paris is the capital.", "paris is the capital", folded).similarity).toBe(1);
    expect(compareText("Paris is the capital.", "paris is the capital", options).similarity).toBe(0.5);
  });
});

describe("compareText early stop", () => {
  it("stops on long texts once the similarity cannot reach the threshold, reporting an upper bound", () => {
    const a = words(3_000, 1, 3);
    const b = words(3_000, 2, 3);
    const exact = (2 * lcsLength(a.split(" "), b.split(" "))) / 6_000;
    const result = compareText(a, b, { ...options, threshold: 0.95 });
    expect(result.exact).toBe(false);
    expect(result.diff).toBeNull();
    expect(result.similarity).toBeLessThan(0.95);
    expect(result.similarity).toBeGreaterThanOrEqual(exact);
  });

  it("answers long texts that share few words from the shared-words bound, without a search", () => {
    const a = words(2_000, 1, 50);
    const b = `${words(1_990, 2, 50, "v")} ${words(10, 3, 50)}`;
    expect(compareText(a, b, stopAt90)).toEqual({
      similarity: 20 / 4_000,
      exact: false,
      diff: null,
    });
  });

  it("still gives short texts their exact similarity and diff below the threshold", () => {
    const result = compareText("alpha beta gamma delta", "one two three delta", {
      ...options,
      threshold: 0.9,
    });
    expect(result).toEqual({
      similarity: 0.25,
      exact: true,
      diff: [
        { op: "removed", text: "alpha beta gamma" },
        { op: "added", text: "one two three" },
        { op: "equal", text: "delta" },
      ],
    });
  });

  it("is exactly 0, with a complete diff, when no word is shared", () => {
    const long = words(5_000, 1, 100);
    const other = words(5_000, 2, 100, "v");
    const result = compareText(long, other, stopAt90);
    expect(result.similarity).toBe(0);
    expect(result.diff?.map((run) => run.op)).toEqual(["removed", "added"]);
  });

  it("still completes when the similarity reaches the threshold exactly", () => {
    // 10 words each, one replaced: 2 edits of 20, similarity 0.9.
    const a = "a b c d e f g h i j";
    const result = compareText(a, a.replace("e", "x"), { ...options, threshold: 0.9 });
    expect(result).toMatchObject({ similarity: 0.9, exact: true });
  });

  // Its speed is measured by bench/compare.ts, not here: only the early stop's outcome is asserted.
  it("stops early on two unrelated 20,000-word texts and reports an upper bound", () => {
    const result = compareText(words(20_000, 1, 5_000), words(20_000, 2, 5_000), stopAt90);
    expect(result.exact).toBe(false);
    expect(result.similarity).toBeLessThan(0.9);
  });
});

describe("compareText word diff", () => {
  it("shows one changed word as removed then added between equal runs", () => {
    const result = compareText("The capital of France is Paris.", "The capital of France is Lyon.", options);
    expect(result.diff).toEqual([
      { op: "equal", text: "The capital of France is" },
      { op: "removed", text: "Paris." },
      { op: "added", text: "Lyon." },
    ]);
  });

  it("rebuilds both texts and keeps the LCS as its equal runs", () => {
    for (let seed = 1; seed < 100; seed++) {
      const a = words(seed % 23, seed, 5);
      const b = words((seed * 3) % 29, seed + 500, 5);
      const diff = compareText(a, b, options).diff!;
      expect(sides(diff)).toEqual([a, b].map((text) => text.split(" ").filter(Boolean).join(" ")));
      const equalWords = diff.filter((run) => run.op === "equal").flatMap((run) => run.text.split(" "));
      expect(equalWords.length).toBe(lcsLength(a.split(" ").filter(Boolean), b.split(" ").filter(Boolean)));
    }
  });

  it("shows the words as written even when comparing case-folded", () => {
    const result = compareText("Hello World", "hello there", { ...options, caseFold: true });
    expect(result.diff).toEqual([
      { op: "equal", text: "Hello" },
      { op: "removed", text: "World" },
      { op: "added", text: "there" },
    ]);
  });

  it("finds one changed word in 20,000 with a four-run diff", () => {
    const a = words(20_000, 3, 5_000);
    const changed = a.split(" ");
    changed[12_345] = "different";
    const result = compareText(a, changed.join(" "), stopAt90);
    expect(result.similarity).toBeCloseTo(1 - 2 / 40_000, 12);
    expect(result.diff?.map((run) => run.op)).toEqual(["equal", "removed", "added", "equal"]);
    expect(result.diff?.[2]).toEqual({ op: "added", text: "different" });
  });
});
