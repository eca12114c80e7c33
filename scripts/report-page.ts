// A report's Markdown as a page that looks as GitHub shows it: micromark with GFM (tables,
// strikethrough), raw HTML allowed so <details> work, in github-markdown-css at GitHub's
// content width. GitHub's alerts (`> [!NOTE]`) are turned into its alert markup here by hand:
// micromark has no extension for them (the plugins for them need a remark/rehype pipeline), and
// github-markdown-css styles that markup. So are the colours GitHub's highlighter gives the lines
// of a `diff` block (removed red, added green), with its own class names: one rule, no highlighter.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";

/** GitHub's pull request and job summary column, in CSS pixels. */
export const PAGE_WIDTH = 1012;

const css = readFileSync(
  createRequire(import.meta.url).resolve("github-markdown-css/github-markdown-light.css"),
  "utf8",
);

/**
 * A whole HTML document; `title` must be plain text (it is not escaped). Once laid out, the page
 * writes its height into `<html data-height>`, for a screenshot to be cut to the content.
 */
export function reportPage(title: string, markdown: string): string {
  const body = withDiffColours(
    withAlerts(
      micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] }),
    ),
  );
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title>
<style>${css}
body { margin: 0; background: #fff; }
.markdown-body { box-sizing: border-box; max-width: ${PAGE_WIDTH}px; padding: 24px 32px; }
.markdown-body .pl-md { color: #82071e; background-color: #ffebe9; }
.markdown-body .pl-mi1 { color: #116329; background-color: #dafbe1; }
</style></head>
<body><article class="markdown-body">${body}</article>
<script>document.documentElement.dataset.height = Math.ceil(document.querySelector("article").getBoundingClientRect().bottom);</script>
</body></html>
`;
}

/** Blockquotes opening with `[!NOTE]`, `[!WARNING]`… as GitHub shows them: titled, coloured boxes. */
function withAlerts(html: string): string {
  const start = /<blockquote>\n<p>\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\n?/;
  let out = "";
  let rest = html;
  for (let found = start.exec(rest); found; found = start.exec(rest)) {
    const kind = (found[1] as string).toLowerCase();
    const end = rest.indexOf("</blockquote>", found.index);
    if (end === -1) break;
    out +=
      rest.slice(0, found.index) +
      `<div class="markdown-alert markdown-alert-${kind}"><p class="markdown-alert-title">${kind[0]?.toUpperCase()}${kind.slice(1)}</p>\n<p>` +
      rest.slice(found.index + found[0].length, end) +
      "</div>";
    rest = rest.slice(end + "</blockquote>".length);
  }
  return out + rest;
}

/** Each line of a `diff` block in GitHub's highlight: `-` lines as removed, `+` lines as added. */
function withDiffColours(html: string): string {
  return html.replace(
    /(<code class="language-diff">)([\s\S]*?)(<\/code>)/g,
    (_, open, code: string, close) => {
      const lines = code.split("\n").map((line) => {
        if (line.startsWith("-")) return `<span class="pl-md">${line}</span>`;
        if (line.startsWith("+")) return `<span class="pl-mi1">${line}</span>`;
        return line;
      });
      return open + lines.join("\n") + close;
    },
  );
}
