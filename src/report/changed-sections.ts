// The recordings whose answers changed: drifted ones grouped by test file and model, heaviest
// first; model lists by provider (ids added and removed, the files under `<details>`); minor
// changes collapsed. Each recording is rendered by `recordingDetail`.
import type { ListItem, RootContent } from "mdast";
import type { CheckResult } from "./check-report.ts";
import { type FileLinks, recordingDetail, semanticWeight } from "./recording-detail.ts";
import {
  code,
  count,
  counted,
  type EntryGroup,
  heading,
  listItem,
  paragraph,
  type ReportSection,
  text,
} from "./report-section.ts";

const MODEL_LIST = /^model list: (added|removed) (.*)$/;
/** Model ids named per provider line; the rest are counted. */
const SHOWN_IDS = 20;

function isModelList(result: CheckResult): boolean {
  return result.reasons.some((reason) => reason.startsWith("model list:"));
}

/** Heaviest first; ties in file order, so the report reads the same on every run. */
function byWeight(results: readonly CheckResult[]): CheckResult[] {
  return results
    .map((result) => ({ result, weight: semanticWeight(result) }))
    .sort((a, b) => b.weight - a.weight || (a.result.file < b.result.file ? -1 : 1))
    .map(({ result }) => result);
}

/** A recording's detail nested one level under its group's heading. */
function detail(result: CheckResult, links: FileLinks | undefined): RootContent[] {
  return recordingDetail(result, links ? { links } : {}).map((node) =>
    node.type === "heading" && node.depth < 6 ? { ...node, depth: (node.depth + 1) as 5 | 6 } : node,
  );
}

/** `tests/integration/inference/test_x.py` from `tests/…/test_x.py::test_y[param]`. */
function testFile(result: CheckResult): string | null {
  return result.testId === null ? null : (result.testId.split("::")[0] ?? null);
}

function driftedSections(results: readonly CheckResult[], links: FileLinks | undefined): ReportSection[] {
  const drifted = byWeight(results.filter((r) => r.verdict === "drifted" && !isModelList(r)));
  if (drifted.length === 0) return [];
  // Groups in the order of their heaviest recording.
  const groups = new Map<string, { file: string | null; model: string | null; results: CheckResult[] }>();
  for (const result of drifted) {
    const key = JSON.stringify([testFile(result), result.model]);
    const group = groups.get(key) ?? { file: testFile(result), model: result.model, results: [] };
    group.results.push(result);
    groups.set(key, group);
  }
  return [
    {
      head: [heading(3, text(`Drifted (${count(drifted.length)})`))],
      groups: [...groups.values()].map(
        (group): EntryGroup => ({
          head: [
            heading(
              4,
              group.file === null ? text("no test id") : code(group.file),
              ...(group.model === null ? [] : [text(" · "), code(group.model)]),
              text(` (${count(group.results.length)})`),
            ),
          ],
          entries: group.results.map((result) => ({ blocks: detail(result, links) })),
          noun: "recording",
        }),
      ),
      keep: 70,
    },
  ];
}

function minorSections(results: readonly CheckResult[], links: FileLinks | undefined): ReportSection[] {
  const minor = byWeight(results.filter((r) => r.verdict === "minor" && !isModelList(r)));
  if (minor.length === 0) return [];
  return [
    {
      head: [
        heading(3, text(`Minor changes (${count(minor.length)})`)),
        paragraph(text("The same facts in other words, usage counts, a new snapshot of the same model.")),
      ],
      groups: [
        {
          head: [],
          entries: minor.map((result) => ({ blocks: detail(result, links) })),
          noun: "recording",
          collapsed: `${counted(minor.length, "minor change")}`,
        },
      ],
      keep: 10,
    },
  ];
}

interface ModelListChange {
  provider: string;
  added: Set<string>;
  removed: Set<string>;
  files: string[];
}

function modelListChanges(results: readonly CheckResult[]): ModelListChange[] {
  const byProvider = new Map<string, ModelListChange>();
  for (const result of results.filter(isModelList)) {
    const provider = result.provider ?? "unknown provider";
    const change = byProvider.get(provider) ?? { provider, added: new Set(), removed: new Set(), files: [] };
    change.files.push(result.file);
    for (const reason of result.reasons) {
      const match = MODEL_LIST.exec(reason);
      if (!match) continue;
      // `a, b, … (3 more)`: the ids the reason names; the count of the rest is in the JSON report.
      const ids = (match[2] as string).split(", ").filter((id) => !/^… \(\d+ more\)$/.test(id));
      for (const id of ids) change[match[1] === "added" ? "added" : "removed"].add(id);
    }
    byProvider.set(provider, change);
  }
  return [...byProvider.values()].sort(
    (a, b) => b.removed.size - a.removed.size || b.files.length - a.files.length,
  );
}

function idList(verb: string, ids: ReadonlySet<string>) {
  const shown = [...ids].sort().slice(0, SHOWN_IDS);
  return [
    text(`${verb} `),
    ...shown.flatMap((id, i) => [...(i > 0 ? [text(", ")] : []), code(id)]),
    ...(ids.size > SHOWN_IDS ? [text(` and ${count(ids.size - SHOWN_IDS)} more`)] : []),
  ];
}

function modelListSections(results: readonly CheckResult[]): ReportSection[] {
  const changes = modelListChanges(results);
  if (changes.length === 0) return [];
  const files = changes.reduce((n, change) => n + change.files.length, 0);
  return [
    {
      head: [heading(3, text(`Model lists (${counted(files, "recording")})`))],
      groups: changes.map(
        (change): EntryGroup => ({
          head: [
            paragraph(
              code(change.provider),
              text(`, ${counted(change.files.length, "recording")}: `),
              ...(change.removed.size > 0 ? idList("removed", change.removed) : []),
              ...(change.removed.size > 0 && change.added.size > 0 ? [text("; ")] : []),
              ...(change.added.size > 0 ? idList("added", change.added) : []),
              ...(change.removed.size + change.added.size === 0 ? [text("model settings changed")] : []),
            ),
          ],
          entries: change.files.map((file): { item: ListItem } => ({ item: listItem(code(file)) })),
          noun: "file",
          collapsed: `Files (${count(change.files.length)})`,
        }),
      ),
      keep: 50,
    },
  ];
}

export function changedSections(
  results: readonly CheckResult[],
  links: FileLinks | undefined,
): { drifted: ReportSection[]; modelLists: ReportSection[]; minor: ReportSection[] } {
  return {
    drifted: driftedSections(results, links),
    modelLists: modelListSections(results),
    minor: minorSections(results, links),
  };
}
