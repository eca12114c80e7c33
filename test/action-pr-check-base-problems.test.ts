// Mode pr-check on a pull request that touches recordings which were already broken at its base
// (a real misnamed recording, an invalid file): the problems are reported as notices and in a
// line of their own, and the pull request, which did not cause them, passes.
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeRunnerFiles, runActionInProcess, stepEnvironment } from "./support/action-env.ts";
import { summaryTableCounts } from "./support/summary-counts.ts";
import { git } from "./support/synthetic-pr.ts";
import { makeTempDir } from "./support/temp-dir.ts";

const RECORDINGS = "tests/integration/inference/recordings";
const MISNAMED = `${RECORDINGS}/models-9beac41c66cbe8568bb72b5ba0f5608597ef8a14b42585c22b1e7c45526537c1-fb68f5a6.json`;
const INVALID = `${RECORDINGS}/broken.json`;

/** main: the two broken files; the branch: new timestamps in one, another test id in the other. */
function repositoryWithBrokenBase(): string {
  const repo = makeTempDir("recording-drift-base-problems-");
  git(repo, "init", "--quiet", "--initial-branch=main");
  cpSync(path.resolve(import.meta.dirname, "fixtures/misnamed/tests"), path.join(repo, "tests"), {
    recursive: true,
  });
  writeFileSync(path.join(repo, INVALID), '{\n  "test_id": "x",\n');
  git(repo, "add", ".");
  git(repo, "commit", "--quiet", "-m", "recordings");
  git(repo, "checkout", "--quiet", "-b", "feature");
  const misnamed = path.join(repo, MISNAMED);
  writeFileSync(
    misnamed,
    readFileSync(misnamed, "utf8").replaceAll('"created": 1762375065', '"created": 1762999999'),
  );
  writeFileSync(path.join(repo, INVALID), '{\n  "test_id": "y",\n');
  git(repo, "commit", "--quiet", "-am", "touch the broken recordings");
  return repo;
}

describe("mode pr-check on problems the base already had", () => {
  it("reports them as notices and on a line of their own, and passes", async () => {
    const files = makeRunnerFiles();
    const workspace = repositoryWithBrokenBase();
    const env = stepEnvironment({ workspace, inputs: { mode: "pr-check", base: "main" } }, files);

    const run = await runActionInProcess(env, files);

    expect(run.failure).toBeNull();
    expect(run.outputs).toMatchObject({ total: "2", skipped: "1", failed: "0", "problems-at-base": "2" });
    // The table shows only the verdicts that occur: no failed column.
    expect(summaryTableCounts(run.summary)).toEqual({ total: 2, skipped: 1, unchanged: 1 });
    expect(run.annotations.map(({ level, file }) => ({ level, file }))).toEqual([
      { level: "notice", file: INVALID },
      { level: "notice", file: MISNAMED },
    ]);
    for (const annotation of run.annotations) expect(annotation.message).toMatch(/^already at the base: /);
    expect(run.stdout).toContain(
      "2 recordings have problems the base already had (notices; they do not fail this pull request): " +
        "1 invalid, 1 misnamed\n",
    );
  });
});
