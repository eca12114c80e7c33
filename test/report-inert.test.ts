// Untrusted text — file names, test ids, models, providers, answers, provider messages — reaches
// the report's Markdown only as text: parsed back, it is no mention, reference, closing keyword,
// HTML, link, emphasis, heading or new line of its own.
import type { Nodes } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { describe, expect, it } from "vitest";
import { formatMarkdown } from "../src/report/markdown.ts";
import { PULL_REQUEST_BODY_LIMIT } from "../src/report/report-limits.ts";
import { markdownProblems } from "./support/markdown-validity.ts";
import { makeReport, result } from "./support/report-results.ts";

const HOSTILE =
  "@org/team fixes #1 `tick` ``` <img src=x onerror=alert(1)> ~~gone~~ **bold** [l](http://x)\n# heading\n<details>";

function report() {
  const hostile = (what: string) => `${what} ${HOSTILE}`;
  return {
    ...makeReport([
      result(hostile("drifted.json"), "drifted", {
        testId: hostile("tests/x.py::test_y"),
        model: hostile("model"),
        provider: hostile("provider"),
        reasons: [hostile("text:")],
        diff: [
          { op: "removed", text: hostile("old") },
          { op: "added", text: hostile("new") },
        ],
      }),
      result(hostile("minor.json"), "minor", { reasons: [hostile("reworded")] }),
      result(hostile("failed.json"), "failed", { provider: hostile("host"), reasons: [hostile("Error:")] }),
      result(hostile("broken.json"), "failed", { reasons: [`stream broke mid-way: ${HOSTILE}`] }),
      result(hostile("skipped.json"), "skipped", { provider: null, reasons: [hostile("not replayable:")] }),
      result(hostile("lost.json"), "skipped", { unreachable: true, reasons: [hostile("unreachable: ")] }),
      result(hostile("gone.json"), "rejected", { reasons: [`provider now rejects: 404 ${HOSTILE}`] }),
      result(hostile("models.json"), "drifted", {
        endpoint: "/v1/models",
        reasons: [`model list: removed ${HOSTILE}`],
      }),
      result(hostile("chain.json"), "drifted", { needsReRecord: hostile("tool call changed") }),
      result(hostile("bad.json"), "failed", {
        problems: [{ kind: "invalid", severity: "error", message: hostile("invalid JSON"), line: 2 }],
      }),
    ]),
    warnings: [hostile("--provider")],
    providers: [{ host: hostile("host"), sentTo: [hostile("http://127.0.0.1:1/v1")] }],
  };
}

function visit(node: Nodes, each: (node: Nodes) => void): void {
  each(node);
  if ("children" in node) for (const child of node.children) visit(child, each);
}

/** Parsed back, the Markdown holds only our own structure; untrusted values are plain text. */
function expectInert(markdown: string): void {
  const tree = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  let strong = 0;
  visit(tree, (node) => {
    expect(["link", "linkReference", "image", "delete", "emphasis", "definition"]).not.toContain(node.type);
    if (node.type === "html")
      expect(node.value).toMatch(/^(<details><summary>[^<>]*<\/summary>|<\/details>|<sub>|<\/sub>)$/);
    if (node.type === "strong") strong++;
    // A `# heading` inside a value never starts a line of its own.
    if (node.type === "heading") expect(node.depth).toBeGreaterThan(1);
    if (node.type !== "text" && node.type !== "inlineCode" && node.type !== "code") return;
    expect(node.value).not.toMatch(/@[A-Za-z0-9]/);
    expect(node.value).not.toMatch(/#\d/);
    expect(node.value).not.toMatch(/\b(close[sd]?|fix(e[sd])?|resolve[sd]?)\b/i);
    if (node.type !== "code") expect(node.value).not.toContain("\n");
  });
  // Ours only: the headline's lead, the warning's label, the cut note's.
  expect(strong).toBeLessThanOrEqual(3);
  expect(markdownProblems(markdown)).toEqual([]);
}

describe("hostile strings in every field of the report", () => {
  it("parse back as text: no HTML but our <details>, no link, emphasis, mention, reference, closing keyword or new line", () => {
    const markdown = formatMarkdown(report(), { title: "recording-drift check" });
    expectInert(markdown);
    expect(markdown).toContain("@\u200Dorg/team f\u200Dixes #\u200D1");
  });

  it("cut to a limit, still inert and valid", () => {
    const cut = formatMarkdown(report(), { limit: { chars: 3_000 }, fullReport: HOSTILE });
    expect(markdownProblems(cut, { chars: 3_000 })).toEqual([]);
    expectInert(cut);
    expectInert(formatMarkdown(report(), { limit: PULL_REQUEST_BODY_LIMIT }));
  });
});
