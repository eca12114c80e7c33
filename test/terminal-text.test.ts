// The report as terminal text: every mdast node kind rendered without Markdown markers, colour
// only when asked for, and text from recordings unable to drive the terminal.
import type { Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../src/cli/command-spec.ts";
import { reportOutput } from "../src/cli/report-output.ts";
import { statusLine } from "../src/cli/status-line.ts";
import { makeReport } from "../src/report/check-report.ts";
import { reportTree } from "../src/report/report-tree.ts";
import { renderTerminal } from "../src/report/terminal-text.ts";

const ESC = "\u001B";
const ANSI = /\u001B\[[0-9;]*m/g;

function tree(markdown: string): Root {
  return fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

/** Markdown holding every node kind the report (or anyone's tree) may use. */
const EVERY_KIND = `## Report title

### Section

| file | verdict | similarity |
| :--- | :---: | ---: |
| a.json | drifted | 0.12 |
| 日本語.json | unchanged | 1 |

A paragraph with **strong**, *emphasis*, ~~removed~~, \`inline code\`, a [link](https://example.com/x),
<https://example.com/auto>, an ![image](https://example.com/i.png), a hard  
break, a reference [ref][r] and a footnote[^n]. Escaped \\*stars\\* and \\# stay as written.

> **Warning:** quoted

- first
- second
  1. nested one
  2. nested two
- [x] done
- [ ] to do

<details><summary>Minor changes (2) &amp; more</summary>

- \`b.json\`: usage

</details>

\`\`\`diff
- old answer
+ new answer
  same
\`\`\`

\`\`\`json
{"a": 1}
\`\`\`

<p align="center">dropped html</p>

---

[r]: https://example.com/ref
[^n]: The footnote.
`;

describe("renderTerminal", () => {
  const plain = renderTerminal(tree(EVERY_KIND), { color: false, width: 40 });
  const colored = renderTerminal(tree(EVERY_KIND), { color: true, width: 40 });

  it("without colour: plain text, no Markdown markers, no escape sequences", () => {
    expect(plain).not.toContain(ESC);
    for (const marker of ["**", "~~", "##", "\\", "<details>", "</details>", "<summary>", "](", "|"]) {
      expect(plain).not.toContain(marker);
    }
    expect(plain).toMatch(/^Report title\n═{12}\n\nSection\n─{7}\n/);
    expect(plain).toContain("Escaped *stars* and # stay as written.");
  });

  it("tables as columns aligned by terminal width, each column as the table aligns it", () => {
    const lines = plain.split("\n");
    const header = lines.findIndex((line) => line.startsWith("file"));
    expect(lines.slice(header, header + 4)).toEqual([
      "file          verdict   similarity",
      "───────────  ─────────  ──────────",
      "a.json        drifted         0.12",
      "日本語.json  unchanged           1",
    ]);
  });

  it("phrasing: strikethrough in word-diff brackets, links with their url, breaks, references", () => {
    expect(plain).toContain(
      "A paragraph with strong, emphasis, [-removed-], inline code, a link (https://example.com/x),",
    );
    expect(plain).toContain(
      "https://example.com/auto, an [image: image] (https://example.com/i.png), a hard\nbreak,",
    );
    expect(plain).toContain("a reference ref (https://example.com/ref) and a footnote[n].");
    expect(plain).toContain("[n] The footnote.");
  });

  it("lists with bullets, numbers and checkboxes; quotes with a bar", () => {
    expect(plain).toContain("│ Warning: quoted");
    expect(plain).toContain("• first\n• second\n  1. nested one\n  2. nested two\n• ☑ done\n• ☐ to do");
  });

  it("<details> as a ▸ summary line with its content indented; other HTML dropped", () => {
    expect(plain).toContain("▸ Minor changes (2) & more\n\n  • b.json: usage\n");
    expect(plain).not.toContain("dropped html");
  });

  it("code blocks indented; a diff red and green per line with colour", () => {
    expect(plain).toContain("  - old answer\n  + new answer\n    same\n");
    expect(plain).toContain('  {"a": 1}');
    expect(colored).toContain(`  ${ESC}[31m- old answer${ESC}[39m`);
    expect(colored).toContain(`  ${ESC}[32m+ new answer${ESC}[39m`);
  });

  it("with colour: headings bold and underlined, strikethrough red, the same text underneath", () => {
    expect(colored).toContain(`${ESC}[1m${ESC}[4mReport title`);
    expect(colored).toContain(`${ESC}[31m${ESC}[9mremoved`);
    expect(colored).toContain(`${ESC}[36minline code${ESC}[39m`);
    // The words are those of the plain rendering, less the rules that stand for underlining.
    const words = (text: string) =>
      text.replaceAll("[-", "").replaceAll("-]", "").replace(/[═─]/g, " ").split(/\s+/).filter(Boolean);
    expect(words(colored.replace(ANSI, ""))).toEqual(words(plain));
  });

  it("a rule as wide as the terminal", () => {
    expect(plain).toContain(`\n${"─".repeat(40)}\n`);
  });
});

describe("text from a recording on the terminal", () => {
  const hostile = `answer ${ESC}[31mred${ESC}[0m and ${ESC}]8;;https://evil.example${ESC}\\link\u0007 \u009b2J`;
  const report = makeReport([
    {
      file: "recordings/a.json",
      testId: `tests/t.py::test_x[${ESC}[2J]`,
      endpoint: "/v1/chat/completions",
      model: "gpt-4o",
      provider: "api.openai.com",
      verdict: "drifted",
      similarity: 0.2,
      reasons: [`text changed: ${hostile}`],
      diff: [
        { op: "removed", text: "old" },
        { op: "added", text: hostile },
      ],
    },
  ]);

  it.each([true, false])("shows escape sequences visibly, never sends one (colour %s)", (color) => {
    const text = renderTerminal(reportTree(report), { color });
    const ours = text.replace(ANSI, "");
    expect(ours).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
    expect(ours).toContain("answer ␛[31mred␛[0m and ␛]8;;https://evil.example␛");
    expect(ours).toContain("test_x[␛[2J]");
  });

  it("no line starts a workflow command, even text that begins with ::", () => {
    const text = renderTerminal(tree("::error::pwned\n\n- ::warning::x"), { color: false });
    for (const line of text.split("\n")) expect(line).not.toMatch(/^\s*::/);
    expect(text).toContain(":\u200D:error::pwned");
  });
});

describe("when the CLI colours its report", () => {
  const io = (env: NodeJS.ProcessEnv, tty: boolean): CliIo => ({
    cwd: ".",
    env,
    stdout: () => {},
    stderr: () => {},
    terminal: { stdout: tty, stderr: tty },
  });
  const color = (env: NodeJS.ProcessEnv, tty: boolean, raw: Record<string, unknown> = {}) =>
    reportOutput(raw, io(env, tty)).output.color;

  it("on a terminal, unless NO_COLOR (any value) or --no-color", () => {
    expect(color({}, true)).toBe(true);
    expect(color({ NO_COLOR: "" }, true)).toBe(false);
    expect(color({ NO_COLOR: "1" }, true)).toBe(false);
    expect(color({}, true, { color: false })).toBe(false);
  });

  it("off a terminal, unless FORCE_COLOR; NO_COLOR and --no-color still win", () => {
    expect(color({}, false)).toBe(false);
    expect(color({ FORCE_COLOR: "1" }, false)).toBe(true);
    expect(color({ FORCE_COLOR: "0" }, true)).toBe(false);
    expect(color({ FORCE_COLOR: "1", NO_COLOR: "1" }, false)).toBe(false);
    expect(color({ FORCE_COLOR: "1" }, false, { color: false })).toBe(false);
  });

  it("--markdown - is Markdown on stdout, not a file the command writes", () => {
    const { raw, output } = reportOutput({ markdown: "-", color: true, json: "r.json" }, io({}, true));
    expect(raw).toEqual({ json: "r.json" });
    expect(output.markdown).toBe(true);
    expect(reportOutput({ markdown: "r.md" }, io({}, true)).raw).toEqual({ markdown: "r.md" });
  });
});

describe("the status line", () => {
  it("is redrawn in place, cut to the terminal's width, and cleared", () => {
    let out = "";
    const status = statusLine((text) => {
      out += text;
    }, 12);
    status.show("checked 1/3");
    status.show("checked 2/3 recordings: 0 drifted");
    status.log("warning: x");
    status.show(null);
    expect(out).toBe(`\r${ESC}[2Kchecked 1/3\r${ESC}[2Kchecked 2/…\r${ESC}[2Kwarning: x\n\r${ESC}[2K`);
  });
});
