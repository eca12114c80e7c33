// Sections about the files themselves rather than their answers: problems a file has (`diff`,
// `verify`), broken or unsafe ones first, and recordings no test can find (unreachable).
import type { CheckResult } from "./check-report.ts";
import { code, count, listItem, listSection, type ReportSection, text } from "./report-section.ts";

export function problemSections(results: readonly CheckResult[]): ReportSection[] {
  const found = results.flatMap((result) => (result.problems ?? []).map((problem) => ({ result, problem })));
  // Errors first, then warnings; each kept in file order.
  const ranked = [
    ...found.filter((f) => f.problem.severity === "error"),
    ...found.filter((f) => f.problem.severity !== "error"),
  ];
  const items = ranked.map(({ result, problem }) =>
    listItem(
      text(`${problem.severity === "error" ? "❌" : "⚠️"} `),
      code(result.file),
      text(` line ${problem.line}: ${problem.message}${problem.atBase ? " (already at the base)" : ""}`),
    ),
  );
  return listSection(`Problems (${count(items.length)})`, null, items, { keep: 90, noun: "problem" });
}

/** Recordings no test can find: one group, since one cause (a hand edit, an old rule) explains them. */
export function unreachableSections(results: readonly CheckResult[]): ReportSection[] {
  const unreachable = results.filter((r) => r.unreachable);
  const removed = unreachable.filter((r) => r.removed).length;
  const items = unreachable.map((r) => listItem(code(r.file), ...(r.removed ? [text(" (deleted)")] : [])));
  return listSection(
    `Unreachable (${count(unreachable.length)})`,
    [
      text("Their file name is not their request's hash, so their tests can never find them: skipped, "),
      ...(removed > 0
        ? [text(`and ${count(removed)} deleted by --prune-unreachable.`)]
        : [text("no request spent. "), code("refresh --prune-unreachable"), text(" deletes them.")]),
    ],
    items,
    { keep: 30, noun: "file", collapsed: `Files (${count(unreachable.length)})` },
  );
}
