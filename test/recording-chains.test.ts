// Finding a test's chains from the recordings alone, and what a changed answer means for the
// requests built from it.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseJson } from "../src/recording/json-read.ts";
import type { JsonValue } from "../src/recording/json-value.ts";
import { readRecording } from "../src/recording/recording.ts";
import {
  type AnswerPieces,
  answerPieces,
  type ChainCandidate,
  chainOfTest,
  findTestChains,
  requestStrings,
} from "../src/recording/test-chains.ts";
import {
  answerChange,
  consistentReplacements,
  substitutePieces,
  unlocatedPieces,
} from "../src/refresh/chain-rebuild.ts";
import { listJson } from "./support/check-setup.ts";

const CHAINS = path.resolve(import.meta.dirname, "fixtures/chains");
const read = async (file: string) => {
  const result = readRecording(readFileSync(file, "utf8"), file);
  return result.ok ? result.recording : null;
};
const pieces = (over: Partial<AnswerPieces> = {}): AnswerPieces => ({
  texts: [""],
  toolCalls: [],
  responseId: null,
  ...over,
});
const candidate = (file: string, answer: AnswerPieces | null, request: string[]): ChainCandidate => ({
  file,
  testId: "t",
  pieces: answer,
  strings: request,
});

describe("finding chains", () => {
  it("links a streamed tool call to the request that sends its result back, by id and arguments", async () => {
    const files = listJson(CHAINS).map((f) => path.join(CHAINS, f));
    const chains = await findTestChains(files, read);
    const tool = chains.find((c) => c.testId.includes("test_function_call_output_list_text"));
    expect(
      tool?.links.map((l) => [
        path.basename(l.from).slice(0, 12),
        path.basename(l.to).slice(0, 12),
        l.pieces,
      ]),
    ).toEqual([["68aee8f8d3c2", "66de2028326b", ["tool-call id", "tool-call arguments"]]]);
    expect(tool?.files.map((f) => path.basename(f).slice(0, 12))).toEqual(["68aee8f8d3c2", "66de2028326b"]);
    // Two first turns that answered the same text both feed both second turns.
    const earth = chains.find((c) => c.testId.includes("multi_turn"));
    expect(earth?.links).toHaveLength(4);
    expect(earth?.links.every((l) => l.pieces.join() === "text")).toBe(true);
  });

  it("reads a stream's text and tool calls joined from their deltas", async () => {
    const head = await read(
      path.join(CHAINS, listJson(CHAINS).find((f) => f.includes("68aee8f8d3c2")) as string),
    );
    expect(answerPieces(head!)).toEqual({
      texts: [""],
      toolCalls: [
        {
          id: "call_oQPJP1aMDcaTaqIVgzUINmDV",
          name: "get_weather",
          arguments: '{"location":"Paris, France"}',
        },
      ],
      responseId: null,
    });
  });

  it("needs 8 characters of text, ignores echoes of the answer's own request, and orders upstream first", () => {
    const chain = chainOfTest("t", [
      candidate("c", pieces({ texts: ["final answer"] }), ["first question", "It is 42 today.", "ok"]),
      candidate("b", pieces({ texts: ["It is 42 today."] }), ["first question", "ok"]),
      candidate("a", pieces({ texts: ["ok"] }), ["first question"]),
      // Echoes its own prompt: a completion with `echo`, not a later turn.
      candidate("d", pieces({ texts: ["first question"] }), ["first question"]),
    ]);
    expect(chain?.links).toEqual([{ from: "b", to: "c", pieces: ["text"] }]);
    expect(chain?.files).toEqual(["b", "c"]);
    expect(chain?.cycle).toBe(false);
  });

  it("takes every string of a request, keys aside", () => {
    expect(requestStrings(parseJson('{"a": ["x", {"b": "y"}], "c": 1}') as JsonValue)).toEqual(["x", "y"]);
  });
});

describe("what a changed answer means for the requests after it", () => {
  const call = { id: "call_1", name: "get_weather", arguments: '{"city": "Paris"}' };

  it("new tool-call ids only: the stored ids are kept, nothing to replace", () => {
    const change = answerChange(
      pieces({ toolCalls: [call] }),
      pieces({ toolCalls: [{ ...call, id: "call_2" }] }),
    );
    expect(change).toEqual({ mechanical: true, replacements: [], keptIds: new Map([["call_2", "call_1"]]) });
  });

  it("new text: replaced where it was; a tool call's arguments or name, or a text where there was none: not mechanical", () => {
    expect(answerChange(pieces({ texts: ["It is sunny."] }), pieces({ texts: ["It rains."] }))).toMatchObject(
      {
        mechanical: true,
        replacements: [{ old: "It is sunny.", new: "It rains." }],
      },
    );
    expect(
      answerChange(
        pieces({ toolCalls: [call] }),
        pieces({ toolCalls: [{ ...call, arguments: '{"city": "Lyon"}' }] }),
      ),
    ).toEqual({
      mechanical: false,
      reason: 'tool call get_weather: arguments {"city": "Paris"} → {"city": "Lyon"}',
    });
    expect(
      answerChange(pieces({ toolCalls: [call] }), pieces({ toolCalls: [{ ...call, name: "get_time" }] })),
    ).toEqual({
      mechanical: false,
      reason: "tool call 0: get_weather → get_time",
    });
    expect(answerChange(pieces(), pieces({ texts: ["Hello"] }))).toMatchObject({ mechanical: false });
    expect(answerChange(pieces({ toolCalls: [call] }), pieces())).toEqual({
      mechanical: false,
      reason: "tool calls: 1 → 0",
    });
  });

  it("substitutes long pieces inside strings and short ones only as whole strings, keeping other values", () => {
    const request = parseJson(
      '{"messages": [{"content": "4"}, {"content": "You said: It is sunny."}, {"content": "14"}], "temperature": 0.0}',
    ) as JsonValue;
    const replacements = [
      { old: "It is sunny.", new: "It rains." },
      { old: "4", new: "5" },
    ];
    expect(unlocatedPieces(request, replacements)).toEqual([]);
    expect(JSON.stringify(substitutePieces(request, replacements))).toBe(
      '{"messages":[{"content":"5"},{"content":"You said: It rains."},{"content":"14"}],"temperature":0}',
    );
    expect(unlocatedPieces(request, [{ old: "It was cloudy.", new: "x" }])).toEqual(["It was cloudy."]);
  });

  it("refuses feeders that answered the same and no longer agree", () => {
    const same = pieces({ texts: ["Humans live on Earth."] });
    const changed = { pieces: same, replacements: [{ old: "Humans live on Earth.", new: "On Earth." }] };
    expect(
      consistentReplacements(
        ["a", "b"],
        new Map([
          ["a", changed],
          ["b", changed],
        ]),
      ),
    ).toEqual(changed.replacements);
    expect(
      consistentReplacements(
        ["a", "b"],
        new Map([
          ["a", changed],
          ["b", { pieces: same, replacements: [] }],
        ]),
      ),
    ).toMatchObject({ conflict: ["a", "b"], reason: "answered the same and only one changed" });
  });
});
