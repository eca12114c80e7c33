// What a verdict set aside as noise, counted: real recordings replayed against the simulator
// (which mints new ids, timestamps and fingerprints and re-splits streams, as a live API does),
// and pairs built to show each kind and what does not count.
import { describe, expect, it } from "vitest";
import type { Capture } from "../src/capture.ts";
import { check } from "../src/commands/check.ts";
import { compareCaptures } from "../src/compare/compare-captures.ts";
import { formatIgnoredNoise } from "../src/report/ignored-noise-line.ts";
import { setupCheck } from "./support/check-setup.ts";

const STREAMED_CHAT = "00bf38cb0b6e";
/** Streamed, with a tool call: its call id is new on every call too. */
const TOOL_CALL_CHAT = "00cf12ddd414";
const MODEL_LIST = "models-3a641f25d656";

describe("real recordings replayed against a live-looking API", () => {
  it("count new ids, timestamps, fingerprints and re-split streams; a model list's ids are not noise", async () => {
    const setup = await setupCheck({}, [STREAMED_CHAT, TOOL_CALL_CHAT, MODEL_LIST]);
    const report = await check(setup.options);
    const noise = (prefix: string) =>
      report.results.find((r) => r.file.split("/").at(-1)?.startsWith(prefix))?.ignoredNoise;

    expect(report.results.map((r) => r.verdict)).toEqual(["unchanged", "unchanged", "unchanged"]);
    expect(noise(STREAMED_CHAT)).toEqual({ ids: 1, timestamps: 1, fingerprints: 1, "re-split streams": 1 });
    // The completion's id and the tool call's; its chunks carry no text to cut or merge.
    expect(noise(TOOL_CALL_CHAT)).toEqual({ ids: 2, timestamps: 1, fingerprints: 1 });
    expect(noise(MODEL_LIST)).toBeUndefined();
    expect(formatIgnoredNoise(report.results)).toBe(
      "ignored as noise: 3 new ids, 2 fingerprints, 2 new timestamps, 1 re-split stream",
    );
  });
});

function chat(body: unknown, streaming = false): Capture {
  return { endpoint: "chat", streaming, status: 200, body, error: null };
}

function completion(text: string, extra: Record<string, unknown> = {}) {
  return {
    id: "chatcmpl-1",
    created: 1,
    model: "gpt-4o",
    system_fingerprint: "fp_1",
    choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
    usage: { prompt_tokens: 5, completion_tokens: 3 },
    ...extra,
  };
}

describe("ignoredNoise of a comparison", () => {
  it("counts distinct new values, once however many chunks repeat them", () => {
    const chunk = (id: string, content: string) => ({
      id,
      created: 7,
      model: "gpt-4o",
      choices: [{ index: 0, delta: { content } }],
    });
    const stored = chat([chunk("a", "Hello "), chunk("a", "world")], true);
    const live = chat([chunk("b", "Hel"), chunk("b", "lo "), chunk("b", "world")], true);
    expect(compareCaptures(stored, [live]).ignoredNoise).toEqual({ ids: 1, "re-split streams": 1 });
  });

  it("counts changed usage numbers, whatever order their keys come in", () => {
    const stored = chat(completion("Paris."));
    const reordered = chat(completion("Paris.", { usage: { completion_tokens: 3, prompt_tokens: 5 } }));
    const more = chat(completion("Paris.", { usage: { prompt_tokens: 5, completion_tokens: 4 } }));
    expect(compareCaptures(stored, [reordered]).ignoredNoise).toBeUndefined();
    const minor = compareCaptures(stored, [more]);
    expect(minor.verdict).toBe("minor");
    expect(minor.ignoredNoise).toEqual({ "usage counts": 1 });
  });

  it("is absent from a drifted answer: what changed there is the finding, not noise", () => {
    const stored = chat(completion("Paris."));
    const live = chat(completion("Lyon, I think.", { id: "chatcmpl-2", system_fingerprint: "fp_2" }));
    const comparison = compareCaptures(stored, [live]);
    expect(comparison.verdict).toBe("drifted");
    expect(comparison.ignoredNoise).toBeUndefined();
  });
});

describe("the noise line", () => {
  it("sums the results, most frequent first, with thousands separated", () => {
    const result = (ignoredNoise?: Record<string, number>) => ({
      file: "a.json",
      testId: null,
      endpoint: null,
      model: null,
      provider: null,
      verdict: "unchanged" as const,
      similarity: null,
      reasons: [],
      ...(ignoredNoise ? { ignoredNoise } : {}),
    });
    expect(formatIgnoredNoise([result()])).toBeNull();
    expect(
      formatIgnoredNoise([
        result({ ids: 1200, fingerprints: 3 }),
        result({ ids: 1, "re-split streams": 2, timings: 1 }),
        result(),
      ]),
    ).toBe("ignored as noise: 1,201 new ids, 3 fingerprints, 2 re-split streams, 1 timing");
  });
});
