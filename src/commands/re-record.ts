// The hand-off to the project's own recorder (`refresh --re-record-command CMD`) for tests whose
// chain a refresh cannot rebuild. The tests' recordings are deleted, their ids written one a line
// to a file named by `$RECORDING_DRIFT_TESTS`, and CMD run in the working directory (llama-stack:
// `pytest @"$RECORDING_DRIFT_TESTS" --inference-mode record-if-missing`). The files it writes are
// then checked as a pull request would check them (`diff`: valid, round trip, named by hash) and
// compared with the recordings they replace. If CMD fails, the deleted recordings are put back
// and whatever it wrote is removed: the tests are as they were.
import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Config } from "../config.ts";
import {
  errorMessage,
  findRecordingFiles,
  pathExists,
  readText,
  toPosix,
  writeFileAtomic,
  writeRefusal,
} from "../recording/files.ts";
import { readRecording } from "../recording/recording.ts";
import type { CheckResult } from "../report/check-report.ts";
import { diff } from "./diff.ts";

export interface ReRecordOptions {
  command: string;
  paths: string[];
  cwd: string;
  config: Config;
  threshold: number | null;
  env: Readonly<Record<string, string | undefined>>;
  /** Where the command's output goes, line by line (it must not mix with the report on stdout). */
  log: (line: string) => void;
}

export type ReRecordOutcome =
  | {
      /** The results of the new files, and of the deleted recordings nothing replaced. */
      results: CheckResult[];
      /** Shown paths of the deleted recordings: `results` stands in for their results. */
      replaced: Set<string>;
    }
  | { failure: string };

/** Deleted recordings, by shown path, with their text (to compare with, or to put back). */
type Deleted = Map<string, { text: string; testId: string; endpoint: string | null }>;

export async function reRecord(
  tests: ReadonlySet<string>,
  options: ReRecordOptions,
): Promise<ReRecordOutcome> {
  const shown = (file: string) => toPosix(path.relative(options.cwd, file));
  const deleted: Deleted = new Map();
  for (const file of (await findRecordingFiles(options.paths, options.cwd)).files) {
    const text = await readText(file).catch(() => null);
    const read = text === null ? null : readRecording(text, file);
    if (text === null || !read?.ok || read.recording.testId === null || !tests.has(read.recording.testId))
      continue;
    deleted.set(shown(file), { text, testId: read.recording.testId, endpoint: read.recording.endpoint });
  }
  for (const file of deleted.keys()) {
    // Deleted only where refresh may write: under the working directory, never through a link.
    const refusal = await writeRefusal(path.join(options.cwd, file), options.cwd);
    if (refusal !== null) return { failure: `the re-record hand-off was not started: ${refusal}` };
  }
  const work = await fs.mkdtemp(path.join(os.tmpdir(), "recording-drift-re-record-"));
  try {
    const testsFile = path.join(work, "tests.txt");
    await fs.writeFile(testsFile, `${[...tests].sort().join("\n")}\n`);
    for (const file of deleted.keys()) await fs.rm(path.join(options.cwd, file));
    const before = new Set((await findRecordingFiles(options.paths, options.cwd)).files.map(shown));
    const exit = await run(options.command, { ...options.env, RECORDING_DRIFT_TESTS: testsFile }, options);
    const written = (await findRecordingFiles(options.paths, options.cwd)).files
      .map(shown)
      .filter((file) => !before.has(file));
    if (exit !== 0) {
      for (const file of written) await fs.rm(path.join(options.cwd, file), { force: true });
      for (const [file, { text }] of deleted) await writeFileAtomic(path.join(options.cwd, file), text);
      return { failure: `the re-record command failed (${exit}); the recordings were put back` };
    }
    return {
      results: await compareWritten(written, deleted, work, options),
      replaced: new Set(deleted.keys()),
    };
  } catch (error) {
    for (const [file, { text }] of deleted) {
      if (!(await pathExists(path.join(options.cwd, file))))
        await writeFileAtomic(path.join(options.cwd, file), text);
    }
    return { failure: `the re-record hand-off failed: ${errorMessage(error)}` };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/**
 * Each new file judged by `diff` against the recording it replaces: the deleted one of the same
 * name, else one of the same test and endpoint (a later turn's request, and so its name, changes
 * with the answers before it). Deleted recordings nothing replaced are reported removed.
 */
async function compareWritten(
  written: readonly string[],
  deleted: Deleted,
  work: string,
  options: ReRecordOptions,
): Promise<CheckResult[]> {
  const base = path.join(work, "base");
  const unpaired = new Map(deleted);
  const replaces = new Map<string, string>();
  const newFiles = [...written].sort();
  const texts = new Map<string, string>();
  for (const file of newFiles) texts.set(file, await readText(path.join(options.cwd, file)).catch(() => ""));
  for (const file of newFiles) {
    if (!unpaired.has(file)) continue;
    replaces.set(file, file);
    unpaired.delete(file);
  }
  for (const file of newFiles) {
    if (replaces.has(file)) continue;
    const read = readRecording(texts.get(file) as string, file);
    if (!read.ok) continue;
    const match = [...unpaired].find(
      ([, old]) => old.testId === read.recording.testId && old.endpoint === read.recording.endpoint,
    );
    if (!match) continue;
    replaces.set(file, match[0]);
    unpaired.delete(match[0]);
  }
  for (const [file, old] of replaces) {
    const at = path.join(base, file);
    await fs.mkdir(path.dirname(at), { recursive: true });
    await fs.writeFile(at, (deleted.get(old) as { text: string }).text);
  }
  const judged =
    newFiles.length === 0
      ? []
      : (
          await diff({
            base,
            paths: newFiles.map((file) => path.join(options.cwd, file)),
            cwd: options.cwd,
            config: options.config,
            threshold: options.threshold,
          })
        ).results;
  const results: CheckResult[] = judged.map((result) => {
    const old = replaces.get(result.file);
    return {
      ...result,
      refreshed: true,
      reasons: [`re-recorded by the project's recorder${old ? ` (replaces ${old})` : ""}`, ...result.reasons],
      ...(old && old !== result.file ? { renamedFrom: old } : {}),
    };
  });
  for (const [file, old] of unpaired) {
    results.push({
      file,
      testId: old.testId,
      endpoint: old.endpoint,
      model: null,
      provider: null,
      verdict: "skipped",
      similarity: null,
      reasons: ["deleted for the re-record; the project's recorder did not write it again"],
      removed: true,
    });
  }
  return results;
}

/** Runs the command through the shell; its output goes to the log. Resolves with its exit status. */
function run(
  command: string,
  env: Record<string, string | undefined>,
  options: ReRecordOptions,
): Promise<string | 0> {
  return new Promise((resolve) => {
    const child = spawn(command, { cwd: options.cwd, env, shell: true, stdio: ["ignore", "pipe", "pipe"] });
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim() !== "") options.log(line);
    };
    child.stdout.on("data", forward);
    child.stderr.on("data", forward);
    child.on("error", (error) => resolve(errorMessage(error)));
    child.on("close", (code, signal) =>
      resolve(code === 0 ? 0 : signal ? `killed by ${signal}` : `exit ${code}`),
    );
  });
}
