// The report groups recordings a reviewer would otherwise read one by one: failures by cause and
// provider, skips by reason, drift by test file and model, model lists by provider.
import type { Root } from "mdast";
import { describe, expect, it } from "vitest";
import { formatMarkdown } from "../src/report/markdown.ts";
import { semanticWeight } from "../src/report/recording-detail.ts";
import { reportTree } from "../src/report/report-tree.ts";
import { markdownProblems } from "./support/markdown-validity.ts";
import { MESSAGES, makeReport, many, result } from "./support/report-results.ts";

/** The section under `### title…`, up to the next `###` heading. */
function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n### ${title}`);
  if (start < 0) return "";
  const end = markdown.indexOf("\n### ", start + 1);
  return markdown.slice(start + 1, end < 0 ? undefined : end).trim();
}

describe("failures", () => {
  it("200 identical connection failures are one line with the count and the fix", () => {
    const report = makeReport(
      many(200, "r", (file) => result(file, "failed", { reasons: [MESSAGES.refused] })),
    );
    expect(section(formatMarkdown(report), "Could not check")).toBe(
      "### Could not check (200)\n\n- 200 on `0.0.0.0:11434`: connection refused — start Ollama or set `providers`",
    );
  });

  it("by cause and provider, largest first; a message no rule knows is its own cause", () => {
    const report = makeReport([
      ...many(3, "vllm", (file) =>
        result(file, "failed", { provider: "localhost:8000", reasons: [MESSAGES.refused] }),
      ),
      ...many(5, "openai", (file) =>
        result(file, "failed", {
          provider: "api.openai.com",
          reasons: ["OPENAI_API_KEY rejected: 401 Unauthorized: Incorrect API key provided"],
        }),
      ),
      result("odd.json", "failed", { reasons: ["TypeError: something new"] }),
    ]);
    expect(section(formatMarkdown(report), "Could not check").split("\n").slice(2)).toEqual([
      "- 5 on `api.openai.com`: OPENAI_API_KEY refused (401) — check `OPENAI_API_KEY`: the provider refused it, " +
        "and every later request to it; the first said: OPENAI_API_KEY rejected: 401 Unauthorized: Incorrect API key provided",
      "- 3 on `localhost:8000`: connection refused — start the server, or point `providers` (`--provider HOST=URL`) at it",
      "- 1 on `0.0.0.0:11434`: TypeError: something new",
    ]);
  });
});

describe("skipped", () => {
  it("by reason (and provider for missing keys), with counts; unreachable files counted as one reason", () => {
    const report = makeReport([
      ...many(4, "openai", (file) =>
        result(file, "skipped", { provider: "api.openai.com", reasons: [MESSAGES.noOpenAiKey] }),
      ),
      ...many(2, "azure", (file) =>
        result(file, "skipped", { provider: "lls-test.openai.azure.com", reasons: [MESSAGES.noAzureKey] }),
      ),
      ...many(3, "ps", (file) => result(file, "skipped", { provider: null, reasons: [MESSAGES.apiPs] })),
      result("tool.json", "skipped", { provider: null, reasons: [MESSAGES.toolInvocation] }),
      ...many(2, "lost", (file, i) =>
        result(file, "skipped", {
          provider: null,
          unreachable: true,
          reasons: [MESSAGES.unreachable(String(i).repeat(64))],
        }),
      ),
    ]);
    const markdown = formatMarkdown(report);
    expect(section(markdown, "Skipped").split("\n").slice(2)).toEqual([
      "- 4 on `api.openai.com`: no credentials — set `OPENAI_API_KEY`",
      "- 3 Ollama /api/ps: process state (the models loaded right now), not behaviour",
      "- 2 on `lls-test.openai.azure.com`: no credentials — set `AZURE_API_KEY` (or `AZURE_OPENAI_API_KEY`), `AZURE_API_BASE`",
      "- 2 unreachable: the file name is not its request's hash — `refresh --prune-unreachable` deletes them (listed below)",
      "- 1 tool invocation: no HTTP request is stored",
    ]);
    // The unreachable files themselves: listed once, under <details>.
    expect(section(markdown, "Unreachable")).toContain(
      "<details><summary>Files (2)</summary>\n\n- `lost/000000.json`",
    );
  });
});

