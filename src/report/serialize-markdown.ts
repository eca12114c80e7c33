// The one Markdown serializer of the report: GitHub-flavoured (tables, strikethrough), `-`
// bullets, fenced code, so every sink gets the same text.
import type { Root, RootContent } from "mdast";
import { gfmToMarkdown } from "mdast-util-gfm";
import { type Options, toMarkdown } from "mdast-util-to-markdown";

const OPTIONS: Options = {
  extensions: [gfmToMarkdown()],
  bullet: "-",
  rule: "-",
  fences: true,
  listItemIndent: "one",
};

export function serializeMarkdown(nodes: Root | RootContent[]): string {
  const root: Root = Array.isArray(nodes) ? { type: "root", children: nodes } : nodes;
  return toMarkdown(root, OPTIONS);
}
