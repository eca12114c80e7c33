// The report's building blocks: sections of ranked entries, which the cutter can drop whole, and
// the few mdast node builders every section uses (untrusted text always through `inertText`).
import type { Heading, Html, List, ListItem, Paragraph, PhrasingContent, RootContent } from "mdast";
import { inertText } from "./untrusted-text.ts";

/** Entries shown before a group's "… and K more" line when the report must be cut. */
export const TOP_ENTRIES = 10;

/**
 * One part of the report: a heading (and what it means), then groups of entries ranked most
 * important first. Cutting drops entries from the ends of groups, then whole groups, then whole
 * sections, lowest `keep` first; a section with `keep: Infinity` (the headline) is never dropped.
 */
export interface ReportSection {
  head: RootContent[];
  groups: EntryGroup[];
  keep: number;
}

export interface EntryGroup {
  /** A sub-heading or an intro line; may be empty. */
  head: RootContent[];
  /** Most important first. */
  entries: Entry[];
  /** Shown inside `<details>` with this summary (trusted text: counts and fixed words). */
  collapsed?: string;
  /** What an entry is, for "… and K more recordings": `recording`, `file`, `test`… */
  noun: string;
}

/** One entry: a list item (entries in a row make one list) or blocks (a recording's detail). */
export type Entry = { item: ListItem } | { blocks: RootContent[] };

/** A number as people write it: 2,890. */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** `3 recordings`, `1 recording`. */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${count(n)} ${n === 1 ? noun : plural}`;
}

/** Untrusted (or any) text as a text node. */
export function text(value: string): PhrasingContent {
  return { type: "text", value: inertText(value) };
}

/** Untrusted (or any) text as inline code. */
export function code(value: string): PhrasingContent {
  return { type: "inlineCode", value: inertText(value) };
}

export function strong(value: string): PhrasingContent {
  return { type: "strong", children: [text(value)] };
}

export function paragraph(...children: PhrasingContent[]): Paragraph {
  return { type: "paragraph", children };
}

export function heading(depth: 2 | 3 | 4, ...children: PhrasingContent[]): Heading {
  return { type: "heading", depth, children };
}

export function listItem(...children: PhrasingContent[]): ListItem {
  return { type: "listItem", spread: false, children: [paragraph(...children)] };
}

export function list(items: ListItem[]): List {
  return { type: "list", ordered: false, spread: false, children: items };
}

/** `<details><summary>…</summary>`: `summary` is ours (counts, fixed words), escaped anyway. */
export function detailsOpen(summary: string): Html {
  const escaped = summary.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return { type: "html", value: `<details><summary>${escaped}</summary>` };
}

export const DETAILS_CLOSE: Html = { type: "html", value: "</details>" };

/** "… and 12 more recordings (see the full report)." */
export function moreLine(k: number, noun: string): Paragraph {
  return paragraph(text(`… and ${count(k)} more ${k === 1 ? noun : `${noun}s`} (see the full report).`));
}

/** A section of one group of list items under a heading; nothing when there are no items. */
export function listSection(
  title: string,
  intro: PhrasingContent[] | null,
  items: ListItem[],
  options: { keep: number; noun: string; collapsed?: string },
): ReportSection[] {
  if (items.length === 0) return [];
  return [
    {
      head: [heading(3, text(title)), ...(intro ? [paragraph(...intro)] : [])],
      groups: [
        {
          head: [],
          entries: items.map((item) => ({ item })),
          noun: options.noun,
          ...(options.collapsed ? { collapsed: options.collapsed } : {}),
        },
      ],
      keep: options.keep,
    },
  ];
}

/** The nodes of a group with its first `kept` entries: list items in a row as one list. */
export function groupNodes(group: EntryGroup, kept: number): RootContent[] {
  const nodes: RootContent[] = [...group.head];
  const shown = group.entries.slice(0, kept);
  if (shown.length > 0 && group.collapsed !== undefined) nodes.push(detailsOpen(group.collapsed));
  let items: ListItem[] = [];
  const flush = () => {
    if (items.length > 0) nodes.push(list(items));
    items = [];
  };
  for (const entry of shown) {
    if ("item" in entry) items.push(entry.item);
    else {
      flush();
      nodes.push(...entry.blocks);
    }
  }
  flush();
  if (shown.length > 0 && group.collapsed !== undefined) nodes.push(DETAILS_CLOSE);
  if (kept < group.entries.length) nodes.push(moreLine(group.entries.length - kept, group.noun));
  return nodes;
}

/** Our own words with option names in backticks (`set \`providers\``) as text and code nodes. */
export function wordsWithCode(words: string): PhrasingContent[] {
  return words
    .split("`")
    .map((piece, i) => (i % 2 === 1 ? code(piece) : text(piece)))
    .filter((node) => node.type !== "text" || node.value !== "");
}
