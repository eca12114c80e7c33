// Parses a report back with a GitHub-flavoured Markdown parser and says what is wrong with it:
// a `<details>` left open, emphasis markers shown as text (a cut `~~` or `**`), over its limit.
import type { Nodes } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";

export interface MarkdownLimit {
  /** At most this many UTF-8 bytes (GitHub's job summary limit is in bytes). */
  bytes?: number;
  /** At most this many characters (pull request bodies and check output count characters). */
  chars?: number;
}

/** The problems found; empty when the Markdown is well formed and within its limit. */
export function markdownProblems(markdown: string, limit: MarkdownLimit = {}): string[] {
  const problems: string[] = [];
  if (limit.bytes !== undefined && Buffer.byteLength(markdown, "utf8") > limit.bytes)
    problems.push(`${Buffer.byteLength(markdown, "utf8")} bytes, over the limit of ${limit.bytes}`);
  if (limit.chars !== undefined && markdown.length > limit.chars)
    problems.push(`${markdown.length} characters, over the limit of ${limit.chars}`);
  const tree = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  let open = 0;
  visit(tree, (node) => {
    if (node.type === "html") {
      open += (node.value.match(/<details\b/gi) ?? []).length;
      open -= (node.value.match(/<\/details>/gi) ?? []).length;
      if (open < 0) problems.push(`a </details> with no <details> (line ${node.position?.start.line})`);
      open = Math.max(open, 0);
    }
    // Unescaped markers in the source of a text node: emphasis that never closed.
    const source = markdown.slice(node.position?.start.offset, node.position?.end.offset);
    if (node.type === "text" && /(?<!\\)(~~|\*\*)/.test(source))
      problems.push(
        `emphasis markers shown as text (line ${node.position?.start.line}): ${source.slice(0, 80)}`,
      );
  });
  if (open > 0) problems.push(`${open} <details> left open`);
  return problems;
}

function visit(node: Nodes, each: (node: Nodes) => void): void {
  each(node);
  if ("children" in node) for (const child of node.children) visit(child, each);
}
