// Refreshing a recording with a live answer that says what the file already says must give the
// file back byte for byte: the strongest check that refresh writes as the Python recorder writes.
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeRecordingText } from "../src/recording/write-recording.ts";
import { canRefresh, refreshRecording } from "../src/refresh/refresh-recording.ts";
import { liveCapture, readStoredFile } from "./support/live-wire.ts";
import { FIXTURES } from "./support/temp-dir.ts";

const files = readdirSync(FIXTURES, { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".json"))
  .sort()
  .map((file) => [file, readStoredFile(path.join(FIXTURES, file))] as const);
const refreshable = files.map(([, stored]) => stored).filter((stored) => canRefresh(stored.recording));

describe("refreshing with an unchanged live answer", () => {
  it("covers every OpenAI-compatible kind among the fixtures, and google-genai", () => {
    const kinds = new Set(refreshable.map((stored) => stored.recording.kind));
    expect([...kinds].sort()).toEqual([
      "chat-completion",
      "chat-completion-stream",
      "completion",
      "embeddings",
      "google-genai",
      "http-passthrough",
      "model-list",
      "recorded-error",
    ]);
    expect(new Set(refreshable.map((stored) => stored.recording.layout))).toEqual(
      new Set(["current", "2025-08"]),
    );
  });

  it.each(files.filter(([, stored]) => canRefresh(stored.recording)))(
    "writes %s back byte for byte",
    (_, stored) => {
      const live = liveCapture(stored.recording, 7);
      const refreshed = refreshRecording(stored.recording, live, stored.name);
      expect(writeRecordingText(refreshed)).toBe(stored.text);
    },
  );

  it("keeps the stored ids' hash when it differs from the file name's (a file renamed after recording)", () => {
    const stored = refreshable.find((s) => s.name.startsWith("095b37e65a5a"));
    if (!stored) throw new Error("no renamed fixture");
    const text = writeRecordingText(
      refreshRecording(stored.recording, liveCapture(stored.recording, 3), stored.name),
    );
    expect(text).toBe(stored.text);
  });

  it("is given a live answer that looks like the wire, not like the file", () => {
    const stored = refreshable.find((s) => s.name.startsWith("224f7e7bd332"));
    if (!stored) throw new Error("no streaming fixture");
    const live = liveCapture(stored.recording);
    const chunk = (live.body as Record<string, unknown>[])[0] as Record<string, unknown>;
    expect(chunk.id).not.toBe("rec-224f7e7bd332");
    expect(chunk.created).not.toBe(0);
    expect("usage" in chunk).toBe(false);
    expect(Object.keys(chunk)).toEqual([
      "obfuscation",
      "system_fingerprint",
      "service_tier",
      "object",
      "model",
      "created",
      "choices",
      "id",
    ]);
    expect(chunk.obfuscation).toBe("QgpggKqlsUi");
  });

  it("keeps test_id, request and id_normalization_mapping as the very same nodes", () => {
    const stored = refreshable.find(
      (s) => s.recording.kind === "chat-completion-stream" && "test_id" in s.recording.data,
    );
    if (!stored) throw new Error("no streaming fixture");
    const refreshed = refreshRecording(stored.recording, liveCapture(stored.recording), stored.name);
    expect(Object.keys(refreshed)).toEqual(Object.keys(stored.recording.data));
    expect(refreshed.request).toBe(stored.recording.data.request);
    expect(refreshed.id_normalization_mapping).toBe(stored.recording.data.id_normalization_mapping);
    expect(refreshed.test_id).toBe(stored.recording.data.test_id);
  });

  it("refuses kinds it cannot refresh", () => {
    const tool = files.map(([, s]) => s).find((s) => s.recording.kind === "tool-invocation");
    if (!tool) throw new Error("no tool-invocation fixture");
    const live = { endpoint: "chat", streaming: false, status: 200, body: {}, error: null } as const;
    expect(() => refreshRecording(tool.recording, live, tool.name)).toThrow(/tool-invocation/);
  });
});
