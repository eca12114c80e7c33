// Gemini answers judged like chat: candidates' text (merged over a stream's chunks), function
// calls, finish reasons, and safety blocks as refusals.
import { describe, expect, it } from "vitest";
import type { Capture } from "../src/capture.ts";
import { compareCaptures } from "../src/compare/compare-captures.ts";
import { genaiView } from "../src/compare/genai-view.ts";

const response = (parts: unknown[], finish: string | null, extra: Record<string, unknown> = {}) => ({
  candidates: [{ content: { parts, role: "model" }, ...(finish ? { finish_reason: finish } : {}) }],
  model_version: "gemini-2.0-flash",
  response_id: "abc",
  ...extra,
});
const capture = (body: unknown, streaming = Array.isArray(body)): Capture => ({
  endpoint: "genai",
  streaming,
  status: 200,
  body,
  error: null,
});

describe("genaiView", () => {
  it("merges a stream's text per candidate and takes the last finish reason, skipping thoughts", () => {
    const view = genaiView(
      capture([
        response([{ text: "thinking…", thought: true }, { text: "Hel" }], null),
        response([{ text: "lo!" }], "STOP", { usage_metadata: { total_token_count: 9 } }),
      ]),
    );
    expect(view).toEqual({
      kind: "choices",
      choices: [
        {
          index: 0,
          role: "model",
          text: "Hello!",
          refusal: null,
          toolCalls: [],
          finishReason: "STOP",
          logprobs: false,
        },
      ],
      model: "gemini-2.0-flash",
      usage: { total_token_count: 9 },
    });
  });

  it("reads function calls with their arguments", () => {
    const view = genaiView(
      capture(response([{ function_call: { name: "get_weather", args: { location: "Paris" } } }], "STOP")),
    );
    expect(view.choices[0]?.toolCalls).toEqual([
      { name: "get_weather", arguments: { location: "Paris" }, validJson: true },
    ]);
  });

  it("calls a safety stop or a blocked prompt a refusal", () => {
    expect(genaiView(capture(response([], "SAFETY"))).choices[0]?.refusal).toBe("blocked: SAFETY");
    const blocked = genaiView(capture({ prompt_feedback: { block_reason: "PROHIBITED_CONTENT" } }));
    expect(blocked.choices).toMatchObject([{ refusal: "prompt blocked: PROHIBITED_CONTENT" }]);
  });

  it("judges a new answer drifted and the same answer cut into other chunks unchanged", () => {
    const stored = capture([response([{ text: "The capital of France is Paris." }], "STOP")]);
    const resplit = capture([
      response([{ text: "The capital of " }], null),
      response([{ text: "France is Paris." }], "STOP"),
    ]);
    expect(compareCaptures(stored, [resplit]).verdict).toBe("unchanged");
    const other = capture([response([{ function_call: { name: "lookup", args: {} } }], "STOP")]);
    expect(compareCaptures(stored, [other]).verdict).toBe("drifted");
    const refused = capture([response([], "SAFETY")]);
    expect(compareCaptures(stored, [refused]).verdict).toBe("drifted");
  });
});
