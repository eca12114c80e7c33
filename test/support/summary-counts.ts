// The counts a report's table shows, read back from its Markdown with a GitHub-flavoured parser,
// so a test can hold them against the step's outputs. Either orientation: verdicts as the header
// row (`| total | unchanged | … |` over one row of numbers) or as the first column.
import type { Nodes, Table } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { VERDICTS } from "../../src/report/check-report.ts";

const COUNTED = new Set<string>(["total", ...VERDICTS]);

/** Name → number of the first table that counts verdicts (names lower-cased, `1,234` read). */
export function summaryTableCounts(markdown: string): Record<string, number> {
  const tree = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  for (const table of tables(tree)) {
    const rows = table.children.map((row) => row.children.map((cell) => nodeText(cell).trim()));
    const counts: Record<string, number> = {};
    const [header = [], ...body] = rows;
    const byColumn = header.filter((name) => COUNTED.has(name.toLowerCase())).length > 1;
    const pairs: Array<[string, string | undefined]> = byColumn
      ? header.map((name, i) => [name, body[0]?.[i]])
      : rows.map(([name = "", value]) => [name, value]);
    for (const [name, value] of pairs) {
      const key = name.toLowerCase();
      const number = Number((value ?? "").replaceAll(",", ""));
      if (COUNTED.has(key) && Number.isFinite(number)) counts[key] = number;
    }
    if (Object.keys(counts).length > 1) return counts;
  }
  throw new Error("no table of counts in the Markdown");
}

function tables(node: Nodes): Table[] {
  if (node.type === "table") return [node];
  return "children" in node ? node.children.flatMap((child) => tables(child as Nodes)) : [];
}

/** The text of a cell: its text and code, without the emphasis around them. */
function nodeText(node: Nodes): string {
  if ("value" in node && (node.type === "text" || node.type === "inlineCode")) return node.value;
  return "children" in node ? node.children.map((child) => nodeText(child as Nodes)).join("") : "";
}
