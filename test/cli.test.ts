// The command line as a user meets it: --version, a help page per command with examples,
// did-you-mean on typos, one-line errors pointing at --help, warnings on stderr, and a stack
// trace only for an unexpected error under --debug.
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.ts";
import { makeTempDir } from "./support/temp-dir.ts";

const VERSION = (
  JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../package.json"), "utf8")) as {
    version: string;
  }
).version;
const STACK_FRAME = /\n\s+at /;

describe("--version and --help", () => {
  it("--version prints the package's version", async () => {
    const run = await runCli(["--version"]);
    expect(run).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
  });

  it("each command has its own help with its options and examples: check --help is not refresh --help", async () => {
    const [check, refresh] = await Promise.all([runCli(["check", "--help"]), runCli(["refresh", "--help"])]);
    expect(check.code).toBe(0);
    expect(refresh.code).toBe(0);
    expect(check.stdout).toMatch(/^Usage: recording-drift check \[options\] \[paths\.\.\.\]/);
    expect(refresh.stdout).toMatch(/^Usage: recording-drift refresh \[options\] \[paths\.\.\.\]/);
    expect(check.stdout).not.toBe(refresh.stdout);
    expect(refresh.stdout).toContain("--dry-run");
    expect(check.stdout).not.toContain("--dry-run");
    expect(check.stdout).toContain("Examples:\n  recording-drift check ");
  });

  it("help COMMAND is COMMAND --help; no command at all is the program's help on stderr, exit 2", async () => {
    const [help, flag, none] = await Promise.all([
      runCli(["help", "merge"]),
      runCli(["merge", "--help"]),
      runCli([]),
    ]);
    expect(help).toEqual(flag);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe("");
    expect(none.stderr).toMatch(/^Usage: recording-drift \[options\] \[command\]/);
  });

  it("the program's help lists the commands and documents the exit codes", async () => {
    const run = await runCli(["--help"]);
    expect(run.code).toBe(0);
    for (const command of ["verify", "check", "refresh", "diff", "merge", "publish"])
      expect(run.stdout).toMatch(new RegExp(`\\n  ${command} `));
    expect(run.stdout).toMatch(/Exit codes:\n {2}0 {4}done/);
  });
});

describe("mistakes on the command line: one line, a suggestion, a pointer to --help, exit 2", () => {
  it("a typo in an option", async () => {
    const run = await runCli(["refresh", "--flter", "x"]);
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "recording-drift: unknown option '--flter' (did you mean --filter?); see 'recording-drift refresh --help'\n",
    });
  });

  it("a typo in a command", async () => {
    const run = await runCli(["chek"]);
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr: "recording-drift: unknown command 'chek' (did you mean check?); see 'recording-drift --help'\n",
    });
  });

  it("a bad option value, named by the option", async () => {
    const run = await runCli(["check", "--concurrency", "many"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "recording-drift: --concurrency: expected a positive integer; see 'recording-drift check --help'\n",
    );
  });
});

describe("no stack trace for a user's error", () => {
  it("check on an empty directory", async () => {
    const dir = makeTempDir("recording-drift-cli-");
    mkdirSync(path.join(dir, "empty"));
    const run = await runCli(["check", "empty"], { cwd: dir });
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr: "recording-drift: no recordings found (empty: directory holds no *.json recordings)\n",
    });
  });

  it("check on a path that does not exist, even with --debug", async () => {
    const dir = makeTempDir("recording-drift-cli-");
    const run = await runCli(["check", "missing", "--debug"], { cwd: dir });
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr: "recording-drift: no recordings found (missing: no such file or directory)\n",
    });
  });

  it("verify's warnings go to stderr, its report to stdout", async () => {
    const dir = makeTempDir("recording-drift-cli-");
    const run = await runCli(["verify", "missing"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("warning: missing: no such file or directory\n");
    expect(run.stdout).toBe("verify: 0 files, 0 valid, 0 invalid, 0 round trip identical, 0 hash mismatch\n");
  });
});

describe("a --filter that selects nothing", () => {
  const CORPUS = path.resolve(import.meta.dirname, "fixtures/corpus");
  const args = ["check", CORPUS, "--filter", "*[txt=nobody/*]"];

  it("is a warning on stderr; the run, which checked nothing, writes its report and exits 4", async () => {
    const run = await runCli(args);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(
      /^warning: --filter \*\[txt=nobody\/\*\] selected none of the \d+ recordings$/m,
    );
    expect(run.stderr).toMatch(
      /^recording-drift: nothing could be checked: \d+ skipped \(filtered out \(--filter \*\[txt=nobody\/\*\]\)\)$/m,
    );
    expect(run.stdout).toMatch(/^recording-drift report\n/);
    expect(run.stdout).toContain("❌ Nothing could be checked");
  });

  it("with --no-fail-on-empty: the warning only, exit 0", async () => {
    const run = await runCli([...args, "--no-fail-on-empty"]);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain("nothing could be checked");
  });
});

describe("an unexpected error", () => {
  const args = ["verify", "missing", "--json", "no-such-dir/report.json"];

  it("is one line and a hint, exit 3", async () => {
    const run = await runCli(args, { cwd: makeTempDir("recording-drift-cli-") });
    expect(run.code).toBe(3);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.stderr).toMatch(
      /\nrecording-drift: an unexpected error; run again with --debug for details\n$/,
    );
  });

  it("shows its stack trace under --debug", async () => {
    const run = await runCli(["--debug", ...args], { cwd: makeTempDir("recording-drift-cli-") });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(STACK_FRAME);
  });
});
