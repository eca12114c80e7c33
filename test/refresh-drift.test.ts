// A drifted live answer: the refreshed file carries the new content and nothing else changes, so
// the pull request's diff shows exactly what the provider now says.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { requestHash } from "../src/recording/file-name.ts";
import { readRecording } from "../src/recording/recording.ts";
import { writeRecordingText } from "../src/recording/write-recording.ts";
import { refreshRecording } from "../src/refresh/refresh-recording.ts";
import { liveCapture, readStoredFile, type StoredFile } from "./support/live-wire.ts";
import { FIXTURES } from "./support/temp-dir.ts";

type Plain = Record<string, unknown>;

const recordings = (dir: string) => path.join(FIXTURES, "llama-stack/tests/integration", dir, "recordings");
const TEXT_STREAM = path.join(
  recordings("common"),
  "224f7e7bd332f0ada326039866d13b7f167d5bfa91ce752022010f1e885d869f.json",
);
const TOOL_STREAM = path.join(
  recordings("agents"),
  "00cf12ddd414ae82d68c2d2b50190f96785f0d0a0c9f5cf72f1f8aea5e28073e.json",
);
const PASSTHROUGH = path.join(
  recordings("common"),
  "cf0be7f9e2ebfc78903aa4ada30204585952f77bc5acb3ff7702bd7878d44b44.json",
);
const TOOL_CHAT = path.join(
  recordings("inference"),
  "0de34091fb19d61b7edfe5f361650789ae2e66f9273ad74925e95b230a862a00.json",
);

/** Refreshes `file` with its own content, changed by `drift`, and returns both texts. */
function refreshDrifted(file: string, drift: (body: unknown) => void): { stored: StoredFile; text: string } {
  const stored = readStoredFile(file);
  const live = liveCapture(stored.recording, 3);
  drift(live.body);
  return { stored, text: writeRecordingText(refreshRecording(stored.recording, live, stored.name)) };
}

/** The lines that differ between two texts of the same line count, as `[old, new]` pairs. */
function changedLines(before: string, after: string): [string, string][] {
  const a = before.split("\n");
  const b = after.split("\n");
  expect(b.length).toBe(a.length);
  return a.flatMap((line, i) =>
    line === b[i] ? [] : [[line.trim(), (b[i] as string).trim()] as [string, string]],
  );
}

function expectValidWithSameHash(stored: StoredFile, text: string): void {
  const reread = readRecording(text, stored.name);
  if (!reread.ok) throw new Error(reread.errors.join("; "));
  expect(reread.recording.kind).toBe(stored.recording.kind);
  expect(requestHash(reread.recording)).toBe(requestHash(stored.recording));
}

const choice = (body: unknown, chunk: number): Plain =>
  (((body as Plain[])[chunk] as Plain).choices as Plain[])[0] as Plain;

