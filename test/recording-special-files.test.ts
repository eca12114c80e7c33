// A "recording" that is a symlink to a device (`/dev/zero`: no size to check, endless) or a FIFO
// (opening it waits for a writer): only regular files are read, so `verify` and `check` finish,
// naming the device, and skip the FIFO the directory walk does not list. Named outright, a FIFO
// or a device is said to be what it is, not "no such file".
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, symlinkSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.ts";
import { FIXTURES, makeTempDir } from "./support/temp-dir.ts";

const CHAT =
  "llama-stack/tests/integration/agents/recordings/007a9180a7aa38e17c1135ebf1f75e0d5ce1ea58e2261deba8c41e51196078ec.json";

const work = makeTempDir("recording-drift-special-");
const recordings = path.join(work, "recordings");

beforeAll(() => {
  mkdirSync(recordings);
  symlinkSync("/dev/zero", path.join(recordings, "zero.json"));
  execFileSync("mkfifo", [path.join(recordings, "fifo.json")]);
});

describe("recordings that are not regular files", () => {
  it("verify reads none of them and names the device", async () => {
    cpSync(path.join(FIXTURES, CHAT), path.join(work, "valid", path.basename(CHAT)), { recursive: true });
    const run = await runCli(["verify", "."], { cwd: work });
    expect(run.stdout).toContain("| recordings/zero.json | - | cannot read: not a regular file (a device) |");
    expect(run.stdout).toContain("verify: 2 files, 1 valid, 1 invalid");
    expect(run.code).toBe(1);
  });

  it("check fails the device with its cause and finishes; having checked nothing, it exits 4", async () => {
    const run = await runCli(["check", "recordings"], { cwd: work });
    expect(run.stdout).toContain("invalid recording: cannot read: not a regular file (a device)");
    expect(run.stderr).toContain(
      "recording-drift: nothing could be checked: 1 failed (invalid recording: cannot read: not a regular file (a device))\n",
    );
    expect(run.code).toBe(4);
  });

  it("verify and check say a FIFO named outright is one, not that it is missing", async () => {
    const verifyRun = await runCli(["verify", "recordings/fifo.json"], { cwd: work });
    expect(verifyRun.stderr).toContain("warning: recordings/fifo.json: not a regular file (a FIFO)");
    expect(verifyRun.code).toBe(1);
    const checkRun = await runCli(["check", "recordings/fifo.json"], { cwd: work });
    expect(checkRun.stderr).toContain("recordings/fifo.json: not a regular file (a FIFO)");
    expect(checkRun.stderr).not.toContain("no such file");
    expect(checkRun.code).toBe(2);
  });

  it("a symlink to a device named outright is said to be a device", async () => {
    const run = await runCli(["check", "recordings/zero.json", "recordings/fifo.json"], { cwd: work });
    expect(run.stderr).toContain("recordings/zero.json: not a regular file (a device)");
    expect(run.stderr).toContain("recordings/fifo.json: not a regular file (a FIFO)");
  });
});
