import { describe, expect, it } from "vitest";
import { describeDifference } from "../src/compare/json-differences.ts";

describe("describing a changed value", () => {
  it("shows the window around a change deep in a long string, not the shared beginning", () => {
    const prompt =
      "You are a helpful assistant built on top of the Meta Llama 4 Maverick model, trained by Meta. Answer briefly.";
    const text = describeDifference({
      path: "body.messages[0].content",
      kind: "changed",
      stored: prompt,
      live: prompt.replace("Meta Llama 4", "The OGX Contributors 4"),
    });
    expect(text).toBe(
      'body.messages[0].content "…built on top of the Meta Llama 4 Maverick model, t…" → "…built on top of the The OGX Contributors 4 Maverick model, t…"',
    );
  });

  it("shows short values whole", () => {
    expect(describeDifference({ path: "city", kind: "changed", stored: "Paris", live: "Lyon" })).toBe(
      'city "Paris" → "Lyon"',
    );
  });
});
