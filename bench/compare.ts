// Times the text judgement on long texts: unrelated 20,000-word texts (the early stop must keep
// these well under 1 s) and two that differ in one word (a full diff). Each case runs the fact
// judgement (`compareAnswerText`, what every comparison now does) and the word similarity alone
// bounded at 0.9 (what it did before), in this run, and prints their ratio.
// Run: npx tsx bench/compare.ts

import { compareAnswerText } from "../src/compare/compare-answer-text.ts";
import { DEFAULT_COMPARE_OPTIONS } from "../src/compare/options.ts";
import { compareText } from "../src/compare/text-similarity.ts";
import { formatSimilarity } from "../src/compare/verdict.ts";
import { emitResult } from "./result.ts";

const WORDS = 20_000;
const WARM_RUNS = 9;

/** A deterministic text of `count` words drawn from `vocabulary` words named `prefix…`. */
function text(count: number, seed: number, vocabulary: number, prefix = "w"): string {
  let state = seed;
  const words: string[] = [];
  for (let i = 0; i < count; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    words.push(`${prefix}${state % vocabulary}`);
  }
  return words.join(" ");
}

/** Milliseconds of each case's first (cold) comparison, by label. */
const firstMs = new Map<string, number>();
/** Warm milliseconds of the judgement over the similarity alone, by label. */
const ratios = new Map<string, number>();
const wordsOnly = { ...DEFAULT_COMPARE_OPTIONS, threshold: 0.9 };

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function ms(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

function time(label: string, a: string, b: string): void {
  const start = performance.now();
  const result = compareAnswerText("text", a, b, DEFAULT_COMPARE_OPTIONS);
  const cold = performance.now() - start;
  firstMs.set(label, cold);
  // Interleaved, so a busy machine slows both alike; medians, so one stall does not count.
  const judged: number[] = [];
  const alone: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    judged.push(ms(() => compareAnswerText("text", a, b, DEFAULT_COMPARE_OPTIONS)));
    alone.push(ms(() => compareText(a, b, wordsOnly)));
  }
  const warm = median(judged);
  const before = median(alone);
  ratios.set(label, warm / before);
  const similarity = `${result.exact ? "=" : "≤"} ${formatSimilarity(result.similarity, 4)}`;
  console.log(
    `${label.padEnd(52)} first ${cold.toFixed(1).padStart(6)} ms, then ${warm.toFixed(1).padStart(6)} ms (${(warm / before).toFixed(2)}× the similarity alone)   similarity ${similarity}, ${result.finding?.severity ?? "unchanged"}`,
  );
}

const base = text(WORDS, 1, 5_000);
const words = base.split(" ");
words[WORDS / 2] = "changed";

time("unrelated, no shared words", base, text(WORDS, 2, 5_000, "v"));
time("unrelated, same 5,000-word vocabulary", base, text(WORDS, 2, 5_000));
time("unrelated, same 20-word vocabulary (worst case)", text(WORDS, 1, 20), text(WORDS, 2, 20));
time("one word changed in 20,000", base, words.join(" "));

const unrelated = [...firstMs].filter(([label]) => label.startsWith("unrelated"));
const slowest = Math.max(...unrelated.map(([, ms]) => ms));
emitResult({
  name: "20,000-word comparison, unrelated texts (slowest)",
  measured: `${slowest.toFixed(0)} ms`,
  target: "< 1000 ms",
  met: slowest < 1000,
  detail: `one word changed (full diff): ${(firstMs.get("one word changed in 20,000") ?? 0).toFixed(0)} ms`,
});
const worstRatio = Math.max(...ratios.values());
emitResult({
  name: "fact judgement / word similarity alone (worst case)",
  measured: worstRatio.toFixed(2),
  target: "≤ 1.5",
  met: worstRatio <= 1.5,
  detail: [...ratios].map(([label, ratio]) => `${label}: ${ratio.toFixed(2)}`).join("; "),
});
