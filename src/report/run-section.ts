// About the run itself: warnings (a `--provider` host that matched nothing), where each
// recorded host's requests were sent (base URLs, never a key), and the noise it set aside.
import type { CheckReport } from "./check-report.ts";
import { formatIgnoredNoise } from "./ignored-noise-line.ts";
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

/** Warnings about the run, first after the headline: they can explain everything below. */
export function warningSections(report: CheckReport): ReportSection[] {
  const warnings = report.warnings ?? [];
  if (warnings.length === 0) return [];
  return [
    {
      head: warnings.map((warning) => ({
        type: "blockquote",
        children: [paragraph(strong("Warning:"), text(` ${warning}`))],
      })),
      groups: [],
      keep: 85,
    },
  ];
}

/** Where each recorded host's requests went, collapsed at the end. */
export function providerSections(report: CheckReport): ReportSection[] {
  const providers = report.providers ?? [];
  const items = providers.map(({ host, sentTo }) =>
    listItem(
      code(host),
      text(" → "),
      ...sentTo.flatMap((url, i) => [...(i > 0 ? [text(", ")] : []), code(url)]),
    ),
  );
  return listSection(`Providers (${count(providers.length)})`, null, items, {
    keep: 20,
    noun: "provider",
    collapsed: `Where requests went (${count(providers.length)})`,
  });
}

/**
 * The last line: what differed in the answers judged unchanged or minor but was set aside as
 * noise (new ids, fingerprints, re-split streams…), so a reviewer sees what was not listed.
 */
export function noiseSections(report: CheckReport): ReportSection[] {
  const line = formatIgnoredNoise(report.results);
  return line === null ? [] : [{ head: [paragraph(text(line))], groups: [], keep: 15 }];
}
