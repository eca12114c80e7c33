// Which fields count as declared: the field table for openai-python's models, narrowed or widened
// by what the stored file shows its SDK version wrote.
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { JsonObject } from "../src/recording/json-value.ts";
import { readRecording } from "../src/recording/recording.ts";
import { refreshRecording } from "../src/refresh/refresh-recording.ts";
import { liveCapture, readStoredFile } from "./support/live-wire.ts";
import { FIXTURES } from "./support/temp-dir.ts";

type Plain = Record<string, unknown>;

const STREAM = readStoredFile(
  path.join(
    FIXTURES,
    "llama-stack/tests/integration/common/recordings/224f7e7bd332f0ada326039866d13b7f167d5bfa91ce752022010f1e885d869f.json",
  ),
);

/** The keys of the first refreshed chunk, for the stored text `text` and a live change. */
function firstChunkKeys(text: string, change: (chunk: Plain) => void): string[] {
  const result = readRecording(text, STREAM.name);
  if (!result.ok) throw new Error(result.errors.join("; "));
  const live = liveCapture(result.recording);
  change((live.body as Plain[])[0] as Plain);
  const refreshed = refreshRecording(result.recording, live, STREAM.name);
  const body = (refreshed.response as JsonObject).body as { __data__: JsonObject }[];
  return Object.keys(body[0]?.__data__ ?? {});
}

const DECLARED = [
  "id",
  "choices",
  "created",
  "model",
  "object",
  "service_tier",
  "system_fingerprint",
  "usage",
];

describe("declared fields", () => {
  it("treat a field only newer SDKs declare as an extra when the stored file's SDK did not write it", () => {
    const keys = firstChunkKeys(STREAM.text, (chunk) => {
      chunk.moderation = { flagged: false };
    });
    expect(keys).toEqual([...DECLARED, "obfuscation", "moderation"]);
  });

  it("place a newer SDK's field where it is declared when the stored file's SDK wrote it", () => {
    const newer = STREAM.text.replaceAll(
      '"object": "chat.completion.chunk",',
      '$&\n          "moderation": null,',
    );
    const keys = firstChunkKeys(newer, (chunk) => {
      chunk.moderation = { flagged: false };
    });
    expect(keys).toEqual([...DECLARED.slice(0, 5), "moderation", ...DECLARED.slice(5), "obfuscation"]);
  });

  it("are every stored key for a type the table does not know, so a missing one is written null", () => {
    const unknown = STREAM.text.replaceAll("chat_completion_chunk.ChatCompletionChunk", "future.FutureChunk");
    const result = readRecording(unknown, STREAM.name);
    if (!result.ok) throw new Error(result.errors.join("; "));
    const live = liveCapture(result.recording);
    for (const chunk of live.body as Plain[]) {
      delete chunk.obfuscation;
      chunk.added = true;
    }
    const refreshed = refreshRecording(result.recording, live, STREAM.name);
    const first = ((refreshed.response as JsonObject).body as { __data__: JsonObject }[])[0]
      ?.__data__ as JsonObject;
    expect(Object.keys(first)).toEqual([...DECLARED, "obfuscation", "added"]);
    expect(first.obfuscation).toBeNull();
  });
});
