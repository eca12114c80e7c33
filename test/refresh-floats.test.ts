// Float typing: `JSON.parse` turns the wire's `0.0` into `0`, but pydantic writes float fields as
// floats, so a refreshed file must say `0.0` where the recorder would, and `0` where it would not.
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Capture } from "../src/capture.ts";
import { readRecording } from "../src/recording/recording.ts";
import { writeRecordingText } from "../src/recording/write-recording.ts";
import { refreshRecording } from "../src/refresh/refresh-recording.ts";
import { liveCapture, readStoredFile, type StoredFile } from "./support/live-wire.ts";
import { FIXTURES } from "./support/temp-dir.ts";

type Plain = Record<string, unknown>;

const recordings = (dir: string) => path.join(FIXTURES, "llama-stack/tests/integration", dir, "recordings");
const STREAM = readStoredFile(
  path.join(recordings("common"), "224f7e7bd332f0ada326039866d13b7f167d5bfa91ce752022010f1e885d869f.json"),
);
const EMBEDDINGS = readStoredFile(
  path.join(recordings("responses"), "050f63320eeea2dc946617884f63e55d84fd718af642afa609c36154deb34dce.json"),
);
const COMPLETION = readStoredFile(
  path.join(recordings("batches"), "92d49675c90319c093846b731bdc33d7b261cc73e12a914c9c3661a028c19adc.json"),
);

function refreshed(stored: StoredFile, change: (body: Plain | Plain[]) => void): string {
  const live: Capture = liveCapture(stored.recording);
  change(live.body as Plain | Plain[]);
  return writeRecordingText(refreshRecording(stored.recording, live, stored.name));
}

/** The lines of `text` from the one that contains `start`, `count` lines long, trimmed. */
function linesFrom(text: string, start: string, count: number): string[] {
  const lines = text.split("\n").map((line) => line.trim());
  const at = lines.findIndex((line) => line.includes(start));
  expect(at).toBeGreaterThanOrEqual(0);
  return lines.slice(at, at + count);
}

describe("numbers in a refreshed recording", () => {
  it("writes a chat logprob the wire sent as 0 or -1 as 0.0 and -1.0, token bytes as ints", () => {
    const text = refreshed(STREAM, (body) => {
      const choice = (((body as Plain[])[1] as Plain).choices as Plain[])[0] as Plain;
      choice.logprobs = {
        content: [
          {
            top_logprobs: [{ logprob: -1, bytes: [83], token: "S" }],
            logprob: 0,
            bytes: [83, 97],
            token: "Sa",
          },
        ],
      };
    });
    expect(linesFrom(text, '"logprobs": {', 24)).toEqual([
      '"logprobs": {',
      '"content": [',
      "{",
      '"token": "Sa",',
      '"bytes": [',
      "83,",
      "97",
      "],",
      '"logprob": 0.0,',
      '"top_logprobs": [',
      "{",
      '"token": "S",',
      '"bytes": [',
      "83",
      "],",
      '"logprob": -1.0',
      "}",
      "]",
      "}",
      "],",
      '"refusal": null',
      "}",
      "}",
      "],",
    ]);
  });

  it("writes embedding values the wire sent as 0 and 1 as 0.0 and 1.0, and usage counts as ints", () => {
    const text = refreshed(EMBEDDINGS, (body) => {
      ((body as Plain).data as Plain[])[0] = { object: "embedding", index: 0, embedding: [0, 1, -0.5] };
    });
    expect(linesFrom(text, '"embedding": [', 5)).toEqual(['"embedding": [', "0.0,", "1.0,", "-0.5", "],"]);
    expect(linesFrom(text, '"usage": {', 3)).toEqual([
      '"usage": {',
      '"prompt_tokens": 7,',
      '"total_tokens": 7',
    ]);
  });

  it("writes a completion's token logprobs and top-logprob values as floats, text offsets as ints", () => {
    const text = refreshed(COMPLETION, (body) => {
      ((body as Plain).choices as Plain[])[0] = {
        text: "Hi",
        index: 0,
        finish_reason: "length",
        logprobs: {
          tokens: ["Hi"],
          text_offset: [0],
          token_logprobs: [0],
          top_logprobs: [{ Hi: 0, Hello: -2 }],
        },
      };
    });
    expect(linesFrom(text, '"logprobs": {', 17)).toEqual([
      '"logprobs": {',
      '"text_offset": [',
      "0",
      "],",
      '"token_logprobs": [',
      "0.0",
      "],",
      '"tokens": [',
      '"Hi"',
      "],",
      '"top_logprobs": [',
      "{",
      '"Hi": 0.0,',
      '"Hello": -2.0',
      "}",
      "]",
      "},",
    ]);
    expect(text).toContain('"completion_tokens": 20,');
  });

  it("writes an extra field as a float where the stored file had floats there, and as sent elsewhere", () => {
    const withScore = STREAM.text.replaceAll(/("obfuscation": "\w+")/g, '$1,\n          "score": 0.5');
    const result = readRecording(withScore, STREAM.name);
    if (!result.ok) throw new Error(result.errors.join("; "));
    const live = liveCapture(result.recording);
    for (const chunk of live.body as Plain[]) {
      chunk.score = 1;
      chunk.rank = 2;
    }
    const text = writeRecordingText(refreshRecording(result.recording, live, STREAM.name));
    expect(linesFrom(text, '"score": ', 2)).toEqual(['"score": 1.0,', '"rank": 2']);
  });
});
