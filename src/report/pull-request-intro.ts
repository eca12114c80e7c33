// The start of a refresh pull request's body: what it is, how it was made, how to review it and
// what merging does, in four short lines before the headline.
import type { PhrasingContent, RootContent } from "mdast";
import type { CheckReport } from "./check-report.ts";
import { count, counted, list, listItem, strong, text } from "./report-section.ts";

export interface MadeBy {
  /** The workflow run that made it (a URL), when known. */
  runUrl?: string;
  /** When it was made, as `2026-12-02`. */
  date: string;
}

export function pullRequestIntro(report: CheckReport, made: MadeBy): RootContent[] {
  const { summary, results } = report;
  const when: PhrasingContent[] = made.runUrl
    ? [text("in "), { type: "link", url: made.runUrl, children: [text("this workflow run")] }]
    : [text(`on ${made.date}`)];
  const refreshed = results.filter((r) => r.refreshed || r.removed).length;
  return [
    list([
      listItem(
        strong("What this is:"),
        text(" LLM test recordings refreshed from the live providers by recording-drift, "),
        ...when,
        text("."),
      ),
      listItem(
        strong("How it was made:"),
        text(
          ` ${counted(summary.total - summary.skipped, "recording")} replayed, each answer compared with the ` +
            `stored one after normalization (ids, timestamps and stream chunking are noise); ${count(refreshed)} ` +
            "rewritten as the project's recorder writes them.",
        ),
      ),
      listItem(
        strong("How to review:"),
        text(
          " look at the drifted recordings below, heaviest first; noise is not listed, minor changes are collapsed.",
        ),
      ),
      listItem(strong("What merging does:"), text(" the tests replay the new answers.")),
    ]),
  ];
}
