// A pull request must not choose its own gate, nor where keys go: `diff` and `pr-check` read the
// config from the base (a git ref's merge base, or a base directory), never from the change; and
// the modes that need keys stop on every event whose checked-out code may be a fork's.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeRunnerFiles, runActionInProcess, stepEnvironment } from "./support/action-env.ts";
import { runCli } from "./support/run-cli.ts";
import { git } from "./support/synthetic-pr.ts";
import { FIXTURES, makeTempDir } from "./support/temp-dir.ts";

const CHAT =
  "llama-stack/tests/integration/agents/recordings/007a9180a7aa38e17c1135ebf1f75e0d5ce1ea58e2261deba8c41e51196078ec.json";
const CONFIG = ".github/recording-drift.yml";
/** The base's config: broken, so a run that reads it says so. */
const BASE_CONFIG = "concurrency: 0\n";
/** The change's config: valid, and what a fork would like the gate to be. */
const HEAD_CONFIG = "compare: { threshold: 0 }\n";

const root = makeTempDir("recording-drift-trusted-");

function writeTree(dir: string, config: string): void {
  mkdirSync(path.join(dir, path.dirname(CHAT)), { recursive: true });
  mkdirSync(path.join(dir, ".github"), { recursive: true });
  cpSync(path.join(FIXTURES, CHAT), path.join(dir, CHAT));
  writeFileSync(path.join(dir, CONFIG), config);
}

describe("diff reads the config from the base, never from the change", () => {
  const repo = path.join(root, "repo");
  const base = path.join(root, "base");
  const head = path.join(root, "head");

  beforeAll(() => {
    writeTree(base, BASE_CONFIG);
    writeTree(head, HEAD_CONFIG);
    writeTree(repo, BASE_CONFIG);
    git(repo, "init", "-q", "-b", "main");
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", "base");
    git(repo, "checkout", "-qb", "feature");
    writeFileSync(path.join(repo, CONFIG), HEAD_CONFIG);
    git(repo, "commit", "-qam", "the change's own gate");
  });

  it("--base DIR: the base directory's config", async () => {
    const run = await runCli(["diff", "--base", base], { cwd: head });
    expect(run.stderr).toContain(`${CONFIG}: concurrency: expected a positive integer`);
    expect(run.code).toBe(2);
  });

  it("--base REF: the merge base's config", async () => {
    const run = await runCli(["diff", "--base", "main"], { cwd: repo });
    expect(run.stderr).toContain(`${CONFIG}: concurrency: expected a positive integer`);
    expect(run.code).toBe(2);
  });

  it("an explicit --config missing from the base is an error naming why", async () => {
    const run = await runCli(["diff", "--base", base, "--config", "new.yml"], { cwd: head });
    expect(run.stderr).toContain(
      "new.yml: not in the base, which the config is read from (never from the change)",
    );
    expect(run.code).toBe(2);
  });

  it("no config at the base: the defaults, whatever the change adds", async () => {
    const bare = path.join(root, "bare");
    mkdirSync(bare);
    const run = await runCli(["diff", "--base", bare], { cwd: head });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });
});

describe("modes that need keys on code that may be a fork's", () => {
  const workspace = path.join(root, "workspace");
  const files = makeRunnerFiles();
  // No recordings: a run not stopped fails later, on that, without a request.
  beforeAll(() => mkdirSync(workspace));
  const run = (name: string, payload: unknown) =>
    runActionInProcess(
      stepEnvironment({ workspace, inputs: { mode: "check" }, event: { name, payload } }, files),
      files,
    );
  const OWN = "meta-llama/llama-stack";
  const fork = { full_name: "someone/llama-stack", fork: true };

  it.each([
    [
      "pull_request_target",
      { pull_request: { base: { repo: { full_name: OWN } }, head: { repo: fork } } },
      "someone/llama-stack",
    ],
    [
      "issue_comment",
      { issue: { number: 7, pull_request: { url: "u" } }, repository: { full_name: OWN } },
      "a comment on a pull request, whose head may be a fork",
    ],
    [
      "workflow_run",
      { workflow_run: { head_repository: fork }, repository: { full_name: OWN } },
      "someone/llama-stack",
    ],
  ])("%s: stopped before any replay", async (name, payload, source) => {
    const result = await run(name, payload);
    expect(result.failure).toMatch(/^mode check replays recordings against live providers/);
    expect(result.failure).toContain(`(this one comes from ${source})`);
    expect(result.stdout).not.toContain("::group::");
  });

  it.each([
    ["issue_comment", { issue: { number: 7 }, repository: { full_name: OWN } }],
    [
      "workflow_run",
      { workflow_run: { head_repository: { full_name: OWN } }, repository: { full_name: OWN } },
    ],
  ])("%s on the repository's own code: not stopped", async (name, payload) => {
    const result = await run(name, payload);
    expect(result.failure ?? "").not.toMatch(/fork/);
  });
});
