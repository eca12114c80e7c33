// Mode pr-check on a synthetic pull request: the run() a `pull_request` workflow makes, without
// any provider or secret: annotations on the right lines, the summary, every output, fail-on.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CheckReport } from "../src/report/check-report.ts";
import {
  type ActionRun,
  type ActionSetup,
  makeRunnerFiles,
  runActionInProcess,
  stepEnvironment,
} from "./support/action-env.ts";
import { summaryTableCounts } from "./support/summary-counts.ts";
import { git, makeSyntheticPullRequest, PASTED_TOKEN, PR_FILES } from "./support/synthetic-pr.ts";
import { makeTempDir } from "./support/temp-dir.ts";

const repo = path.join(makeTempDir("recording-drift-pr-check-"), "repo");
const files = makeRunnerFiles();
let baseSha = "";

beforeAll(() => {
  makeSyntheticPullRequest(repo);
  baseSha = git(repo, "merge-base", "main", "HEAD").trim();
});

function pullRequestEvent(fork = false) {
  return {
    name: "pull_request",
    payload: {
      pull_request: {
        number: 7,
        base: { sha: baseSha, ref: "main", repo: { full_name: "meta-llama/llama-stack" } },
        head: {
          sha: "f".repeat(40),
          ref: "feature",
          repo: { full_name: fork ? "someone/llama-stack" : "meta-llama/llama-stack", fork },
        },
      },
    },
  };
}

function prCheck(inputs: Record<string, string> = {}, setup: Partial<ActionSetup> = {}): Promise<ActionRun> {
  const env = stepEnvironment(
    { workspace: repo, inputs: { mode: "pr-check", ...inputs }, event: pullRequestEvent(), ...setup },
    files,
  );
  return runActionInProcess(env, files);
}

let first: Promise<ActionRun> | undefined;
const defaultRun = () => {
  first ??= prCheck();
  return first;
};

describe("mode pr-check on a pull request of recordings", () => {
  it("compares with the pull request's base commit and sets every count output", async () => {
    const { outputs } = await defaultRun();
    expect(outputs).toEqual({
      total: "6",
      unchanged: "1",
      minor: "0",
      nondeterministic: "0",
      drifted: "1",
      rejected: "0",
      failed: "3",
      skipped: "1",
      "problems-at-base": "0",
      "report-json": path.join(files.dir, "recording-drift-report.json"),
      "pull-request-number": "",
      "pull-request-url": "",
      "pull-request-operation": "none",
      "pull-request-branch": "",
      "pull-request-head-sha": "",
    });
    const report = JSON.parse(readFileSync(outputs["report-json"] as string, "utf8")) as CheckReport;
    expect(report.results.map((r) => r.file)).toEqual(Object.values(PR_FILES).sort());
  });

  it("links each drifted recording's heading to its entry in the pull request's Files changed", async () => {
    const run = await prCheck(
      {},
      { env: { GITHUB_SERVER_URL: "https://github.com", GITHUB_SHA: "e".repeat(40) } },
    );
    const anchor = createHash("sha256").update(PR_FILES.text).digest("hex");
    expect(run.summary).toMatch(
      new RegExp(
        `^##### \\[\`[^\`]+\`\\]\\(https://github\\.com/meta-llama/llama-stack/pull/7/files#diff-${anchor}\\)$`,
        "m",
      ),
    );
  });

  it("annotates each problem on its line, the most urgent first, then a notice per meaningful change", async () => {
    const { annotations } = await defaultRun();
    const credentialLine =
      readFileSync(path.join(repo, PR_FILES.credential), "utf8")
        .split("\n")
        .findIndex((line) => line.includes(PASTED_TOKEN)) + 1;
    expect(annotations.map(({ level, file, line }) => ({ level, file, line }))).toEqual([
      { level: "error", file: PR_FILES.credential, line: credentialLine },
      { level: "error", file: PR_FILES.invalid, line: expect.any(Number) },
      { level: "error", file: PR_FILES.testId, line: 2 },
      { level: "notice", file: PR_FILES.text, line: 1 },
    ]);
    expect(annotations[2]?.message).toMatch(/file name is not the request's hash/);
    expect(annotations[3]?.message).toMatch(/^changed meaningfully: /);
  });

  it("fails the step on broken recordings, names them in the summary, and never shows the credential", async () => {
    const { failure, summary, stdout } = await defaultRun();
    expect(failure).toBe(
      "3 changed recordings fail the check: 1 misnamed, 1 invalid, 1 with credential-looking strings (see the annotations and the job summary)",
    );
    expect(summary).toMatch(/^## recording-drift diff against [0-9a-f]{40}\n/);
    expect(summary).toContain("### Problems (3)");
    expect(summary).toContain("❌ **3 recordings broken or unsafe: f\u200Dix before merging**");
    expect(summaryTableCounts(summary)).toMatchObject({ total: 6, drifted: 1, failed: 3 });
    expect(stdout).toMatch(/::group::Compare the changed recordings with [0-9a-f]{40}/);
    expect(stdout).toContain("::endgroup::");
    for (const text of [summary, stdout]) expect(text).not.toContain(PASTED_TOKEN);
  });

  it("passes with fail-on never, and with the default on paths that only drifted", async () => {
    expect((await prCheck({ "fail-on": "never" })).failure).toBeNull();
    const clean = await prCheck({ recordings: `tests/integration/common\n${PR_FILES.text}` });
    expect(clean.failure).toBeNull();
    expect(clean.outputs).toMatchObject({ total: "2", unchanged: "1", drifted: "1" });
    const strict = await prCheck({ recordings: PR_FILES.text, "fail-on": "drifted" });
    expect(strict.failure).toBe("1 recordings changed meaningfully (fail-on: drifted)");
  });

  it("runs on a fork's pull request: it needs no secret", async () => {
    const run = await prCheck({}, { event: pullRequestEvent(true) });
    expect(run.outputs.total).toBe("6");
    expect(run.failure).toMatch(/^3 changed recordings/);
  });

  it("takes the base from the base branch when the event has no base commit", async () => {
    git(repo, "update-ref", "refs/remotes/origin/main", "main");
    const run = await prCheck({}, { event: { name: "push", payload: {} }, env: { GITHUB_BASE_REF: "main" } });
    expect(run.summary).toMatch(/^## recording-drift diff against origin\/main\n/);
    expect(run.outputs.total).toBe("6");
  });

  it("asks for the base input outside pull requests, and explains a base git does not have", async () => {
    const outside = await prCheck({}, { event: { name: "push", payload: {} } });
    expect(outside.failure).toBe("input base: required by mode pr-check outside pull_request events");
    expect(outside.outputs["pull-request-operation"]).toBe("none");
    const unknown = await prCheck({ base: "0".repeat(40) });
    expect(unknown.failure).toMatch(/fetch-depth: 0/);
  });

  it("refuses fail-on values of the replaying modes, naming the input", async () => {
    const run = await prCheck({ "fail-on": "failed" });
    expect(run.failure).toBe("input fail-on: expected one of drifted, invalid, never");
  });
});
