// Interrupting `refresh` in the middle, as a user (Ctrl-C, SIGTERM from CI) or the machine
// (SIGKILL, OOM) would: the CLI runs in a child process over many recordings whose answers all
// drifted, against a simulator that holds every answer beyond the first few until the signal
// has landed, so the run is mid-way then however slow the machine is.
// Afterwards every recording is either its old bytes or exactly its refreshed bytes, never
// anything between; SIGTERM aborts the requests in flight (their answers never come) and still
// writes the report of what finished.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refresh } from "../src/commands/refresh.ts";
import { defaultConfig } from "../src/config.ts";
import { expectedFileName } from "../src/recording/file-name.ts";
import { findRecordingFiles } from "../src/recording/files.ts";
import { setKey } from "../src/recording/json-value.ts";
import { readRecording } from "../src/recording/recording.ts";
import { writeRecordingText } from "../src/recording/write-recording.ts";
import type { CheckReport } from "../src/report/check-report.ts";
import { simulatorOverridesFor } from "./support/check-setup.ts";
import { collectOutput } from "./support/run-cli.ts";
import { TEST_ENV } from "./support/simulator/replay-setup.ts";
import { type Simulator, startSimulator } from "./support/simulator.ts";
import { FIXTURES, makeTempDir } from "./support/temp-dir.ts";

const CHAT_PATH =
  "llama-stack/tests/integration/agents/recordings/007a9180a7aa38e17c1135ebf1f75e0d5ce1ea58e2261deba8c41e51196078ec.json";
const COUNT = 60;

const CLI = path.resolve(import.meta.dirname, "../src/cli.ts");
const TSX = createRequire(import.meta.url).resolve("tsx");

type Json = Record<string, unknown>;

/** COUNT distinct recordings of the chat fixture, in the recorder's own format. */
function variants(): Map<string, string> {
  const text = readFileSync(path.join(FIXTURES, CHAT_PATH), "utf8");
  const out = new Map<string, string>();
  for (let i = 0; i < COUNT; i++) {
    const read = readRecording(text, CHAT_PATH);
    if (!read.ok) throw new Error(read.errors.join("; "));
    const { data } = read.recording;
    const messages = ((data.request as Json).body as Json).messages as Json[];
    const last = messages.at(-1) as Parameters<typeof setKey>[0];
    setKey(last, "content", `${last.content as string} (variant ${i})`);
    setKey(data, "test_id", `${data.test_id as string}[${i}]`);
    // Named by its request's hash, as the recorder names it (a misnamed file is skipped as unreachable).
    const variant = writeRecordingText(data);
    const reread = readRecording(variant, "variant.json");
    if (!reread.ok) throw new Error(reread.errors.join("; "));
    out.set(expectedFileName(reread.recording) as string, variant);
  }
  return out;
}

let sim: Simulator;
let providers: string[];
const originals = variants();
/** The bytes `refresh` writes for each recording against this simulator. */
const refreshed = new Map<string, string>();
const children: ChildProcess[] = [];

beforeAll(async () => {
  const recordings = [...originals].map(([file, text]) => ({ file, json: JSON.parse(text) as Json }));
  sim = await startSimulator({ recordings, liveify: "wire", latencyMs: 100 });
  providers = simulatorOverridesFor(sim, recordings);
  // Every answer drifted: a refresh rewrites every file with different bytes.
  sim.mutate(
    () => true,
    (data) => {
      const choice = ((data as Json).choices as Json[])[0] as Json;
      (choice.message as Json).content = "unsafe\nS1";
      return data;
    },
  );
  // The refreshed bytes of each file, from a whole refresh of a copy in this process.
  const copy = makeTempDir("recording-drift-interrupt-expected-");
  writeRecordings(copy);
  const config = { ...defaultConfig(), concurrency: 16 };
  const report = await refresh({
    paths: [copy],
    cwd: copy,
    config,
    providerOverrides: providers,
    filter: null,
    maxRequests: null,
    samples: 1,
    threshold: null,
    env: TEST_ENV,
    update: "all",
    dryRun: false,
  });
  expect(report.results.filter((r) => r.refreshed)).toHaveLength(COUNT);
  for (const file of originals.keys()) refreshed.set(file, readFileSync(path.join(copy, file), "utf8"));
  for (const [file, text] of refreshed) expect(text, file).not.toBe(originals.get(file));
});

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await sim?.close();
});

function writeRecordings(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of originals) writeFileSync(path.join(dir, file), text);
}

interface Run {
  child: ChildProcess;
  /** What it has written to stderr so far. */
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function startRefresh(work: string, extra: string[] = []): Run {
  // Only drifted ones: a file refreshed by an earlier, killed run is not rewritten again. One
  // sample each: a drifted file is written as soon as it is judged (extra samples would hold
  // every write until the first pass ends), so the run is mid-way when the signal lands.
  const args = ["refresh", "recordings", "--update", "drifted", "--concurrency", "4", "--extra-samples", "0"];
  for (const provider of providers) args.push("--provider", provider);
  const child = spawn(process.execPath, ["--import", TSX, CLI, ...args, ...extra], {
    cwd: work,
    env: { ...process.env, ...TEST_ENV },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const output = collectOutput(child);
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, ...output })));
  return { child, stderr: () => output.stderr, exited };
}

