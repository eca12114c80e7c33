// One recording as the report shows it: real re-records from llama-stack's history (a tool-call
// argument, a finish reason, a short answer, a rewrite) and a real recorded error now answered,
// judged as `diff` and `check` judge them, then headed, ranked, said in words and diffed.
import path from "node:path";
import type { Code, Heading, Html, Nodes, Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown, gfmToMarkdown } from "mdast-util-gfm";
import { toMarkdown } from "mdast-util-to-markdown";
import { gfm } from "micromark-extension-gfm";
import { describe, expect, it } from "vitest";
import { diff } from "../src/commands/diff.ts";
import { compareCaptures } from "../src/compare/compare-captures.ts";
import { DEFAULT_COMPARE_OPTIONS } from "../src/compare/options.ts";
import { compareText } from "../src/compare/text-similarity.ts";
import type { Comparison } from "../src/compare/verdict.ts";
import { defaultConfig } from "../src/config.ts";
import { changeKinds, countOfKind } from "../src/report/change-kinds.ts";
import type { CheckResult } from "../src/report/check-report.ts";
import { fileLinks } from "../src/report/file-links.ts";
import { recordingDetail, semanticWeight } from "../src/report/recording-detail.ts";
import { makeLive, storedFixture, withChatText } from "./support/live-capture.ts";
import { markdownProblems } from "./support/markdown-validity.ts";

const HISTORY = path.resolve(import.meta.dirname, "fixtures/history");

/** A real before/after pair from the history fixtures, judged as the pull-request check does. */
async function judgedPair(dir: string, file: string): Promise<CheckResult> {
  const report = await diff({
    base: path.join(HISTORY, dir, "before"),
    paths: [file],
    cwd: path.join(HISTORY, dir, "after"),
    config: defaultConfig(),
    threshold: null,
  });
  return report.results.find((result) => result.file === file) as CheckResult;
}

const TOOL_ARGUMENT = [
  "2025-10-08-79bed44b04bd",
  "tests/integration/inference/recordings/95be86b56c9f5f688bfb396933972ec68f056ccbdc10bee6610d2c6722761d5a.json",
] as const;
const FINISH_REASON = [
  "2025-10-02-ef0736527da1",
  "tests/integration/recordings/responses/3ca695048bee.json",
] as const;
const SHORT_ANSWER = [
  "2025-10-08-79bed44b04bd",
  "tests/integration/inference/recordings/c9f153318fe61fb66b52b29c940a2decc5def5e2c19069e084ccfc0b0f5705b3.json",
] as const;
const REWRITE = [
  "2025-10-02-ef0736527da1",
  "tests/integration/recordings/responses/65c12de0a1db.json",
] as const;
const REWORDED = [
  "2025-10-02-ef0736527da1",
  "tests/integration/recordings/responses/92a9a916ef02.json",
] as const;

/** A `check` result from a comparison, as `check` builds it. */
function checked(file: string, testId: string | null, comparison: Comparison): CheckResult {
  return {
    file,
    testId,
    endpoint: "/v1/chat/completions",
    model: "llama3.2:3b-instruct-fp16",
    provider: "localhost:11434",
    verdict: comparison.verdict,
    similarity: comparison.similarity,
    reasons: comparison.reasons,
    changes: comparison.changes,
    diff: comparison.diff,
  };
}

const AT = "llama-stack/tests/integration/";
const RECORDED_400 = `${AT}inference/recordings/28a43dc80443ccae98eee165c58522090fd6f0637031153b0105399093d39c52.json`;
const OLLAMA_CHAT = `${AT}agents/recordings/00bf38cb0b6eef2963c49f52798781840456635d0510be615cda65f93cd1cdfb.json`;

/** The real recorded 400 (an invalid image) now answered: the provider accepts the request. */
function errorNowAnswered(): CheckResult {
  const stored = storedFixture(RECORDED_400, "chat");
  const live = makeLive(storedFixture(OLLAMA_CHAT, "chat"));
  return checked(
    "tests/integration/inference/recordings/28a43dc8.json",
    "tests/integration/inference/test_provider_error_recording.py::TestProviderErrorRecording::test_provider_rejects_invalid_base64_image[txt=ollama/llama3.2:3b-instruct-fp16]",
    compareCaptures(stored, [live]),
  );
}

