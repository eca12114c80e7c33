// The refresh journal: before each file change a line saying what is about to change (with the
// file's sha256 before and after) is on disk, so a run that stops however it stops (a full disk,
// a SIGKILL) leaves a record of the files it changed and of the change in flight. The next
// refresh, and `recording-drift journal`, say what it holds.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { readJournal } from "../src/commands/read-journal.ts";
import { refresh } from "../src/commands/refresh.ts";
import { DISK_WRITER, FileChanges, type FileWriter, JournalFile } from "../src/commands/refresh-journal.ts";
import { contentDigest } from "../src/recording/files.ts";
import { formatJournalText } from "../src/report/journal-text.ts";
import { listJson, setupCheck } from "./support/check-setup.ts";
import { runCli, startCli } from "./support/run-cli.ts";
import { TEST_ENV } from "./support/simulator/replay-setup.ts";
import { makeTempDir } from "./support/temp-dir.ts";

const INFERENCE = "tests/integration/inference/";

/** Every answer's text drifts, so `--update all` rewrites every recording. */
async function driftedSetup() {
  const setup = await setupCheck({ liveify: "wire" }, [INFERENCE]);
  setup.sim.mutate(
    () => true,
    (data) => JSON.parse(JSON.stringify(data).replaceAll('"content":"', '"content":"Drifted: ')),
  );
  return setup;
}

/** `refresh --update all` of the drifted setup, with its JSON report (and so its journal) beside it. */
function refreshAll(setup: Awaited<ReturnType<typeof driftedSetup>>): string[] {
  return [
    "refresh",
    "llama-stack",
    "--update",
    "all",
    "--json",
    "report.json",
    "--extra-samples",
    "0",
    ...setup.options.providerOverrides.flatMap((p) => ["--provider", p]),
  ];
}

/** The journal's lines, parsed. */
function journalLines(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, "utf8")
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line));
}

