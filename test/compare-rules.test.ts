// The judging rules one at a time, on small hand-made captures: what the corpus table cannot
// show without contorting a recording.

import { describe, expect, it } from "vitest";
import type { Capture } from "../src/capture.ts";
import { compareCaptures } from "../src/compare/compare-captures.ts";
import { DEFAULT_COMPARE_OPTIONS } from "../src/compare/options.ts";

const answer = (choices: Record<string, unknown>[], extra: Record<string, unknown> = {}): Capture => ({
  endpoint: "chat",
  streaming: false,
  status: 200,
  body: {
    model: "gpt-4o",
    choices: choices.map((choice, index) => ({
      index,
      finish_reason: "stop",
      logprobs: null,
      ...choice,
      message: { role: "assistant", content: "", ...(choice.message as object) },
    })),
    ...extra,
  },
  error: null,
});

const says = (content: string, extra: Record<string, unknown> = {}) =>
  answer([{ message: { content }, ...extra }]);

const judge = (stored: Capture, ...samples: Capture[]) => compareCaptures(stored, samples);

describe("structure always drifts", () => {
  it("reports a role change", () => {
    const live = answer([{ message: { role: "tool", content: "hi" } }]);
    expect(judge(says("hi"), live)).toMatchObject({
      verdict: "drifted",
      reasons: ["role: assistant → tool"],
    });
  });

  it("reports logprobs vanishing", () => {
    const stored = says("hi", { logprobs: { content: [{ token: "hi", logprob: -0.01 }] } });
    expect(judge(stored, says("hi"))).toMatchObject({
      verdict: "drifted",
      reasons: ["logprobs: present → absent"],
    });
  });

  it("drifts on finish_reason even when the text is identical", () => {
    expect(judge(says("same"), says("same", { finish_reason: "length" })).reasons).toEqual([
      "finish reason: stop → length",
    ]);
  });

  it("names the choice when an answer has several", () => {
    const stored = answer([{ message: { content: "a" } }, { message: { content: "b" } }]);
    const live = answer([
      { message: { content: "a" } },
      { message: { content: "b" }, finish_reason: "length" },
    ]);
    expect(judge(stored, live).reasons).toEqual(["choice 1: finish reason: stop → length"]);
  });

  it("reports a refusal vanishing", () => {
    const stored = answer([{ message: { content: null, refusal: "I can't help with that." } }]);
    expect(judge(stored, says("Sure.")).reasons).toEqual(["refusal vanished", "text: empty → answer"]);
  });

  it("reports an argument removed from a tool call", () => {
    const call = (args: string) =>
      answer([
        {
          message: {
            tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: args } }],
          },
        },
      ]);
    expect(judge(call('{"a":1,"b":[1,2]}'), call('{"b":[1,2]}')).reasons).toEqual([
      "tool f argument a: removed (was 1)",
    ]);
    expect(judge(call('{"b":[1,2]}'), call('{"b":[1,3]}')).reasons).toEqual(["tool f argument b[1]: 2 → 3"]);
  });
});

describe("numbers in the opening", () => {
  it("calls another result drifted however the sentence was reworded, and the same result minor", () => {
    const stored = says("The result of the expression \\(15 \\times 7\\) is 105.");
    expect(judge(stored, says("15 multiplied by 7 gives 115.")).reasons).toEqual([
      'text: number "105" → "115"',
    ]);
    expect(judge(stored, says("15 multiplied by 7 gives 105.")).verdict).toBe("minor");
  });
});

describe("reasoning blocks", () => {
  it("judges the answer after the thinking, and calls other thinking a rewording", () => {
    const think = (thought: string, answer: string) => says(`<think>\n${thought}\n</think>\n\n${answer}`);
    expect(
      judge(think("The user asks 5 + 3.", ""), think("The user asks 5 + 3.", "5 + 3 = 8.")).reasons,
    ).toEqual(["text: empty → answer"]);
    expect(judge(think("Add them: 8.", "8"), think("Simple addition, so 8.", "8")).verdict).toBe("minor");
    expect(
      judge(says("<reasoning>Easy.</reasoning>Blue."), says("<reasoning>Easy.</reasoning>Purple.")).reasons,
    ).toEqual(['text: short answer "blue." → "purple."']);
  });
});

describe("text options", () => {
  it("ignores case and punctuation only when asked", () => {
    const options = { ...DEFAULT_COMPARE_OPTIONS, caseFold: true, stripPunctuation: true };
    expect(compareCaptures(says("Paris, France."), [says("paris france")], options).verdict).toBe(
      "unchanged",
    );
    expect(compareCaptures(says("Paris, France."), [says("paris france")]).verdict).toBe("minor");
  });

  it("judges a rewording by its facts, and by a threshold only when one is set", () => {
    const stored = says("one two three four five six seven eight nine ten");
    const live = says("one two three four five six seven eight nine eleven");
    expect(judge(stored, live)).toMatchObject({
      verdict: "minor",
      reasons: ["text reworded, same facts (word similarity 0.90)"],
    });
    const strict = { ...DEFAULT_COMPARE_OPTIONS, threshold: 0.95 };
    expect(compareCaptures(stored, [live], strict)).toMatchObject({
      verdict: "drifted",
      reasons: ["text: word similarity 0.90 (threshold 0.95)"],
    });
  });

  it("says when a similarity is only an upper bound", () => {
    const long = (word: string) =>
      says(Array.from({ length: 3_000 }, (_, i) => (i % 3 === 0 ? word : `w${i % 7}`)).join(" "));
    const result = judge(long("alpha"), long("beta"));
    expect(result.verdict).toBe("minor");
    expect(result.reasons).toEqual(["text reworded, same facts (word similarity ≤ 0.66)"]);
    expect(result.diff).toBeNull();
  });
});

