// The report as a Markdown syntax tree (mdast), the one source the Markdown and terminal
// renderings are made from: a title, an intro, the headline and counts, then one section per
// group of recordings, most pressing first.
import type { Root, RootContent } from "mdast";
import { changedSections } from "./changed-sections.ts";
import type { CheckReport } from "./check-report.ts";
import { failedSections, skippedSections } from "./could-not-check-section.ts";
import { problemSections, unreachableSections } from "./file-sections.ts";
import { type HeadlineOptions, headline } from "./headline.ts";
import { reRecordSections } from "./re-record-section.ts";
import type { FileLinks } from "./recording-detail.ts";
import { rejectedSections } from "./rejected-section.ts";
import { groupNodes, heading, type ReportSection, text } from "./report-section.ts";
import { noiseSections, providerSections, warningSections } from "./run-section.ts";

const DEFAULT_TITLE = "recording-drift report";

export interface ReportOptions extends HeadlineOptions {
  /** The `##` heading first (default `recording-drift report`); null: none (a pull request has
   *  its own title). */
  title?: string | null;
  /** Where each recording's file can be read. */
  links?: FileLinks;
  /** What this report is, before the headline (a pull request's intro). */
  intro?: RootContent[];
}

/** The report's sections in reading order; the first (title, intro, headline) is never cut. */
export function reportSections(report: CheckReport, options: ReportOptions = {}): ReportSection[] {
  const { results } = report;
  const changed = changedSections(results, options.links);
  return [
    {
      head: [
        ...(options.title === null ? [] : [heading(2, text(options.title ?? DEFAULT_TITLE))]),
        ...(options.intro ?? []),
        ...headline(report, options),
      ],
      groups: [],
      keep: Number.POSITIVE_INFINITY,
    },
    ...warningSections(report),
    ...problemSections(results),
    ...failedSections(results),
    ...changed.drifted,
    ...rejectedSections(results),
    ...reRecordSections(results),
    ...changed.modelLists,
    ...skippedSections(results),
    ...unreachableSections(results),
    ...changed.minor,
    ...providerSections(report),
    ...noiseSections(report),
  ];
}

export function reportTree(report: CheckReport, options: ReportOptions = {}): Root {
  return { type: "root", children: sectionNodes(reportSections(report, options)) };
}

/** Every section whole, in order. */
export function sectionNodes(sections: readonly ReportSection[]): RootContent[] {
  return sections.flatMap((section) => [
    ...section.head,
    ...section.groups.flatMap((group) => groupNodes(group, group.entries.length)),
  ]);
}
