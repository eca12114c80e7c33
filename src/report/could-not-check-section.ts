// The recordings no live answer was judged for: failures by cause and provider, skips by reason,
// one line each with how many and the fix, instead of one block per recording.
import type { ListItem, PhrasingContent } from "mdast";
import type { CheckResult } from "./check-report.ts";
import { type CauseGroup, failureCause, groupByCause, skipReason } from "./failure-causes.ts";
import {
  code,
  count,
  listItem,
  listSection,
  type ReportSection,
  text,
  wordsWithCode,
} from "./report-section.ts";

function causeItem(group: CauseGroup): ListItem {
  const line: PhrasingContent[] = [text(`${count(group.count)} `)];
  if (group.provider) line.push(text("on "), code(group.provider), text(": "));
  line.push(text(group.cause));
  if (group.fix) line.push(text(" — "), ...wordsWithCode(group.fix));
  if (group.example) line.push(text(`; the first said: ${group.example}`));
  return listItem(...line);
}

/** Failed recordings by cause and provider. A file with problems of its own (`verify`, `diff`)
 *  is listed under Problems instead. */
export function failedSections(results: readonly CheckResult[]): ReportSection[] {
  const failed = results.filter((r) => r.verdict === "failed" && !(r.problems ?? []).length);
  return listSection(
    `Could not check (${count(failed.length)})`,
    null,
    groupByCause(failed, failureCause).map(causeItem),
    { keep: 80, noun: "cause" },
  );
}

/** Skipped recordings by reason (and provider, for missing credentials). */
export function skippedSections(results: readonly CheckResult[]): ReportSection[] {
  const skipped = results.filter((r) => r.verdict === "skipped");
  return listSection(
    `Skipped (${count(skipped.length)})`,
    null,
    groupByCause(skipped, skipReason).map(causeItem),
    { keep: 40, noun: "reason" },
  );
}
