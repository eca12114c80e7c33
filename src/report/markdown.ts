// The Markdown report a reviewer reads (pull request bodies, job summaries, `--markdown`): the
// report's syntax tree serialised, cut to a sink's limit by dropping whole sections, with a note
// at the very end (outside any `<details>`) saying so and where the full report is.
import type { RootContent } from "mdast";
import type { CheckReport } from "./check-report.ts";
import { type CutStats, cutSections } from "./cut-report.ts";
import { describeLimit, type ReportLimit } from "./report-limits.ts";
import { counted, paragraph, strong, text } from "./report-section.ts";
import { type ReportOptions, reportSections, sectionNodes } from "./report-tree.ts";
import { serializeMarkdown } from "./serialize-markdown.ts";

export interface MarkdownOptions extends ReportOptions {
  /** The sink's size limit (`report-limits.ts`); none: the whole report. */
  limit?: ReportLimit;
  /** Where the full report is (`in the report-json file …`), named when the report is cut. */
  fullReport?: string;
}

export function formatMarkdown(report: CheckReport, options: MarkdownOptions = {}): string {
  const sections = reportSections(report, options);
  const { limit } = options;
  if (limit === undefined) return serializeMarkdown(sectionNodes(sections));
  return serializeMarkdown(
    cutSections(sections, limit, (stats) => truncationNote(stats, limit, options.fullReport)),
  );
}

function truncationNote(stats: CutStats, limit: ReportLimit, fullReport: string | undefined): RootContent[] {
  const left = [
    stats.sections > 0 && counted(stats.sections, "section"),
    stats.groups > 0 && counted(stats.groups, "group"),
    stats.entries > 0 && counted(stats.entries, "entry", "entries"),
  ].filter((part): part is string => typeof part === "string");
  return [
    { type: "thematicBreak" },
    paragraph(
      strong("This report was cut"),
      text(
        ` to fit GitHub's limit of ${describeLimit(limit)}` +
          (left.length > 0 ? `: ${left.join(", ")} not shown.` : ".") +
          (fullReport ? ` The full report is ${fullReport}.` : ""),
      ),
    ),
  ];
}
