// One drifted, failed or minor recording in the report, as Markdown syntax tree nodes: headed by
// its test's name (what a reviewer knows) linked to the file, the file, model and provider in
// small print, what changed in words (heaviest first), then the diff of its text.
import type { BlockContent, Heading, List, ListItem, Paragraph, PhrasingContent } from "mdast";
import { verdictRank } from "../compare/verdict.ts";
import { changeKinds, kindOrder } from "./change-kinds.ts";
import type { CheckResult } from "./check-report.ts";
import { changesText, diffBlock } from "./diff-block.ts";
import { inertText } from "./untrusted-text.ts";

/** Where a recording's file can be read (a blob URL at the run's commit); null when unknown. */
export interface FileLinks {
  file(path: string): string | null;
}

export interface DetailOptions {
  links?: FileLinks;
  /** The heading's level (4 unless the report nests it elsewhere). */
  headingDepth?: Heading["depth"];
  /** At most this many lines of diff (40 unless set); a note under the block says it was cut. */
  maxDiffLines?: number;
}

const MAX_DIFF_LINES = 40;

/**
 * Orders recordings of one verdict for review, heaviest first: by the heaviest kind of change
 * that made the verdict (error, tool call, finish reason, refusal, shape, model, … text), then by
 * how much the text changed. Any change of a heavier kind outweighs any text change.
 */
export function semanticWeight(result: CheckResult): number {
  const textChange = 1 - (result.similarity ?? 1);
  const heaviest = changeKinds(result)[0];
  if (heaviest === undefined) return textChange / 2;
  // One step per kind, the text change within it (at most half a step).
  return 100 - kindOrder(heaviest) + textChange / 2;
}

export function recordingDetail(result: CheckResult, options: DetailOptions = {}): BlockContent[] {
  const nodes: BlockContent[] = [heading(result, options)];
  const where = smallPrint(result);
  if (where) nodes.push(where);
  const said = whatChanged(result);
  if (said.length > 0) nodes.push(list(said));
  if (changesText(result.diff)) {
    const block = diffBlock(result.diff, { maxLines: options.maxDiffLines ?? MAX_DIFF_LINES });
    nodes.push({ type: "code", lang: "diff", value: block.lines.join("\n") });
    if (block.cut > 0) {
      const lines = `${block.cut} more line${block.cut === 1 ? "" : "s"}`;
      nodes.push(paragraph([text(`diff cut (${lines}); the full diff is in the JSON report`)]));
    }
  }
  return nodes;
}

/** `tests/…/test_x.py::TestX::test_y[param]` → the file and `TestX::test_y[param]`. */
function splitTestId(testId: string): { testFile: string | null; name: string } {
  const at = testId.indexOf("::");
  return at === -1
    ? { testFile: null, name: testId }
    : { testFile: testId.slice(0, at), name: testId.slice(at + 2) };
}

/** The test's name linked to the recording's file (the file's path when there is no test id). */
function heading(result: CheckResult, options: DetailOptions): Heading {
  const name = result.testId ? splitTestId(result.testId).name || result.testId : result.file;
  const url = options.links?.file(result.file) ?? null;
  const title = code(name);
  return {
    type: "heading",
    depth: options.headingDepth ?? 4,
    children: [
      url === null ? title : { type: "link", url, children: [title] },
      ...(result.refreshed ? [text(" (refreshed)")] : []),
    ],
  };
}

/**
 * Where it ran, in small print kept to one line (GitHub sets `<sub>` with no line height, so a
 * wrapped line overlaps itself): test file, the recording's file name with its hash shortened
 * (the heading links the whole path), model, provider.
 */
function smallPrint(result: CheckResult): Paragraph | null {
  const testFile = result.testId ? splitTestId(result.testId).testFile : null;
  const pieces: PhrasingContent[][] = [];
  if (testFile) pieces.push([code(testFile)]);
  if (result.testId) pieces.push([text("recording "), code(shortName(result.file))]);
  if (result.renamedFrom) pieces.push([text("renamed from "), code(shortName(result.renamedFrom))]);
  if (result.model) pieces.push([text("model "), code(result.model)]);
  if (result.provider) pieces.push([text("provider "), code(result.provider)]);
  if (pieces.length === 0) return null;
  const joined = pieces.flatMap((piece, i) => (i === 0 ? piece : [text(" · "), ...piece]));
  return paragraph([{ type: "html", value: "<sub>" }, ...joined, { type: "html", value: "</sub>" }]);
}

/**
 * One line per change, those that made the verdict first and by kind, heaviest first; then what else the run said of the recording (a
 * note, why it could not be checked), each once: the changes are also among the reasons.
 */
function whatChanged(result: CheckResult): string[] {
  const changes = [...(result.changes ?? [])].sort(
    (a, b) => verdictRank(b.severity) - verdictRank(a.severity) || kindOrder(a.kind) - kindOrder(b.kind),
  );
  const lines = new Set(changes.map((change) => change.text));
  for (const reason of result.reasons) lines.add(reason);
  if (result.nondeterministic) {
    const n = result.nondeterministic;
    const spread =
      n.minSimilarity === null ? "" : `, lowest similarity between samples ${n.minSimilarity.toFixed(2)}`;
    lines.add(
      `nondeterministic: ${n.samples} samples disagreed (${n.varied.join(", ")}${spread}); judged on the closest`,
    );
  } else if (result.consistent) {
    lines.add("consistent: every live sample gave the same answer");
  }
  if (result.downstream && !result.refreshed) {
    lines.add(
      `stale with it (later requests of its test embed this answer): ${result.downstream.join(", ")}`,
    );
  }
  return [...lines];
}

/** `a/b/95be86b56c9f5f68…d5a.json` → `95be86b56c9f….json`: the file's name, its hash cut. */
function shortName(file: string): string {
  return (file.split("/").at(-1) ?? file).replace(/([0-9a-f]{12})[0-9a-f]{4,}/g, "$1…");
}

function text(value: string): PhrasingContent {
  return { type: "text", value: inertText(value) };
}

function code(value: string): PhrasingContent {
  return { type: "inlineCode", value: inertText(value) };
}

function paragraph(children: PhrasingContent[]): Paragraph {
  return { type: "paragraph", children };
}

function list(lines: string[]): List {
  return {
    type: "list",
    ordered: false,
    spread: false,
    children: lines.map(
      (line): ListItem => ({ type: "listItem", spread: false, children: [paragraph([text(line)])] }),
    ),
  };
}