/** A real streamed answer with one fact replaced: `65F` → `72F` in an otherwise equal text. */
function numberChanged(): CheckResult {
  const stored = withChatText(
    storedFixture(OLLAMA_CHAT, "chat"),
    () =>
      "Here is the forecast you asked for, straight from the weather service this morning. " +
      "The temperature in Paris is 65F and sunny today, with a light breeze from the west and " +
      "no rain expected before the weekend, so the picnic can go ahead as planned.",
  );
  const live = withChatText(makeLive(stored), (text) => text.replace("65F", "72F"));
  return checked(
    "recordings/number.json",
    "tests/test_weather.py::test_forecast[ollama]",
    compareCaptures(stored, [live]),
  );
}

function markdownOf(result: CheckResult, options: Parameters<typeof recordingDetail>[1] = {}): string {
  const root: Root = { type: "root", children: recordingDetail(result, options) };
  return toMarkdown(root, { extensions: [gfmToMarkdown()] });
}

function parsed(markdown: string): Root {
  return fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

function all<T extends Nodes["type"]>(node: Nodes, type: T): Extract<Nodes, { type: T }>[] {
  const found: Extract<Nodes, { type: T }>[] = [];
  const visit = (n: Nodes) => {
    if (n.type === type) found.push(n as Extract<Nodes, { type: T }>);
    if ("children" in n) for (const child of n.children) visit(child);
  };
  visit(node);
  return found;
}

/** The words of the detail's list: what changed, one line each. */
function said(result: CheckResult): string[] {
  return all(parsed(markdownOf(result)), "listItem").map((item) =>
    all(item, "text")
      .map((t) => t.value)
      .join(""),
  );
}

function diffLines(result: CheckResult, options: Parameters<typeof recordingDetail>[1] = {}): string[] {
  const code = all(parsed(markdownOf(result, options)), "code")[0] as Code;
  expect(code.lang).toBe("diff");
  return code.value.split("\n");
}

describe("what changed, in words", () => {
  it("says a changed tool-call argument by name, first, before the test id's change", async () => {
    const lines = said(await judgedPair(...TOOL_ARGUMENT));
    expect(lines[0]).toMatch(/^tool book_flight argument flight: ".*2023-08-20.*" → ".*2023-12-15.*"$/);
    expect(lines[1]).toMatch(/^tool book_flight argument passenger: /);
    expect(lines.at(-1)).toMatch(/^test_id: null → /);
  });

  it("says a changed finish reason and the tool call that went with it", async () => {
    const lines = said(await judgedPair(...FINISH_REASON));
    expect(lines).toEqual([
      "tool calls: 1 → 0 (removed get_weather)",
      "finish reason: tool_calls → stop",
      "text: empty → answer",
    ]);
  });

  it("says a replaced number, and shows it as one removed and one added word in context", () => {
    const result = numberChanged();
    expect(result.verdict).toBe("drifted");
    expect(said(result)).toEqual(['text: number "65" → "72"']);
    expect(diffLines(result)).toEqual([
      "  … service this morning. The temperature in Paris is",
      "- 65F",
      "+ 72F",
      "  and sunny today, with a light breeze from …",
    ]);
  });

  it("says a recorded error now answered", () => {
    expect(said(errorNowAnswered())[0]).toBe(
      "provider now accepts the request (recorded 400 invalid_request_error)",
    );
  });

  it("lists each reason once: the changes are also among the reasons", async () => {
    const result = await judgedPair(...SHORT_ANSWER);
    const lines = said(result);
    expect(new Set(lines).size).toBe(lines.length);
    expect(lines).toHaveLength(result.reasons.length);
    expect(lines[0]).toBe('text: short answer "blue." → "purple."');
  });
});

describe("the diff block", () => {
  it("shows a rewritten answer as its two whole paragraphs, stored then live", async () => {
    const lines = diffLines(await judgedPair(...REWRITE));
    const firstAdded = lines.findIndex((line) => line.startsWith("+ "));
    expect(lines[0]).toMatch(/^- Hello! As of my knowledge cutoff/);
    expect(lines.slice(0, firstAdded).every((line) => line.startsWith("- "))).toBe(true);
    expect(lines.slice(firstAdded).every((line) => line.startsWith("+ "))).toBe(true);
    expect(lines.at(-1)).toMatch(/typical climate\.$/);
    expect(lines.every((line) => line.length <= 102)).toBe(true);
  });

  it("joins changes a few words apart into one hunk, and folds long unchanged stretches", () => {
    // A real rewording from llama-stack's history (2025-07-31, "Hello!"), with a long tail added.
    const tail = "I am here to help with questions about science, history, cooking, travel and more.";
    const stored = `Hello! Welcome to our conversation. Is there something I can help you with, or would you like to chat? ${tail}`;
    const live = `Hello! It's nice to meet you. Is there something I can help you with or would you like to chat? ${tail}`;
    const { diff: runs, similarity } = compareText(stored, live, {
      ...DEFAULT_COMPARE_OPTIONS,
      threshold: 0,
    });
    const result: CheckResult = { ...numberChanged(), similarity, reasons: [], changes: [], diff: runs };
    expect(diffLines(result)).toEqual([
      "  Hello!",
      "- Welcome to our conversation.",
      "+ It's nice to meet you.",
      "  Is there something I can help you",
      "- with,",
      "+ with",
      "  or would you like to chat? I am …",
    ]);
  });

  it("shows a minor rewording's diff too", async () => {
    const result = await judgedPair(...REWORDED);
    expect(result.verdict).toBe("minor");
    expect(diffLines(result)[0]).toMatch(/^- The currency of Japan/);
  });

  it("is cut at its line cap with a note outside the block, never inside a line", async () => {
    const result = await judgedPair(...REWRITE);
    const markdown = markdownOf(result, { maxDiffLines: 5 });
    const root = parsed(markdown);
    const code = all(root, "code")[0] as Code;
    expect(code.value.split("\n")).toEqual(diffLines(result).slice(0, 5));
    const after = root.children[root.children.indexOf(code) + 1];
    expect(after?.type).toBe("paragraph");
    expect(toMarkdown(after as Nodes)).toMatch(
      /^diff cut \(\d+ more lines\); the full diff is in the JSON report/,
    );
  });
});

describe("the heading", () => {
  it("is the test's name linked to the file's entry in the pull request, the test file in small print", async () => {
    const result = await judgedPair(...TOOL_ARGUMENT);
    const links = fileLinks({
      serverUrl: "https://github.com",
      repository: "meta/llama-stack",
      sha: "0".repeat(40),
      pullNumber: 12,
    });
    const root = parsed(markdownOf(result, { links }));
    const heading = root.children[0] as Heading;
    expect(heading.depth).toBe(4);
    const link = all(heading, "link")[0];
    expect(link?.url).toMatch(
      /^https:\/\/github\.com\/meta\/llama-stack\/pull\/12\/files#diff-[0-9a-f]{64}$/,
    );
    expect(all(heading, "inlineCode").map((c) => c.value)).toEqual([
      "TestChatCompletionWithTools::test_tool_with_complex_schema[txt=ollama/llama3.2:3b-instruct-fp16]",
    ]);
    const small = all(root.children[1] as Nodes, "inlineCode").map((c) => c.value);
    expect(small).toEqual([
      "tests/integration/inference/test_tools_with_schemas.py",
      "95be86b56c9f….json",
      "llama3.2:3b-instruct-fp16",
    ]);
    expect(all(root.children[1] as Nodes, "html").map((h: Html) => h.value)).toEqual(["<sub>", "</sub>"]);
  });

  it("is the file's path when the recording names no test", async () => {
    const result = await judgedPair(...REWRITE);
    const heading = parsed(markdownOf(result)).children[0] as Heading;
    expect(all(heading, "inlineCode").map((c) => c.value)).toEqual([REWRITE[1]]);
  });
});

describe("ranking by semantic weight", () => {
  it("puts errors, then tool calls, then finish reasons before any text, and text by how much it changed", async () => {
    const results = {
      toolArgument: await judgedPair(...TOOL_ARGUMENT),
      finishReason: await judgedPair(...FINISH_REASON),
      shortAnswer: await judgedPair(...SHORT_ANSWER),
      rewrite: await judgedPair(...REWRITE),
      number: numberChanged(),
      error: errorNowAnswered(),
    };
    const ranked = Object.entries(results)
      .sort(([, a], [, b]) => semanticWeight(b) - semanticWeight(a))
      .map(([name]) => name);
    expect(ranked.slice(0, 3)).toEqual(["error", "finishReason", "toolArgument"]);
    // Text last, the most changed first: the rewrite shares fewer words than a replaced number.
    expect(ranked.slice(3)).toEqual(["rewrite", "shortAnswer", "number"]);
    expect(changeKinds(results.toolArgument)).toEqual(["tool-call"]);
    expect(changeKinds(results.finishReason)).toEqual(["tool-call", "finish-reason", "text"]);
    expect(changeKinds(results.rewrite)).toEqual(["text"]);
  });

  it("ranks a result with no recorded kinds (a report from before them) by its text alone, below any kind", () => {
    const legacy: CheckResult = { ...numberChanged(), changes: undefined, similarity: 0 };
    expect(changeKinds(legacy)).toEqual([]);
    expect(semanticWeight(legacy)).toBeLessThan(semanticWeight(numberChanged()));
    expect(semanticWeight(legacy)).toBeGreaterThan(semanticWeight({ ...legacy, similarity: 0.9 }));
  });

  it("names kinds for a headline count", () => {
    expect([countOfKind("tool-call", 2), countOfKind("text", 1), countOfKind("error", 1200)]).toEqual([
      "2 tool calls",
      "1 answer",
      "1,200 errors",
    ]);
  });
});

describe("the detail's Markdown", () => {
  it("is well formed for each real pair", async () => {
    const pairs: ReadonlyArray<readonly [string, string]> = [
      TOOL_ARGUMENT,
      FINISH_REASON,
      SHORT_ANSWER,
      REWRITE,
      REWORDED,
    ];
    for (const [dir, file] of pairs) {
      expect(markdownProblems(markdownOf(await judgedPair(dir, file)))).toEqual([]);
    }
    expect(markdownProblems(markdownOf(errorNowAnswered()))).toEqual([]);
    expect(markdownProblems(markdownOf(numberChanged()))).toEqual([]);
  });

  it("keeps hostile text inert in the heading, the words and the diff block", () => {
    const hostile = "`x` @team fixes #3 <script>alert(1)</script> ``` **bold** ~~gone~~";
    const result: CheckResult = {
      file: "recordings/a.json",
      testId: `tests/test_x.py::test_${hostile}`,
      endpoint: null,
      model: "@org/model",
      provider: null,
      verdict: "drifted",
      similarity: 0.8,
      reasons: [`text: ${hostile}`],
      changes: [{ kind: "text", severity: "drifted", text: `text: ${hostile}` }],
      diff: [
        { op: "equal", text: "The answer to the question you asked is, after some thought," },
        { op: "removed", text: hostile },
        { op: "added", text: "``` @team closes #4 ```\nnew line" },
        { op: "equal", text: "and that is all there is to say about it today." },
      ],
    };
    const markdown = markdownOf(result);
    expect(markdownProblems(markdown)).toEqual([]);
    // Mentions, closing keywords and references carry a zero-width joiner; HTML stays in code.
    expect(markdown).not.toMatch(/@team|@org|fixes #3|closes #4/);
    const root = parsed(markdown);
    // The only HTML is the small print's own tags.
    expect(all(root, "html").map((h) => h.value)).toEqual(["<sub>", "</sub>"]);
    expect(all(root, "code")).toHaveLength(1);
    const lines = (all(root, "code")[0] as Code).value.split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain("<script>alert(1)</script> ```");
    expect(lines[2]).toMatch(/^\+ ``` @\u200Dteam c\u200Dloses #\u200D4 ``` ⏎ new line$/);
    expect(all(root.children[0] as Nodes, "inlineCode")[0]?.value).toContain("<script>");
    expect(all(root, "strong").length + all(root, "delete").length).toBe(0);
  });
});