describe("refreshing with a drifted live answer", () => {
  it("changes only the line of a streamed text that changed", () => {
    const { stored, text } = refreshDrifted(TEXT_STREAM, (body) => {
      (choice(body, 1).delta as Plain).content = "Saturn, the ringed planet.";
    });
    expect(changedLines(stored.text, text)).toEqual([
      [
        '"content": "The planet with rings around it that starts with the letter S is Saturn.",',
        '"content": "Saturn, the ringed planet.",',
      ],
    ]);
    expectValidWithSameHash(stored, text);
  });

  it("changes only the finish_reason line when the stream stops for another reason", () => {
    const { stored, text } = refreshDrifted(TEXT_STREAM, (body) => {
      choice(body, 2).finish_reason = "length";
    });
    expect(changedLines(stored.text, text)).toEqual([
      ['"finish_reason": "stop",', '"finish_reason": "length",'],
    ]);
    expectValidWithSameHash(stored, text);
  });

  it("carries a streamed tool call's new arguments and call id, and nothing else", () => {
    const { stored, text } = refreshDrifted(TOOL_STREAM, (body) => {
      const call = ((choice(body, 0).delta as Plain).tool_calls as Plain[])[0] as Plain;
      call.id = "call_new12345";
      (call.function as Plain).arguments = '{"city":"Kyoto"}';
    });
    expect(changedLines(stored.text, text)).toEqual([
      ['"id": "call_lptggy8q",', '"id": "call_new12345",'],
      ['"arguments": "{\\"city\\":\\"Tokyo\\"}",', '"arguments": "{\\"city\\":\\"Kyoto\\"}",'],
    ]);
    expectValidWithSameHash(stored, text);
  });

  it("carries a completion's new message and finish_reason, keeping the tool call's extra index", () => {
    const { stored, text } = refreshDrifted(TOOL_CHAT, (body) => {
      const first = ((body as Plain).choices as Plain[])[0] as Plain;
      first.finish_reason = "stop";
      (first.message as Plain).content = "It is sunny.";
    });
    expect(changedLines(stored.text, text)).toEqual([
      ['"finish_reason": "tool_calls",', '"finish_reason": "stop",'],
      ['"content": "",', '"content": "It is sunny.",'],
    ]);
    expect(text).toContain('"type": "function",\n                  "index": 0\n');
    expectValidWithSameHash(stored, text);
  });

  it("writes new chunks in full, normalized like the others", () => {
    const { stored, text } = refreshDrifted(TEXT_STREAM, (body) => {
      const chunks = body as Plain[];
      const extra = structuredClone(chunks[1]) as Plain;
      extra.id = "chatcmpl-other";
      extra.created = 1_760_000_000;
      (((extra.choices as Plain[])[0] as Plain).delta as Plain).content = " Also Uranus.";
      chunks.splice(2, 0, extra);
    });
    const reread = readRecording(text, stored.name);
    if (!reread.ok) throw new Error(reread.errors.join("; "));
    const body = reread.recording.response.body as { __data__: Plain }[];
    expect(body).toHaveLength(4);
    expect(body[2]?.__data__.id).toBe("rec-224f7e7bd332");
    expect(body[2]?.__data__.created).toBe(0);
    expect(text).toContain('"content": " Also Uranus.",');
  });

  it("writes a field the model does not declare after the declared ones, and drops one the live answer lacks", () => {
    const { stored, text } = refreshDrifted(TEXT_STREAM, (body) => {
      const chunk = (body as Plain[])[0] as Plain;
      delete chunk.obfuscation;
      chunk.provider = "openai";
    });
    const reread = readRecording(text, stored.name);
    if (!reread.ok) throw new Error(reread.errors.join("; "));
    const first = (reread.recording.response.body as { __data__: Plain }[])[0]?.__data__ as Plain;
    expect(Object.keys(first)).toEqual([
      "id",
      "choices",
      "created",
      "model",
      "object",
      "service_tier",
      "system_fingerprint",
      "usage",
      "provider",
    ]);
  });

  it("writes a declared field the live answer left out as null", () => {
    const { stored, text } = refreshDrifted(TEXT_STREAM, (body) => {
      delete (body as Plain[])[0]?.model;
    });
    expect(changedLines(stored.text, text)).toEqual([['"model": "gpt-4o-2024-08-06",', '"model": null,']]);
  });

  it("writes a passthrough answer as the provider sent it, with the live status", () => {
    const stored = readStoredFile(PASSTHROUGH);
    const message = {
      id: "msg_1",
      type: "message",
      role: "assistant",
      content: [{ type: "text", text: "Hi" }],
    };
    const live = {
      ...liveCapture(stored.recording),
      status: 200,
      body: { ...message, usage: { input_tokens: 3 } },
    };
    const text = writeRecordingText(refreshRecording(stored.recording, live, stored.name));
    expect(text.slice(text.indexOf('  "response"'))).toBe(
      `  "response": {
    "status": 200,
    "body": {
      "id": "msg_1",
      "type": "message",
      "role": "assistant",
      "content": [
        {
          "type": "text",
          "text": "Hi"
        }
      ],
      "usage": {
        "input_tokens": 3
      }
    },
    "is_streaming": false
  },
  "id_normalization_mapping": {}
}
`,
    );
    expectValidWithSameHash(stored, text);
  });
});
