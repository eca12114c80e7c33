// Fits the report to a size limit by leaving out whole pieces, never cutting inside a node. What
// goes first: the entries of collapsed groups, then entries beyond each group's top few, then
// whole groups and sections, least important first. Done the other way round, by filling: the
// pieces are taken most important first while they fit, so a piece is serialised (to learn its
// size) only when it is considered, and a 30,000-recording report costs about what its shown
// part does. The kept pieces are serialised together at the end and checked against the limit.
import type { RootContent } from "mdast";
import { type ReportLimit, sizeIn } from "./report-limits.ts";
import {
  DETAILS_CLOSE,
  detailsOpen,
  type Entry,
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
  /** prefix[k]: the size of the first k entries, measured when first considered. */
  prefix: number[];
  /** The head, the `<details>` wrapper and the "… and K more" line, measured once. */
  fixed: { head: number; wrapper: number; more: number } | null;
  kept: number;
  shown: boolean;
}

interface SectionState {
  section: ReportSection;
  groups: GroupState[];
  shown: boolean;
}

type Size = (nodes: RootContent[]) => number;

export function cutSections(
  sections: readonly ReportSection[],
  limit: ReportLimit,
  note: (stats: CutStats) => RootContent[],
): RootContent[] {
  const max = "chars" in limit ? limit.chars : limit.bytes;
  // A block serialises with one newline after it; in the document a blank line joins it to the next.
  const size: Size = (nodes) => (nodes.length === 0 ? 0 : sizeIn(limit, serializeMarkdown(nodes)) + 1);
  const fill = new Filler(sections, size);
  fill.run(max);
  if (fill.everything()) {
    const whole = fill.nodes();
    if (sizeIn(limit, serializeMarkdown(whole)) <= max) return whole;
  }
  let budget = max - size(note({ entries: 999_999, groups: 999_999, sections: 999 }));
  for (;;) {
    fill.run(budget);
    const nodes = [...fill.nodes(), ...note(fill.stats())];
    const actual = sizeIn(limit, serializeMarkdown(nodes));
    if (actual <= max || budget <= 0) return nodes;
    // The joins between pieces differ a little from the estimate: leave a little more out.
    budget -= actual - max + 64;
  }
}

class Filler {
  private readonly states: SectionState[];
  private readonly heads = new Map<ReportSection, number>();
  private used = 0;
  private budget = 0;

  constructor(
    sections: readonly ReportSection[],
    private readonly size: Size,
  ) {
    this.states = sections.map((section) => ({
      section,
      shown: false,
      groups: section.groups.map((group) => ({ group, prefix: [0], fixed: null, kept: 0, shown: false })),
    }));
  }

  /** Takes pieces, most important first, while they fit in `budget`. */
  run(budget: number): void {
    this.budget = budget;
    this.used = 0;
    for (const s of this.states) {
      s.shown = false;
      for (const g of s.groups) {
        g.shown = false;
        g.kept = 0;
      }
    }
    const mostFirst = [...this.states].sort((a, b) => b.section.keep - a.section.keep);
    // Sections whole, each group with its top entries (collapsed ones with none yet)…
    sections: for (const s of mostFirst) {
      const [first] = s.groups;
      // A section is shown with at least its first group's head, or not at all.
      const need = this.headSize(s.section) + (first ? this.groupSize(first, 0) : 0);
      if (!this.take(need) && s.section.keep !== Number.POSITIVE_INFINITY) break;
      s.shown = true;
      for (const g of s.groups) {
        if (g !== first && !this.take(this.groupSize(g, 0))) break sections;
        g.shown = true;
        if (g.group.collapsed === undefined && !this.grow(g, TOP_ENTRIES)) break sections;
      }
    }
    // …then the rest of the visible entries, then the collapsed ones.
    const shownGroups = mostFirst.filter((s) => s.shown).flatMap((s) => s.groups.filter((g) => g.shown));
    for (const g of shownGroups) {
      if (g.group.collapsed === undefined && !this.grow(g, g.group.entries.length)) return;
    }
    for (const g of shownGroups) {
      if (g.group.collapsed !== undefined && !this.grow(g, g.group.entries.length)) return;
    }
  }

  everything(): boolean {
    return this.states.every(
      (s) => s.shown && s.groups.every((g) => g.shown && g.kept === g.group.entries.length),
    );
  }

  nodes(): RootContent[] {
    return this.states
      .filter((s) => s.shown)
      .flatMap((s) => [
        ...s.section.head,
        ...s.groups.filter((g) => g.shown).flatMap((g) => groupNodes(g.group, g.kept)),
      ]);
  }

  stats(): CutStats {
    const out: CutStats = { entries: 0, groups: 0, sections: 0 };
    for (const s of this.states) {
      if (!s.shown) out.sections++;
      for (const g of s.groups) {
        if (s.shown && !g.shown) out.groups++;
        out.entries += g.group.entries.length - (s.shown && g.shown ? g.kept : 0);
      }
    }
    return out;
  }

  /** Adds `size` when it fits. */
  private take(size: number): boolean {
    if (this.used + size > this.budget) return false;
    this.used += size;
    return true;
  }

  /** Adds entries to the group, in order, up to `upTo` while they fit; false when one did not. */
  private grow(g: GroupState, upTo: number): boolean {
    const n = g.group.entries.length;
    while (g.kept < Math.min(upTo, n)) {
      if (!this.take(this.groupSize(g, g.kept + 1) - this.groupSize(g, g.kept))) return false;
      g.kept++;
    }
    return true;
  }

  /** The size a group takes, head included, with its first `kept` entries. */
  private groupSize(g: GroupState, kept: number): number {
    const { group } = g;
    g.fixed ??= {
      head: this.size(group.head),
      wrapper: group.collapsed === undefined ? 0 : this.size([detailsOpen(group.collapsed), DETAILS_CLOSE]),
      more: this.size([moreLine(group.entries.length, group.noun)]),
    };
    while (g.prefix.length <= kept) {
      const entry = group.entries[g.prefix.length - 1] as Entry;
      // Items in a row are one list: an item adds its line, with no blank line before it.
      const measured =
        "item" in entry ? this.size([{ type: "list", children: [entry.item] }]) - 1 : this.size(entry.blocks);
      g.prefix.push((g.prefix.at(-1) as number) + measured);
    }
    return (
      g.fixed.head +
      (g.prefix[kept] as number) +
      (kept > 0 ? g.fixed.wrapper : 0) +
      (kept < group.entries.length ? g.fixed.more : 0)
    );
  }

  private headSize(section: ReportSection): number {
    let known = this.heads.get(section);
    if (known === undefined) {
      known = this.size(section.head);
      this.heads.set(section, known);
    }
    return known;
  }
}
