import { describe, expect, it } from "vitest";
import { markdownProblems } from "./support/markdown-validity.ts";

describe("the Markdown validity check used by report snapshots", () => {
  it("finds a <details> left open by a cut", () => {
    expect(markdownProblems("<details><summary>Minor</summary>\n\n- a\n")).toEqual(["1 <details> left open"]);
  });
  it("finds a strikethrough cut in half, which renders its markers as text", () => {
    expect(markdownProblems("> kept ~~removed words")[0]).toMatch(/emphasis markers shown as text/);
  });
  it("finds a report over its limit in bytes and in characters", () => {
    expect(markdownProblems("é".repeat(10), { bytes: 15, chars: 5 })).toEqual([
      "20 bytes, over the limit of 15",
      "10 characters, over the limit of 5",
    ]);
  });
  it("accepts closed details, escaped markers and text within its limit", () => {
    const markdown =
      "<details><summary>Minor (1)</summary>\n\n- \\~\\~ kept ~~gone~~ **new**\n\n</details>\n";
    expect(markdownProblems(markdown, { chars: 1000 })).toEqual([]);
  });
});
