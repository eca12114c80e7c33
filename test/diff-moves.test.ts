// `diff` on changes that move, delete or inherit problems: a re-recorded file under its new name
// is paired with the one it replaces by test and call (never by git's text similarity), a
// deleted recording nothing replaces is reported, and a problem the base already had is marked
// as such and does not fail the pull request.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { diff, diffExitCode } from "../src/commands/diff.ts";
import { defaultConfig } from "../src/config.ts";
import { expectedFileName } from "../src/recording/file-name.ts";
import type { JsonObject } from "../src/recording/json-value.ts";
import { readRecording } from "../src/recording/recording.ts";
import { writeRecordingText } from "../src/recording/write-recording.ts";
import type { CheckReport, CheckResult } from "../src/report/check-report.ts";
import { git } from "./support/synthetic-pr.ts";
import { FIXTURES, makeTempDir } from "./support/temp-dir.ts";

const DIR = "tests/integration/inference/recordings";
const FROM = path.join(FIXTURES, "llama-stack", DIR);
const TOOLS = "0de34091fb19d61b7edfe5f361650789ae2e66f9273ad74925e95b230a862a00.json";
const OTHER = "77cf218283607bfac37623e1bb4e6f33cae670df7d6995d432bca34c5dfb0e43.json";
const MISNAMED = "3dcb9e38f66c96323546ef8d7fee216ad11a4dd6f7fe44c4b602671eea12382e.json";

function load(file: string): JsonObject {
  const read = readRecording(readFileSync(path.join(FROM, file), "utf8"), file);
  if (!read.ok) throw new Error(read.errors.join("; "));
  return read.recording.data;
}

/** Writes a recording under the name the recorder would give it; returns that name. */
function writeNamed(repo: string, data: JsonObject): string {
  const read = readRecording(writeRecordingText(data), "x.json");
  if (!read.ok) throw new Error(read.errors.join("; "));
  const name = expectedFileName(read.recording) as string;
  writeFileSync(path.join(repo, DIR, name), writeRecordingText(data));
  return name;
}

describe("diff pairs moved recordings by what they record", () => {
  let repo: string;
  let report: CheckReport;
  let moved: string;
  let lookalike: string;
  const result = (file: string) => report.results.find((r) => r.file === `${DIR}/${file}`) as CheckResult;

  beforeAll(async () => {
    repo = makeTempDir("recording-drift-moves-");
    mkdirSync(path.join(repo, DIR), { recursive: true });
    git(repo, "init", "-q", "-b", "main");
    for (const file of [TOOLS, OTHER])
      writeFileSync(path.join(repo, DIR, file), writeRecordingText(load(file)));
    // Committed misnamed: the test id was edited by hand before this change.
    const misnamed = load(MISNAMED);
    misnamed.test_id = `${String(misnamed.test_id)}-edited`;
    writeFileSync(path.join(repo, DIR, MISNAMED), writeRecordingText(misnamed));
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "base");
    git(repo, "checkout", "-q", "-b", "change");

    // Re-recorded with another temperature: a new request hash, so a new name.
    const rerecorded = load(TOOLS);
    ((rerecorded.request as JsonObject).body as JsonObject).temperature = 0.7;
    rmSync(path.join(repo, DIR, TOOLS));
    moved = writeNamed(repo, rerecorded);
    // Deleted, and a near-copy for another test added: git would call it a rename.
    const copy = load(OTHER);
    copy.test_id = "tests/integration/inference/test_other.py::test_something_else[txt=vllm]";
    rmSync(path.join(repo, DIR, OTHER));
    lookalike = writeNamed(repo, copy);
    // Only noise changed in the misnamed file.
    const noisy = readRecording(readFileSync(path.join(repo, DIR, MISNAMED), "utf8"), MISNAMED);
    if (!noisy.ok) throw new Error("fixture");
    const chunks = (noisy.recording.data.response as JsonObject).body as JsonObject[];
    ((chunks[0] as JsonObject).__data__ as JsonObject).system_fingerprint = "fp_changed";
    writeFileSync(path.join(repo, DIR, MISNAMED), writeRecordingText(noisy.recording.data));
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "change");
    report = await diff({ base: "main", paths: [], cwd: repo, config: defaultConfig(), threshold: null });
  });

  it("pairs a re-recorded file under its new name with the one it replaces", () => {
    expect(result(moved)).toMatchObject({ verdict: "drifted", problems: [] });
    expect(result(moved).reasons[0]).toBe(`renamed from ${DIR}/${TOOLS}`);
    expect(result(moved).reasons.join("\n")).toMatch(/request changed: body\.temperature/);
  });

  it("does not pair a look-alike of another test, and reports the deleted recording", () => {
    expect(result(lookalike)).toMatchObject({
      verdict: "skipped",
      reasons: ["added: verified only, no base version to compare with"],
    });
    expect(result(OTHER)).toMatchObject({
      verdict: "skipped",
      reasons: [
        expect.stringMatching(
          /^deleted: test tests\/integration\/inference\/.*no longer finds its recording/,
        ),
      ],
      problems: [expect.objectContaining({ kind: "deleted", severity: "warning" })],
    });
  });

  it("marks a problem the base already had, and does not fail the change for it", () => {
    const problems = result(MISNAMED).problems ?? [];
    expect(problems).toEqual([
      expect.objectContaining({ kind: "misnamed", severity: "error", atBase: true }),
    ]);
    expect(problems[0]?.message).toMatch(/^already at the base: the file name is not the request's hash/);
    expect(diffExitCode(report, "invalid")).toBe(0);
  });
});

describe("diff reads JSON in a request as its value", () => {
  it("calls a tool result written with other spacing and key order a minor change", async () => {
    const repo = makeTempDir("recording-drift-tool-result-");
    mkdirSync(path.join(repo, DIR), { recursive: true });
    git(repo, "init", "-q", "-b", "main");
    const data = load(TOOLS);
    const messages = ((data.request as JsonObject).body as JsonObject).messages as JsonObject[];
    messages.push({ role: "tool", tool_call_id: "call_1", content: '{"temperature": 72, "unit": "F"}' });
    writeFileSync(path.join(repo, DIR, TOOLS), writeRecordingText(data));
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "base");
    (messages.at(-1) as JsonObject).content = '{"unit":"F","temperature":72}';
    writeFileSync(path.join(repo, DIR, TOOLS), writeRecordingText(data));
    const report = await diff({
      base: "HEAD",
      paths: [],
      cwd: repo,
      config: defaultConfig(),
      threshold: null,
    });
    expect(report.results[0]).toMatchObject({
      verdict: "minor",
      reasons: [
        expect.stringMatching(
          /^request text changed in case, spacing or JSON layout only: body\.messages\[2\]\.content/,
        ),
      ],
    });
  });
});