/** The recordings whose bytes are no longer the original ones. */
function changed(dir: string): string[] {
  return [...originals]
    .filter(([file, text]) => readFileSync(path.join(dir, file), "utf8") !== text)
    .map(([f]) => f);
}

/** Resolves once `done` holds; polled, with no deadline but the test's own. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** Resolves once at least `count` recordings have been rewritten. */
async function whenChanged(dir: string, count: number, run: Run): Promise<void> {
  await until(() => {
    if (run.child.exitCode !== null) throw new Error(`refresh ended first: ${run.stderr()}`);
    return changed(dir).length >= count;
  });
}

/** Each recording is valid and is exactly its old or its refreshed bytes; returns the refreshed ones. */
function expectOldOrNew(dir: string): string[] {
  const now: string[] = [];
  for (const [file, old] of originals) {
    const text = readFileSync(path.join(dir, file), "utf8");
    const read = readRecording(text, path.join(dir, file));
    expect(read.ok, file).toBe(true);
    if (text !== old) {
      expect(text, `${file} is neither its old nor its refreshed bytes`).toBe(refreshed.get(file));
      now.push(file);
    }
  }
  return now.sort();
}

describe("SIGTERM in the middle of refresh", () => {
  it("stops, writes the report of what finished (exit 143), and leaves every file old or new", async () => {
    const work = makeTempDir("recording-drift-sigterm-");
    const dir = path.join(work, "recordings");
    writeRecordings(dir);
    const release = sim.hold(10);
    const run = startRefresh(work, ["--json", "report.json", "--markdown", "report.md"]);
    await whenChanged(dir, 4, run);
    run.child.kill("SIGTERM");
    // The answers held stay held: the requests waiting for them are aborted, not waited for.
    const { code, stderr, stdout } = await run.exited;
    release();

    expect(code).toBe(143);
    expect(stderr).toContain("SIGTERM: no new requests; aborting those under way and writing the report");
    const report = JSON.parse(readFileSync(path.join(work, "report.json"), "utf8")) as CheckReport;
    // Mid-way: some finished, not all.
    expect(report.summary.total).toBeGreaterThanOrEqual(4);
    expect(report.summary.total).toBeLessThan(COUNT);
    const aborted = report.results.filter((r) =>
      r.reasons.includes("interrupted: the request in flight was aborted"),
    );
    expect(aborted.length).toBeGreaterThan(0);
    expect(aborted.every((r) => r.verdict === "failed" && !r.refreshed)).toBe(true);
    expect(readFileSync(path.join(work, "report.md"), "utf8")).toMatch(/^## recording-drift report/);
    expect(stdout).toMatch(/^recording-drift report\n/);
    // The files rewritten are exactly those the report says were refreshed.
    const written = report.results.filter((r) => r.refreshed).map((r) => path.basename(r.file));
    expect(expectOldOrNew(dir)).toEqual(written.sort());
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

describe("SIGKILL in the middle of refresh (issue 5)", () => {
  it("leaves no truncated or invalid file, and no temporary file a tool would read", async () => {
    const work = makeTempDir("recording-drift-sigkill-");
    const dir = path.join(work, "recordings");
    writeRecordings(dir);
    // Killed at several moments, each run going on from where the last one was killed.
    const done: string[][] = [];
    for (const [i, delay] of [0, 5, 20].entries()) {
      // Requests go out in file order, so each run answers at least 12 files its forerunners did
      // not refresh, and none answers all COUNT.
      const release = sim.hold(15 * (i + 1));
      const run = startRefresh(work);
      await whenChanged(dir, changed(dir).length + 2, run);
      // Somewhere in the next few writes.
      await new Promise((resolve) => setTimeout(resolve, delay));
      run.child.kill("SIGKILL");
      const { signal } = await run.exited;
      release();
      expect(signal).toBe("SIGKILL");
      done.push(expectOldOrNew(dir));
      // A kill between a temporary file's creation and its rename leaves it behind: it is named
      // `.<name>.json.<hex>.tmp`, a dotfile not ending in .json, which no command picks up.
      const leftovers = readdirSync(dir).filter((f) => !originals.has(f));
      for (const file of leftovers) expect(file).toMatch(/^\.[0-9a-f]{64}\.json\.[0-9a-f]{12}\.tmp$/);
      const found = await findRecordingFiles([], work);
      expect(found.files.map((f) => path.basename(f)).sort()).toEqual([...originals.keys()].sort());
      expect((await findRecordingFiles(["recordings"], work)).files).toHaveLength(COUNT);
    }
    // Each run went on from the last, and none got to the end.
    for (let i = 1; i < done.length; i++) expect(done[i]).toEqual(expect.arrayContaining(done[i - 1] ?? []));
    expect(done.at(-1)?.length).toBeLessThan(COUNT);
  });
});
