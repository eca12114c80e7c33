// Model lists: models keep their own id and created, and a changed set of ids gets the file name
// the recorder would give it. Also: which request hash ids are normalized with.
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Capture } from "../src/capture.ts";
import { expectedFileName, requestHash } from "../src/recording/file-name.ts";
import { readRecording } from "../src/recording/recording.ts";
import { modelIdsDigest } from "../src/recording/request-hash.ts";
import { writeRecordingText } from "../src/recording/write-recording.ts";
import { refreshRecording } from "../src/refresh/refresh-recording.ts";
import { recordedRequestHash, refreshedFileName } from "../src/refresh/refreshed-file-name.ts";
import { liveCapture, readStoredFile } from "./support/live-wire.ts";
import { FIXTURES } from "./support/temp-dir.ts";

type Plain = Record<string, unknown>;

const COMMON = path.join(FIXTURES, "llama-stack/tests/integration/common/recordings");
const OLLAMA_MODELS = readStoredFile(
  path.join(COMMON, "models-64a2277c90f0f42576f60c1030e3a020403d34a95f56931b792d5939f4cebc57-0da7d1b1.json"),
);
const STREAM = readStoredFile(
  path.join(COMMON, "224f7e7bd332f0ada326039866d13b7f167d5bfa91ce752022010f1e885d869f.json"),
);

function liveModels(change: (models: Plain[]) => void): Capture {
  const live = liveCapture(OLLAMA_MODELS.recording);
  change(live.body as Plain[]);
  return live;
}

describe("refreshing a model list", () => {
  it("keeps each model's id and created, since they are not normalized", () => {
    const live = liveModels((models) => {
      models.push({ id: "llama3.2:3b", object: "model", created: 1_760_000_123, owned_by: "library" });
    });
    const text = writeRecordingText(refreshRecording(OLLAMA_MODELS.recording, live, OLLAMA_MODELS.name));
    expect(text).toContain(
      [
        '        "__data__": {',
        '          "id": "llama3.2:3b",',
        '          "created": 1760000123,',
        '          "object": "model",',
        '          "owned_by": "library"',
        "        }",
      ].join("\n"),
    );
  });

  it("keeps the file name when the same models come in another order", () => {
    const live = liveModels((models) => models.reverse());
    const refreshed = refreshRecording(OLLAMA_MODELS.recording, live, OLLAMA_MODELS.name);
    expect(refreshedFileName(OLLAMA_MODELS.recording, refreshed, OLLAMA_MODELS.name)).toBe(
      OLLAMA_MODELS.name,
    );
  });

  it("names the file by the new ids' digest when the set of models changed, keeping the directory", () => {
    const live = liveModels((models) => {
      models.splice(0, 1);
    });
    const refreshed = refreshRecording(OLLAMA_MODELS.recording, live, OLLAMA_MODELS.name);
    const ids = (live.body as Plain[]).map((model) => model.id as string);
    const hash = OLLAMA_MODELS.name.slice("models-".length, "models-".length + 64);
    const name = refreshedFileName(
      OLLAMA_MODELS.recording,
      refreshed,
      path.join("some/dir", OLLAMA_MODELS.name),
    );
    expect(name).toBe(path.join("some/dir", `models-${hash}-${modelIdsDigest(ids)}.json`));
    // The recorder's own rule, applied to the refreshed file, agrees.
    const reread = readRecording(writeRecordingText(refreshed), path.basename(name));
    if (!reread.ok) throw new Error(reread.errors.join("; "));
    expect(expectedFileName(reread.recording)).toBe(path.basename(name));
  });

  it("keeps the name of every recording that is not a model list", () => {
    const refreshed = refreshRecording(STREAM.recording, liveCapture(STREAM.recording), STREAM.name);
    expect(refreshedFileName(STREAM.recording, refreshed, STREAM.name)).toBe(STREAM.name);
  });
});

describe("the request hash ids are normalized with", () => {
  it("is read from a plain or a model-list file name", () => {
    expect(recordedRequestHash(STREAM.recording, `some/dir/${STREAM.name}`)).toBe(STREAM.name.slice(0, 64));
    expect(recordedRequestHash(OLLAMA_MODELS.recording, OLLAMA_MODELS.name)).toBe(
      OLLAMA_MODELS.name.slice(7, 71),
    );
  });

  it("is computed from the request when the file name holds none", () => {
    const refreshed = refreshRecording(STREAM.recording, liveCapture(STREAM.recording), "renamed.json");
    const first = (refreshed.response as { body: { __data__: Plain }[] }).body[0]?.__data__;
    expect(first?.id).toBe(`rec-${requestHash(STREAM.recording)?.slice(0, 12)}`);
  });
});
