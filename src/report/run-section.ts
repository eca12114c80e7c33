// About the run itself: warnings (a `--provider` host that matched nothing), and where each
// recorded host's requests were sent (base URLs, never a key).
import type { CheckReport } from "./check-report.ts";
import {
  code,
  count,
  listItem,
  listSection,
  paragraph,
  type ReportSection,
  strong,
  text,
} from "./report-section.ts";

export function runSections(report: CheckReport): ReportSection[] {
  const warnings = report.warnings ?? [];
  const providers = report.providers ?? [];
  const sections: ReportSection[] = [];
  if (warnings.length > 0) {
    sections.push({
      head: warnings.map((warning) => ({
        type: "blockquote",
        children: [paragraph(strong("Warning:"), text(` ${warning}`))],
      })),
      groups: [],
      keep: 85,
    });
  }
  const items = providers.map(({ host, sentTo }) =>
    listItem(
      code(host),
      text(" → "),
      ...sentTo.flatMap((url, i) => [...(i > 0 ? [text(", ")] : []), code(url)]),
    ),
  );
  sections.push(
    ...listSection(`Providers (${count(providers.length)})`, null, items, {
      keep: 20,
      noun: "provider",
      collapsed: `Where requests went (${count(providers.length)})`,
    }),
  );
  return sections;
}
