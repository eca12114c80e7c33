// One drifted, failed or minor recording in the report, as Markdown syntax tree nodes: its
// heading, where it ran, what changed, and the word diff of its text.
import type { BlockContent, Heading, List, ListItem, PhrasingContent } from "mdast";
import type { CheckResult } from "./check-report.ts";
import { inertText } from "./untrusted-text.ts";

/** Where a recording's file can be read (a blob URL at the run's commit); null when unknown. */
export interface FileLinks {
  file(path: string): string | null;
}

export interface DetailOptions {
  links?: FileLinks;
}

/** Orders recordings for review, heaviest first: the larger, the more a reviewer must see it. */
export function semanticWeight(result: CheckResult): number {
  return 1 - (result.similarity ?? 1);
}

export function recordingDetail(result: CheckResult, options: DetailOptions = {}): BlockContent[] {
  const heading: Heading = {
    type: "heading",
    depth: 4,
    children: [linked(result.file, options.links), ...(result.refreshed ? [text(" (refreshed)")] : [])],
  };
  const items: PhrasingContent[][] = [];
  if (result.renamedFrom) items.push([text(`renamed from ${result.renamedFrom}`)]);
  if (result.testId) items.push([text("test: "), code(result.testId)]);
  const where: PhrasingContent[] = [];
  if (result.model) where.push(text("model "), code(result.model));
  if (result.provider)
    where.push(text(where.length > 0 ? ", provider " : "provider "), code(result.provider));
  if (where.length > 0) items.push(where);
  for (const reason of result.reasons) items.push([text(reason)]);
  if (result.downstream && !result.refreshed) {
    items.push([
      text(`stale with it (later requests of its test embed this answer): ${result.downstream.join(", ")}`),
    ]);
  }
  const nodes: BlockContent[] = [heading, list(items)];
  const diff = result.diff;
  if (diff?.some((run) => run.op !== "equal")) {
    nodes.push({
      type: "code",
      lang: "diff",
      value: diff
        .filter((run) => run.op !== "equal" || run.text.trim() !== "")
        .map(
          (run) =>
            `${run.op === "removed" ? "-" : run.op === "added" ? "+" : " "} ${inertText(run.text.trim())}`,
        )
        .join("\n"),
    });
  }
  return nodes;
}

function text(value: string): PhrasingContent {
  return { type: "text", value: inertText(value) };
}

function code(value: string): PhrasingContent {
  return { type: "inlineCode", value: inertText(value) };
}

function linked(file: string, links: FileLinks | undefined): PhrasingContent {
  const url = links?.file(file) ?? null;
  return url === null ? code(file) : { type: "link", url, children: [code(file)] };
}

function list(items: PhrasingContent[][]): List {
  return {
    type: "list",
    ordered: false,
    spread: false,
    children: items.map(
      (children): ListItem => ({
        type: "listItem",
        spread: false,
        children: [{ type: "paragraph", children }],
      }),
    ),
  };
}