describe("drift", () => {
  const drifted = [
    result("a.json", "drifted", {
      testId: "tests/x.py::test_a",
      model: "gpt-4o",
      similarity: 0.9,
      reasons: ["x"],
    }),
    result("b.json", "drifted", {
      testId: "tests/y.py::test_b",
      model: "gpt-4o",
      similarity: 0.1,
      reasons: ["y"],
    }),
    result("c.json", "drifted", {
      testId: "tests/x.py::test_c",
      model: "gpt-4o",
      similarity: 0.2,
      reasons: ["z"],
    }),
    result("d.json", "drifted", {
      testId: "tests/x.py::test_d",
      model: "llama",
      similarity: 0.5,
      reasons: ["w"],
    }),
  ];

  it("grouped by test file and model, each group and each recording heaviest first (semanticWeight)", () => {
    const tree: Root = reportTree(makeReport(drifted));
    const headings = tree.children
      .filter((node) => node.type === "heading" && node.depth >= 4)
      .map((node) => fromTree(node));
    const byWeight = [...drifted].sort((a, b) => semanticWeight(b) - semanticWeight(a)).map((r) => r.file);
    expect(byWeight).toEqual(["b.json", "c.json", "d.json", "a.json"]);
    expect(headings).toEqual([
      "tests/y.py · gpt-4o (1)",
      "test_b",
      "tests/x.py · gpt-4o (2)",
      "test_c",
      "test_a",
      "tests/x.py · llama (1)",
      "test_d",
    ]);
  });

  it("minor changes collapsed, each with its detail", () => {
    const minor = result("m.json", "minor", { reasons: ["text reworded, same facts (0.61)"] });
    const section_ = section(formatMarkdown(makeReport([minor])), "Minor changes");
    expect(section_).toMatch(/<details><summary>1 minor change<\/summary>\n\n#####? `test_m_json`/);
    expect(section_).toContain("- text reworded, same facts (0.61)");
    expect(section_.endsWith("</details>")).toBe(true);
  });
});

describe("model lists", () => {
  it("by provider: the ids added and removed across its recordings, the files under <details>", () => {
    const list = (file: string, provider: string, reasons: string[]) =>
      result(file, reasons.some((r) => r.includes("removed")) ? "drifted" : "minor", {
        endpoint: "/v1/models",
        provider,
        model: null,
        reasons,
      });
    const report = makeReport([
      list("m1.json", "0.0.0.0:11434", ["model list: removed llama3.2:3b", "model list: added qwen3:4b"]),
      list("m2.json", "0.0.0.0:11434", ["model list: removed llama3.2:3b, all-minilm:l6-v2"]),
      list("m3.json", "api.openai.com", ["model list: added gpt-5, gpt-5-mini"]),
    ]);
    const markdown = formatMarkdown(report);
    const models = section(markdown, "Model lists");
    expect(models).toContain(
      "`0.0.0.0:11434`, 2 recordings: removed `all-minilm:l6-v2`, `llama3.2:3b`; added `qwen3:4b`\n\n" +
        "<details><summary>Files (2)</summary>\n\n- `m1.json`\n- `m2.json`\n\n</details>",
    );
    expect(models).toContain("`api.openai.com`, 1 recording: added `gpt-5`, `gpt-5-mini`");
    // Listed here only, not again as drifted or minor recordings.
    expect(section(markdown, "Drifted")).toBe("");
    expect(section(markdown, "Minor changes")).toBe("");
    expect(markdownProblems(markdown)).toEqual([]);
  });
});

/** A heading's text as read (inline code unwrapped). */
function fromTree(node: Root["children"][number]): string {
  if ("value" in node) return node.value;
  return "children" in node
    ? node.children.map((child) => fromTree(child as Root["children"][number])).join("")
    : "";
}

describe("problems of the files themselves", () => {
  it("by kind, errors first; a long list of files under <details>, a short one shown", () => {
    const problem = (kind: "invalid" | "misnamed", line: number) => ({
      kind,
      severity: "error" as const,
      message: kind === "invalid" ? "invalid JSON" : "the file name is not the request's hash",
      line,
    });
    const report = makeReport([
      ...many(445, "misnamed", (file) => result(file, "unchanged", { problems: [problem("misnamed", 2)] })),
      ...many(3, "invalid", (file) => result(file, "failed", { problems: [problem("invalid", 3)] })),
    ]);
    const problems = section(formatMarkdown(report), "Problems");
    expect(problems).toContain(
      "❌ 3 files — invalid: not a readable recording\n\n- `invalid/000000.json` line 3: invalid JSON\n",
    );
    expect(problems).toContain(
      "❌ 445 files — misnamed: the name is not the request's hash\n\n<details><summary>Files (445)</summary>\n\n" +
        "- `misnamed/000000.json` line 2: the file name is not the request's hash\n",
    );
    expect(problems.indexOf("invalid")).toBeLessThan(problems.indexOf("misnamed"));
  });
});
