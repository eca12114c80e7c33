// A word diff a reviewer can read in a few seconds: removed words struck through, added words
// in bold, long unchanged stretches folded to their first and last few words.
import type { WordDiffRun } from "../compare/verdict.ts";
import { markdownText } from "./untrusted-text.ts";

const CONTEXT_WORDS = 8;

export function renderWordDiff(runs: readonly WordDiffRun[], maxChars = 1200): string {
  const parts: string[] = [];
  runs.forEach((run, i) => {
    if (run.op === "removed") parts.push(`~~${markdownText(run.text.trim())}~~`);
    else if (run.op === "added") parts.push(`**${markdownText(run.text.trim())}**`);
    else parts.push(markdownText(foldEqual(run.text, i === 0, i === runs.length - 1)));
  });
  const text = parts.filter((p) => p !== "" && p !== "~~~~" && p !== "****").join(" ");
  return text.length <= maxChars
    ? text
    : `${text.slice(0, maxChars).replace(/\s\S*$/, "")} … (diff cut; the full diff is in the JSON report)`;
}

function foldEqual(text: string, first: boolean, last: boolean): string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const keepHead = first ? 0 : CONTEXT_WORDS;
  const keepTail = last ? 0 : CONTEXT_WORDS;
  if (words.length <= keepHead + keepTail + 1) return words.join(" ");
  const head = words.slice(0, keepHead);
  const tail = words.slice(words.length - keepTail);
  return [...head, "…", ...tail].join(" ");
}
