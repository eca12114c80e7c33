// A word diff as the lines of a fenced `diff` block, which GitHub colours red and green and shows
// as written (no Markdown inside, so nothing to escape and no marker a cut can leave open):
// removed words on `-` lines, added words on `+` lines, unchanged words as context, long unchanged
// stretches folded to a few words each side of a change. A rewritten text (most words changed)
// is shown as its two whole paragraphs, the stored one then the live one: interleaved word hunks
// of two different texts read as noise, and a two-column table would squeeze both into narrow
// cells, parse their Markdown and lose the colours.
// Written here: jsdiff and diff2html format line diffs of files, not a word diff already made.
import type { WordDiffRun } from "../compare/verdict.ts";
import { inertText } from "./untrusted-text.ts";

/** Unchanged words kept each side of a change. */
const CONTEXT_WORDS = 8;
/** Fewer unchanged words than this between two changes join them into one hunk. */
const MERGE_WORDS = 4;
/** Where lines of words wrap, so a reviewer reads without scrolling sideways. */
const LINE_CHARS = 100;
/** A single word longer than this (a URL, base64) is shown cut. */
const WORD_CHARS = 200;
/** Below this word similarity (shared words over both texts' words) a text was rewritten. */
const REWRITE_SIMILARITY = 0.5;

export interface DiffBlock {
  /** The block's lines, each starting with `-`, `+` or a space. */
  lines: string[];
  /** Lines left out past the cap. */
  cut: number;
  rewrite: boolean;
}

export interface DiffBlockLimit {
  /** At most this many lines (the rest counted in `cut`). */
  maxLines: number;
}

/** Whether the diff changes anything at all. */
export function changesText(runs: readonly WordDiffRun[] | null | undefined): runs is WordDiffRun[] {
  return runs?.some((run) => run.op !== "equal") ?? false;
}

export function diffBlock(runs: readonly WordDiffRun[], limit: DiffBlockLimit): DiffBlock {
  const rewrite = isRewrite(runs);
  const all = rewrite ? paragraphs(runs) : hunks(runs);
  return { lines: all.slice(0, limit.maxLines), cut: Math.max(0, all.length - limit.maxLines), rewrite };
}

function wordsOf(text: string): string[] {
  return text.split(" ").filter(Boolean);
}

function isRewrite(runs: readonly WordDiffRun[]): boolean {
  const count = (op: WordDiffRun["op"]) =>
    runs.filter((run) => run.op === op).reduce((sum, run) => sum + wordsOf(run.text).length, 0);
  const shared = count("equal");
  return 2 * shared < REWRITE_SIMILARITY * (2 * shared + count("removed") + count("added"));
}

/** The stored text whole on `-` lines, then the live text whole on `+` lines. */
function paragraphs(runs: readonly WordDiffRun[]): string[] {
  const side = (op: "removed" | "added") =>
    runs.filter((run) => run.op === "equal" || run.op === op).flatMap((run) => wordsOf(run.text));
  return [...wrapped("-", side("removed")), ...wrapped("+", side("added"))];
}

type Segment = { context: string[] } | { removed: string[]; added: string[] };

/**
 * Changes with fewer than `MERGE_WORDS` unchanged words between them are one hunk, shown as the
 * stored words then the live words of that stretch: `- This makes it more than 11 times` over
 * `+ Jupiter is more than 1,300 times` reads at a glance, one-word fragments do not.
 */
function segments(runs: readonly WordDiffRun[]): Segment[] {
  const out: Segment[] = [];
  runs.forEach((run, i) => {
    const words = wordsOf(run.text);
    const edge = i === 0 || i === runs.length - 1;
    if (run.op === "equal" && (edge || words.length >= MERGE_WORDS)) {
      out.push({ context: words });
      return;
    }
    let hunk = out.at(-1);
    if (hunk === undefined || "context" in hunk) {
      hunk = { removed: [], added: [] };
      out.push(hunk);
    }
    if (run.op !== "added") hunk.removed.push(...words);
    if (run.op !== "removed") hunk.added.push(...words);
  });
  return out;
}

function hunks(runs: readonly WordDiffRun[]): string[] {
  const all = segments(runs);
  return all.flatMap((segment, i) => {
    if (!("context" in segment)) return [...wrapped("-", segment.removed), ...wrapped("+", segment.added)];
    const words = segment.context;
    const before = i > 0 ? words.slice(0, CONTEXT_WORDS) : [];
    const after = i < all.length - 1 ? words.slice(-CONTEXT_WORDS) : [];
    if (words.length <= before.length + after.length) return wrapped(" ", words);
    // Folded: the words after the last change, then those before the next one.
    return [
      ...(before.length > 0 ? wrapped(" ", [...before, "…"]) : []),
      ...(after.length > 0 ? wrapped(" ", ["…", ...after]) : []),
    ];
  });
}

/** Words on lines of about `LINE_CHARS`, each line made inert and marked. */
function wrapped(mark: "-" | "+" | " ", words: string[]): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    const chars = Array.from(word);
    const shown = chars.length > WORD_CHARS ? `${chars.slice(0, WORD_CHARS - 1).join("")}…` : word;
    if (line !== "" && line.length + 1 + shown.length > LINE_CHARS) {
      lines.push(line);
      line = shown;
    } else {
      line = line === "" ? shown : `${line} ${shown}`;
    }
  }
  if (line !== "") lines.push(line);
  return lines.map((text) => `${mark} ${inertText(text)}`);
}
