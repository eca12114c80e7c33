// The fixture corpus as the simulator serves it and as replay targets, the way the `check`
// command will hand recordings to replayAll.

import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { ReplayTarget } from "../../../src/replay/types.ts";
import { expectationFor, isObject } from "./expectations.ts";

export const FIXTURE_CORPUS = fileURLToPath(new URL("../../fixtures/corpus/", import.meta.url));

export interface FixtureRecording {
  /** Path relative to the fixture corpus. */
  file: string;
  json: unknown;
}

/** Every fixture recording (47 files), parsed with JSON.parse. */
export function loadFixtureRecordings(): FixtureRecording[] {
  return walk(FIXTURE_CORPUS)
    .filter((path) => path.endsWith(".json"))
    .sort()
    .map((path) => ({ file: relative(FIXTURE_CORPUS, path), json: JSON.parse(readFileSync(path, "utf8")) }));
}

export function loadFixture(suffix: string): FixtureRecording {
  const found = loadFixtureRecordings().find((r) => r.file.endsWith(suffix));
  if (found === undefined) throw new Error(`no fixture ends with ${suffix}`);
  return found;
}

/** The replay target for a recording the simulator can serve (OpenAI-compatible or passthrough). */
export function replayTargetFor(recording: FixtureRecording): ReplayTarget | null {
  const expectation = expectationFor(recording.file, recording.json);
  if (expectation === null || !isObject(recording.json)) return null;
  const response = isObject(recording.json.response) ? recording.json.response : {};
  const exception = isObject(response.exception_data) ? response.exception_data : {};
  const status = typeof exception.status_code === "number" ? exception.status_code : response.status;
  return {
    file: recording.file,
    testId: typeof recording.json.test_id === "string" ? recording.json.test_id : null,
    endpoint: expectation.family,
    streaming: response.is_streaming === true,
    request: recording.json.request,
    recordedStatus: typeof status === "number" && status >= 400 ? status : null,
  };
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/**
 * `count` distinct copies of a chat recording: the last message gets a numbered suffix, so each
 * copy is a different request (and a different test id).
 */
export function chatVariants(recording: FixtureRecording, count: number): FixtureRecording[] {
  return Array.from({ length: count }, (_, i) => {
    const json = structuredClone(recording.json) as {
      test_id: string | null;
      request: { body: { messages: Array<{ content: unknown }> } };
    };
    const last = json.request.body.messages.at(-1);
    if (last !== undefined)
      last.content = `${typeof last.content === "string" ? last.content : ""} (variant ${i})`;
    json.test_id = `${json.test_id ?? "variant"}[${i}]`;
    return { file: recording.file.replace(/\.json$/, `-variant-${i}.json`), json };
  });
}
