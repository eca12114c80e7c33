// The report as a Markdown syntax tree (mdast), the one source the Markdown and terminal
// renderings are made from.
import type { Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import type { CheckReport } from "./check-report.ts";
import { formatMarkdown, type MarkdownOptions } from "./markdown.ts";

export function reportTree(report: CheckReport, options: MarkdownOptions = {}): Root {
  return fromMarkdown(formatMarkdown(report, options), {
    extensions: [gfm()],
    mdastExtensions: [gfmFromMarkdown()],
  });
}
