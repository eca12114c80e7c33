// The report's first line says what state the run is in and what to do; the table below it
// counts only the verdicts that occur.
import { describe, expect, it } from "vitest";
import { formatMarkdown } from "../src/report/markdown.ts";
import { changed, MESSAGES, makeReport, many, result } from "./support/report-results.ts";

/** The line after the title. */
const firstLine = (markdown: string) => markdown.split("\n\n")[1];

describe("the headline", () => {
  it("all unchanged: a green mark, no drift; on a pull request, merge", () => {
    const report = makeReport(many(2890, "r", (file) => result(file, "unchanged")));
    expect(firstLine(formatMarkdown(report))).toBe("✅ **No drift** · 2,890 unchanged");
    expect(firstLine(formatMarkdown(report, { merging: true }))).toBe(
      "✅ **Nothing needs a look: merge** · 2,890 unchanged",
    );
  });

  it("drift: how many and of what kind, the rest counted, the cause of failures named", () => {
    const report = makeReport([
      result(
        "a.json",
        "drifted",
        changed("drifted", ["tool-call", 'tool get_weather argument location: "Paris" → "Lyon"']),
      ),
      result(
        "b.json",
        "drifted",
        changed(
          "drifted",
          ["tool-call", "choice 0: tool calls: 1 → 0"],
          ["finish-reason", "finish reason: tool_calls → stop"],
        ),
      ),
      result("c.json", "drifted", {
        ...changed("drifted", ["text", 'text: number "65F" → "72F"']),
        similarity: 0.4,
      }),
      ...many(41, "minor", (file) =>
        result(file, "minor", { reasons: ["text reworded, same facts (0.61)"] }),
      ),
      ...many(2890, "same", (file) => result(file, "unchanged")),
      ...many(120, "down", (file) => result(file, "failed", { reasons: [MESSAGES.refused] })),
    ]);
    expect(firstLine(formatMarkdown(report))).toBe(
      "⚠️ **3 recordings drifted (2 tool calls, 1 answer)** · 41 minor · 2,890 unchanged · " +
        "120 could not be checked: Ollama unreachable — review the drifted recordings below",
    );
  });

  it("the kinds of drift, each recording counted by its heaviest (changes real re-records produced, llama-stack's history)", () => {
    const kinds = (
      [
        [
          ["finish-reason", "finish reason: tool_calls → stop"],
          ["tool-call", "tool calls: 1 → 0 (removed get_weather)"],
          ["text", "text: empty → answer"],
        ],
        [["embedding", "embedding 0: dimension 16 → 384"]],
        [["model-list", "model list: removed llama3.2:3b"]],
        [["request", 'request changed: body.messages[1].content "What is…" → "Call…"']],
        [["text", 'text: number "11", "2.5" → "1300"']],
        [["error", "error status: 400 → 200"]],
      ] as const
    ).map((found, i) => result(`${i}.json`, "drifted", changed("drifted", ...found)));
    expect(firstLine(formatMarkdown(makeReport(kinds)))).toBe(
      "⚠️ **6 recordings drifted (1 error, 1 tool call, 1 model list, 1 request, 1 embedding, 1 answer)** " +
        "— review the drifted recordings below",
    );
  });

  it("nothing checked (every provider unreachable: 1,337 failed, 1,825 skipped): a red mark that says so", () => {
    const report = makeReport([
      ...many(1337, "ollama", (file) => result(file, "failed", { reasons: [MESSAGES.refused] })),
      ...many(1825, "openai", (file) =>
        result(file, "skipped", { provider: "api.openai.com", reasons: [MESSAGES.noOpenAiKey] }),
      ),
    ]);
    const markdown = formatMarkdown(report);
    expect(firstLine(markdown)).toBe(
      "❌ **Nothing could be checked** · 1,337 failed: Ollama unreachable · 1,825 skipped",
    );
    expect(markdown).toContain(
      "- 1,337 on `0.0.0.0:11434`: connection refused — start Ollama or set `providers`",
    );
    expect(markdown).toContain("- 1,825 on `api.openai.com`: no credentials — set `OPENAI_API_KEY`");
  });

  it("files broken in a pull request: a red mark for them, not for emptiness; a change of no recordings: merge", () => {
    const broken = result("bad.json", "failed", {
      reasons: ["invalid JSON"],
      problems: [{ kind: "invalid", severity: "error", message: "invalid JSON", line: 3 }],
    });
    expect(firstLine(formatMarkdown(makeReport([broken]), { merging: true }))).toBe(
      "❌ **1 recording broken or unsafe: f\u200Dix before merging**",
    );
    expect(firstLine(formatMarkdown(makeReport([]), { merging: true }))).toBe(
      "✅ **Nothing needs a look: merge** · no recordings",
    );
    expect(firstLine(formatMarkdown(makeReport([])))).toBe("❌ **Nothing could be checked** · no recordings");
  });

  it("failures over the share: most could not be checked", () => {
    const report = makeReport([
      ...many(3, "ok", (file) => result(file, "unchanged")),
      ...many(7, "down", (file) => result(file, "failed", { reasons: [MESSAGES.timedOut] })),
    ]);
    expect(firstLine(formatMarkdown(report))).toBe(
      "❌ **Most recordings could not be checked: 7 of 10 failed** · 3 unchanged · 7 failed: Ollama timed out",
    );
  });

  it("the table counts only the verdicts that occur, and the total, with thousands separators", () => {
    const report = makeReport([
      ...many(2890, "same", (file) => result(file, "unchanged")),
      result("a.json", "drifted", { reasons: ["text: short answer Blue → purple"] }),
      result("b.json", "skipped", { reasons: [MESSAGES.apiPs] }),
    ]);
    const table = formatMarkdown(report).split("\n\n")[2];
    expect(table).toBe(
      [
        "| unchanged | drifted | skipped | total |",
        "| --------: | ------: | ------: | ----: |",
        "|     2,890 |       1 |       1 | 2,892 |",
      ].join("\n"),
    );
  });
});
