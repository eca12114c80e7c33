// Fits the report to a size limit by dropping whole pieces, never cutting inside a node: first
// the entries of collapsed groups, then entries beyond each group's top few, then whole groups
// and sections, least important first. Every piece is serialised once to learn its size (entries
// only until a group could not hold more), so a 30,000-recording report is cut in one pass;
// the kept pieces are serialised together at the end and checked against the limit.
import type { RootContent } from "mdast";
import { type ReportLimit, sizeIn } from "./report-limits.ts";
import {
  DETAILS_CLOSE,
  detailsOpen,
  type EntryGroup,
  groupNodes,
  moreLine,
  type ReportSection,
  TOP_ENTRIES,
} from "./report-section.ts";
import { serializeMarkdown } from "./serialize-markdown.ts";

/** What was left out, for the truncation note. */
export interface CutStats {
  entries: number;
  groups: number;
  sections: number;
}

interface GroupState {
  group: EntryGroup;
  /** Sizes of the first k entries, measured in order until the group could hold no more. */
  prefix: number[];
  kept: number;
  shown: boolean;
  head: number;
  wrapper: number;
  more: number;
}

interface SectionState {
  section: ReportSection;
  groups: GroupState[];
  head: number;
  shown: boolean;
}

/** Two newlines join top-level blocks. */
const JOIN = 2;

export function cutSections(
  sections: readonly ReportSection[],
  limit: ReportLimit,
  note: (stats: CutStats) => RootContent[],
): RootContent[] {
  const max = "chars" in limit ? limit.chars : limit.bytes;
  const size = (nodes: RootContent[]) =>
    nodes.length === 0 ? 0 : sizeIn(limit, serializeMarkdown(nodes)) + JOIN;
  const states: SectionState[] = sections.map((section) => ({
    section,
    head: size(section.head),
    shown: true,
    groups: section.groups.map((group) => measureGroup(group, size, max)),
  }));
  const everything = states.every((s) => s.groups.every((g) => g.kept === g.group.entries.length));
  if (everything && total(states) <= max) {
    const whole = nodesOf(states);
    if (sizeIn(limit, serializeMarkdown(whole)) <= max) return whole;
  }
  const noteSize = size(note({ entries: 999_999, groups: 999_999, sections: 999 }));
  let budget = max - noteSize;
  for (;;) {
    drop(states, budget);
    const nodes = [...nodesOf(states), ...note(stats(states))];
    const actual = sizeIn(limit, serializeMarkdown(nodes));
    if (actual <= max || states.every((s) => !s.shown || s.section.keep === Number.POSITIVE_INFINITY))
      return nodes;
    // The joins between pieces differ a little from the estimate: drop a little more.
    budget -= actual - max + 64;
  }
}

function measureGroup(group: EntryGroup, size: (nodes: RootContent[]) => number, max: number): GroupState {
  // prefix[k]: the size of the first k entries.
  const prefix = [0];
  for (const entry of group.entries) {
    const sum = prefix[prefix.length - 1] as number;
    if (sum > max) break;
    prefix.push(sum + size("item" in entry ? [{ type: "list", children: [entry.item] }] : entry.blocks));
  }
  const measured = prefix.length - 1;
  return {
    group,
    prefix,
    kept: (prefix[measured] as number) > max ? measured - 1 : measured,
    shown: true,
    head: size(group.head),
    wrapper: group.collapsed === undefined ? 0 : size([detailsOpen(group.collapsed), DETAILS_CLOSE]),
    more: size([moreLine(group.entries.length, group.noun)]),
  };
}

function groupSize(g: GroupState): number {
  if (!g.shown) return 0;
  return (
    g.head +
    (g.prefix[g.kept] as number) +
    (g.kept > 0 ? g.wrapper : 0) +
    (g.kept < g.group.entries.length ? g.more : 0)
  );
}

function total(states: readonly SectionState[]): number {
  let sum = 0;
  for (const s of states) {
    if (!s.shown) continue;
    sum += s.head;
    for (const g of s.groups) sum += groupSize(g);
  }
  return sum;
}

/** Drops pieces in the three stages until the estimate is within `budget`. */
function drop(states: SectionState[], budget: number): void {
  let current = total(states);
  const leastFirst = [...states]
    .filter((s) => s.section.keep !== Number.POSITIVE_INFINITY)
    .sort((a, b) => a.section.keep - b.section.keep);
  const groupsLeastFirst = leastFirst.flatMap((s) => [...s.groups].reverse());
  const shrink = (g: GroupState, floor: number) => {
    while (current > budget && g.kept > floor) {
      const before = groupSize(g);
      g.kept--;
      current += groupSize(g) - before;
    }
  };
  for (const g of groupsLeastFirst) if (g.group.collapsed !== undefined) shrink(g, 0);
  for (const g of groupsLeastFirst) shrink(g, Math.min(TOP_ENTRIES, g.kept));
  for (const s of leastFirst) {
    for (const g of [...s.groups].reverse()) {
      if (current <= budget) return;
      current -= groupSize(g);
      g.shown = false;
    }
    if (current <= budget) return;
    if (s.shown) current -= s.head;
    s.shown = false;
  }
}

function stats(states: readonly SectionState[]): CutStats {
  const out: CutStats = { entries: 0, groups: 0, sections: 0 };
  for (const s of states) {
    if (!s.shown) out.sections++;
    for (const g of s.groups) {
      if (s.shown && !g.shown) out.groups++;
      out.entries += g.group.entries.length - (s.shown && g.shown ? g.kept : 0);
    }
  }
  return out;
}

function nodesOf(states: readonly SectionState[]): RootContent[] {
  return states
    .filter((s) => s.shown)
    .flatMap((s) => [
      ...s.section.head,
      ...s.groups.filter((g) => g.shown).flatMap((g) => groupNodes(g.group, g.kept)),
    ]);
}
