// The page `npm run screenshots` photographs shows a report as GitHub does.
import { describe, expect, it } from "vitest";
import { reportPage } from "../scripts/report-page.ts";

describe("a report page for the screenshots", () => {
  const markdown = [
    "## Report",
    "",
    "| total | drifted |",
    "| ---: | ---: |",
    "| 3 | 1 |",
    "",
    "> ~~105~~ **115**",
    "",
    "<details><summary>Providers (1)</summary>",
    "",
    "- api.openai.com",
    "",
    "</details>",
    "",
    "---",
    "> [!NOTE]",
    "> This report was cut.",
    "",
    "```diff",
    "  kept",
    "- 105 <b>",
    "+ 115",
    "```",
    "",
  ].join("\n");
  const page = reportPage("demo", markdown);

  it("renders GitHub-flavoured Markdown in GitHub's stylesheet", () => {
    expect(page).toContain('<article class="markdown-body">');
    expect(page).toContain(".markdown-body");
    expect(page).toMatch(/<table>[\s\S]*<td align="right">3<\/td>/);
    expect(page).toContain("<del>105</del> <strong>115</strong>");
  });

  it("colours a diff block's lines as GitHub's highlighter does, their text still escaped", () => {
    expect(page).toContain(
      '<code class="language-diff">  kept\n<span class="pl-md">- 105 &lt;b&gt;</span>\n<span class="pl-mi1">+ 115</span>',
    );
  });

  it("keeps <details> as collapsible HTML", () => {
    expect(page).toContain("<details><summary>Providers (1)</summary>");
    expect(page).toContain("</details>");
  });

  it("draws an alert as GitHub's titled box, not as a quote", () => {
    expect(page).toContain(
      '<div class="markdown-alert markdown-alert-note"><p class="markdown-alert-title">Note</p>\n<p>This report was cut.</p>\n</div>',
    );
    expect(page).not.toContain("[!NOTE]");
  });
});
