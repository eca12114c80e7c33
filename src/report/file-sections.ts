// Sections about the files themselves rather than their answers: problems a file has (`diff`,
// `verify`), broken or unsafe ones first, and recordings no test can find (unreachable).
import type { ListItem } from "mdast";
import type { CheckResult, RecordingProblem } from "./check-report.ts";
import {
  code,
  count,
  counted,
  heading,
  listItem,
  listSection,
  paragraph,
  type ReportSection,
  TOP_ENTRIES,
  text,
} from "./report-section.ts";

const PROBLEM_KINDS: Record<RecordingProblem["kind"], string> = {
  invalid: "invalid: not a readable recording",
  misnamed: "misnamed: the name is not the request's hash",
  credential: "credential-looking strings",
  reformatted: "reformatted: not written as the recorder writes",
  deleted: "deleted by the change",
};

/** Problems by severity (errors first) and kind; a long list of files under `<details>`. */
export function problemSections(results: readonly CheckResult[]): ReportSection[] {
  const groups = new Map<string, { problem: RecordingProblem; items: ListItem[] }>();
  for (const result of results) {
    for (const problem of result.problems ?? []) {
      const key = `${problem.severity === "error" ? 0 : 1} ${problem.kind}`;
      const group = groups.get(key) ?? { problem, items: [] };
      group.items.push(
        listItem(
          code(result.file),
          text(` line ${problem.line}: ${problem.message}${problem.atBase ? " (already at the base)" : ""}`),
        ),
      );
      groups.set(key, group);
    }
  }
  if (groups.size === 0) return [];
  const sorted = [...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, group]) => group);
  const total = sorted.reduce((n, group) => n + group.items.length, 0);
  return [
    {
      head: [heading(3, text(`Problems (${count(total)})`))],
      groups: sorted.map(({ problem, items }) => ({
        head: [
          paragraph(
            text(`${problem.severity === "error" ? "❌" : "⚠️"} ${counted(items.length, "file")} — `),
            text(PROBLEM_KINDS[problem.kind]),
          ),
        ],
        entries: items.map((item) => ({ item })),
        noun: "file",
        ...(items.length > TOP_ENTRIES ? { collapsed: `Files (${count(items.length)})` } : {}),
      })),
      keep: 90,
    },
  ];
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