describe("errors and broken streams", () => {
  const stream = (chunks: string[]): Capture => ({
    endpoint: "chat",
    streaming: true,
    status: 200,
    body: chunks.map((content) => ({ choices: [{ index: 0, delta: { content } }] })),
    error: null,
  });
  const broken = (capture: Capture, status: number | null): Capture => ({
    ...capture,
    status: status ?? 200,
    error: { status, type: "server_error", code: null, message: "upstream closed" },
  });

  it("treats a stream broken again the same way as unchanged", () => {
    expect(judge(broken(stream(["a"]), 500), broken(stream(["a", "b"]), null))).toMatchObject({
      verdict: "unchanged",
    });
  });

  it("drifts when a stream that broke in the recording now completes", () => {
    expect(judge(broken(stream(["a"]), 500), stream(["a", "b"])).reasons).toEqual([
      "stream now completes (recorded a break: 500 server_error)",
    ]);
  });

  it("cannot check when there was no answer at all", () => {
    const none: Capture = {
      endpoint: "chat",
      streaming: false,
      status: 0,
      body: null,
      error: { status: null, type: null, code: null, message: "ECONNREFUSED" },
    };
    expect(judge(says("hi"), none)).toMatchObject({
      verdict: "failed",
      reasons: ["no answer: ECONNREFUSED"],
    });
  });

  it("treats a status change within its class as minor, across classes as drifted, to 404 as rejected", () => {
    const error = (status: number, type: string): Capture => ({
      endpoint: "chat",
      streaming: false,
      status,
      body: null,
      error: { status, type, code: null, message: "x" },
    });
    expect(judge(error(400, "invalid_request_error"), error(422, "invalid_request_error"))).toMatchObject({
      verdict: "minor",
      reasons: ["error status: 400 → 422"],
    });
    expect(judge(error(400, "invalid_request_error"), error(404, "invalid_request_error"))).toMatchObject({
      verdict: "rejected",
      reasons: ["error status: 400 → 404"],
    });
    expect(judge(error(500, "server_error"), error(400, "server_error"))).toMatchObject({
      verdict: "drifted",
      reasons: ["error status: 500 → 400"],
    });
  });

  it("treats an error code appearing as minor", () => {
    const stored: Capture = {
      endpoint: "chat",
      streaming: false,
      status: 400,
      body: null,
      error: { status: 400, type: "invalid_request_error", code: null, message: "bad" },
    };
    const live = { ...stored, error: { ...stored.error!, code: "invalid_value" } };
    expect(judge(stored, live)).toMatchObject({
      verdict: "minor",
      reasons: ["error code: none → invalid_value"],
    });
  });

  it("calls a changed answer shape drifted", () => {
    const json: Capture = {
      endpoint: "passthrough",
      streaming: false,
      status: 200,
      body: { ok: true },
      error: null,
    };
    const message: Capture = {
      ...json,
      body: { type: "message", role: "assistant", content: [], stop_reason: "end_turn" },
    };
    expect(judge(json, message).reasons).toEqual(["answer shape: json → choices"]);
    expect(judge(json, { ...json, body: { ok: false } }).reasons).toEqual(["body ok true → false"]);
  });
});

describe("samples", () => {
  it("needs at least one sample", () => {
    expect(() => compareCaptures(says("hi"), [])).toThrow(/at least one/);
  });

  it("fails, on the first sample, when no sample could be checked", () => {
    const down: Capture = {
      endpoint: "chat",
      streaming: false,
      status: 503,
      body: null,
      error: { status: 503, type: null, code: null, message: "down" },
    };
    expect(
      judge(says("hi"), down, { ...down, status: 502, error: { ...down.error!, status: 502 } }),
    ).toMatchObject({
      verdict: "failed",
      reasons: ["503 after retries"],
      sampleIndex: 0,
      nondeterministic: null,
      consistent: null,
    });
  });

  it("lists every field that varied between samples", () => {
    const result = judge(says("a b c"), says("a b c"), says("x y z", { finish_reason: "length" }));
    expect(result).toMatchObject({ verdict: "unchanged", sampleIndex: 0, consistent: null });
    expect(result.nondeterministic).toEqual({
      samples: 2,
      minSimilarity: 0,
      varied: ["finish_reason", "text"],
    });
  });

  it("does not call samples that agree but match the recording a consistent drift", () => {
    expect(judge(says("hi"), says("hi"), says("hi"))).toMatchObject({
      consistent: null,
      nondeterministic: null,
    });
  });
});