describe("the refresh journal", () => {
  it("announces each change before it is made, marks it done after, and ends with a complete line", async () => {
    const setup = await driftedSetup();
    const journal = path.join(setup.dir, "report.journal.jsonl");
    const run = await runCli(refreshAll(setup), { cwd: setup.dir, env: TEST_ENV });
    expect(run.stderr).not.toContain("did not finish");
    const report = JSON.parse(readFileSync(path.join(setup.dir, "report.json"), "utf8"));
    const refreshed = report.results.filter((r: { refreshed?: boolean }) => r.refreshed);
    expect(refreshed.length).toBeGreaterThan(1);

    const lines = journalLines(journal);
    expect(lines[0]).toMatchObject({ journal: "recording-drift refresh", cwd: setup.dir });
    expect(lines.at(-1)).toMatchObject({ complete: true });
    const announced = lines.filter((line) => "seq" in line);
    expect(announced.map((line) => line.path).sort()).toEqual(
      refreshed.map((r: { file: string }) => r.file).sort(),
    );
    for (const line of announced) {
      // Each change's line comes before its done line, and names the bytes the file now holds.
      expect(lines.findIndex((l) => l.done === line.seq)).toBeGreaterThan(lines.indexOf(line));
      expect(digestOf(path.join(setup.dir, line.path as string))).toBe(line.after);
    }
    const state = await readJournal(journal, setup.dir);
    expect(state.complete).toBe(true);
    expect(state.changes.every((c) => c.state === "done")).toBe(true);
  });

  it("a full disk mid-run: the journal holds the files changed and the change that failed, not made", async () => {
    const setup = await driftedSetup();
    const file = path.join(setup.dir, "refresh.journal.jsonl");
    let writes = 0;
    // The second recording written meets a full disk.
    const fullDisk: FileWriter = {
      ...DISK_WRITER,
      replace: (target, text) => {
        if (++writes === 2)
          return Promise.reject(
            Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" }),
          );
        return DISK_WRITER.replace(target, text);
      },
    };
    const before = new Map(
      listJson(setup.dir).map((f) => [f, readFileSync(path.join(setup.dir, f), "utf8")]),
    );
    const journal = await JournalFile.open(file, setup.dir);
    const report = await refresh({
      ...setup.options,
      config: { ...setup.options.config, concurrency: 1 },
      update: "all",
      dryRun: false,
      changes: new FileChanges(journal, fullDisk),
    });
    await journal.close();

    const failed = report.results.filter((r) => r.reasons.some((why) => why.includes("ENOSPC")));
    expect(failed).toHaveLength(1);
    expect(failed[0]?.reasons.at(-1)).toBe("not refreshed: ENOSPC: no space left on device, write");
    const state = await readJournal(file, setup.dir);
    expect(state.complete).toBe(false);
    const notMade = state.changes.filter((c) => c.state !== "done");
    expect(notMade).toEqual([
      {
        seq: 2,
        path: failed[0]?.file,
        action: "write",
        state: "not made",
        detail: "the file holds its bytes from before",
      },
    ]);
    // The failed recording is as it was; every other one the journal calls done was rewritten.
    expect(readFileSync(path.join(setup.dir, failed[0]?.file as string), "utf8")).toBe(
      before.get(failed[0]?.file as string),
    );
    const done = journalLines(file).filter((line) =>
      state.changes.some((c) => c.seq === line.seq && c.state === "done"),
    );
    expect(done.length).toBe(report.results.filter((r) => r.refreshed).length);
    for (const line of done) expect(digestOf(path.join(setup.dir, line.path as string))).toBe(line.after);
    expect(formatJournalText(state)).toContain(
      `in flight when it stopped (1):\n  write  ${failed[0]?.file}: not made, the file holds its bytes from before\n`,
    );
  });

  it("a refresh killed mid-run: the journal still lists the files already replaced, and says so", async () => {
    const setup = await driftedSetup();
    const journal = path.join(setup.dir, "report.journal.jsonl");
    const args = refreshAll(setup);
    // Two answers arrive; every later one is held until the process is gone.
    const release = setup.sim.hold(2);
    const { child, done } = startCli(args, { cwd: setup.dir, env: TEST_ENV });
    onTestFinished(() => {
      child.kill("SIGKILL");
    });
    while (doneLines(journal) < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill("SIGKILL");
    const killed = await done;
    release();
    expect(killed.code).toBe(null);

    const state = await readJournal(journal, setup.dir);
    expect(state.complete).toBe(false);
    const changed = state.changes.filter((c) => c.state === "done");
    expect(changed).toHaveLength(2);
    const after = new Map(journalLines(journal).map((line) => [line.seq, line.after]));
    for (const change of changed)
      expect(digestOf(path.join(setup.dir, change.path))).toBe(after.get(change.seq));

    const shown = await runCli(["journal", "report.journal.jsonl"], { cwd: setup.dir });
    expect(shown.code).toBe(1);
    expect(shown.stdout).toContain("journal report.journal.jsonl: the refresh did not finish");
    expect(shown.stdout).toContain("changed (2):");
    for (const change of changed) expect(shown.stdout).toContain(`  write  ${change.path}\n`);

    // The next refresh says what the killed one left before it starts its own journal.
    const next = await runCli(args, { cwd: setup.dir, env: TEST_ENV });
    expect(next.stderr).toContain("the last refresh did not finish; what its journal");
    for (const change of changed) expect(next.stderr).toContain(change.path);
    expect(journalLines(journal).at(-1)).toMatchObject({ complete: true });
  });
  it("a journal that cannot be written (a directory) stops the refresh before any file changes", async () => {
    const setup = await driftedSetup();
    const before = listJson(setup.dir).map((f) => digestOf(path.join(setup.dir, f)));
    const run = await runCli(["refresh", "llama-stack", "--update", "all", "--journal", "llama-stack"], {
      cwd: setup.dir,
      env: TEST_ENV,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `--journal: cannot write the refresh journal ${path.join(setup.dir, "llama-stack")}: EISDIR`,
    );
    expect(listJson(setup.dir).map((f) => digestOf(path.join(setup.dir, f)))).toEqual(before);
    expect(setup.sim.requests).toEqual([]);
  });
  it("a journal that cannot be written (/dev/full: a full disk) stops the refresh before it starts", async () => {
    const setup = await driftedSetup();
    const run = await runCli(["refresh", "llama-stack", "--journal", "/dev/full"], {
      cwd: setup.dir,
      env: TEST_ENV,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--journal: cannot write the refresh journal /dev/full: ");
    expect(run.stderr).toContain("ENOSPC");
    expect(setup.sim.requests).toEqual([]);
  });

  it("a change whose journal line cannot be written is not made", async () => {
    const dir = path.join(makeTempDir("recording-drift-journal-"), "r");
    mkdirSync(dir);
    const file = path.join(dir, "a.json");
    writeFileSync(file, "old\n");
    const journal = await JournalFile.open(path.join(dir, "run.journal.jsonl"), dir);
    // A closed handle fails every later append, as a disk that filled up after the start would.
    await journal.close();
    await expect(new FileChanges(journal).write(file, "new\n")).rejects.toThrow(
      /^the refresh journal .*run\.journal\.jsonl could not be written: EBADF/,
    );
    expect(readFileSync(file, "utf8")).toBe("old\n");
  });
});

function digestOf(file: string): string {
  return contentDigest(readFileSync(file));
}

function doneLines(journal: string): number {
  try {
    return readFileSync(journal, "utf8")
      .split("\n")
      .filter((line) => line.startsWith('{"done":')).length;
  } catch {
    return 0;
  }
}
