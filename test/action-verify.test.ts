// Mode verify: the recordings in the workspace checked without any provider or token.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeRunnerFiles, runActionInProcess, stepEnvironment } from "./support/action-env.ts";
import { summaryTableCounts } from "./support/summary-counts.ts";
import { PASTED_TOKEN } from "./support/synthetic-pr.ts";
import { makeTempDir } from "./support/temp-dir.ts";

const EXAMPLES = path.resolve(import.meta.dirname, "../examples/recordings");
/** Twelve real recordings of the llama-stack corpus whose name is not their request's hash. */
const MISNAMED = path.resolve(import.meta.dirname, "fixtures/misnamed/tests");
const files = makeRunnerFiles();

function workspaceWithExamples(): string {
  const workspace = makeTempDir("recording-drift-verify-");
  cpSync(EXAMPLES, path.join(workspace, "tests/recordings"), { recursive: true });
  return workspace;
}

const verifyIn = (workspace: string, inputs: Record<string, string> = {}) =>
  runActionInProcess(stepEnvironment({ workspace, inputs: { mode: "verify", ...inputs } }, files), files);

describe("mode verify", () => {
  it("passes on valid recordings, counting them as unchanged, and writes verify's JSON report", async () => {
    const run = await verifyIn(workspaceWithExamples());
    expect(run.failure).toBeNull();
    expect(run.outputs).toMatchObject({
      total: "7",
      unchanged: "7",
      failed: "0",
      "pull-request-operation": "none",
    });
    const report = JSON.parse(readFileSync(run.outputs["report-json"] as string, "utf8"));
    expect(report.summary).toMatchObject({ total: 7, valid: 7, invalid: 0, hashMismatch: 0, withSecrets: 0 });
    expect(run.summary).toMatch(/^## recording-drift verify\n\n✅ \*\*Every recording valid\*\* · 7 valid\n/);
    expect(run.annotations).toEqual([]);
  });

  it("fails on an invalid file and a pasted credential, annotating each on its line", async () => {
    const workspace = workspaceWithExamples();
    const dir = path.join(workspace, "tests/recordings");
    writeFileSync(path.join(dir, "broken.json"), '{\n  "test_id": "x",\n  "request": {\n');
    const withKey = path.join(dir, "224f7e7bd332f0ada326039866d13b7f167d5bfa91ce752022010f1e885d869f.json");
    writeFileSync(withKey, readFileSync(withKey, "utf8").replace("Saturn.", `Saturn. ${PASTED_TOKEN}`));
    const line =
      readFileSync(withKey, "utf8")
        .split("\n")
        .findIndex((l) => l.includes(PASTED_TOKEN)) + 1;

    const run = await verifyIn(workspace);

    expect(run.failure).toBe(
      "2 recordings fail verification: 1 with credential-looking strings, 1 invalid (see the annotations and the job summary)",
    );
    expect(run.outputs).toMatchObject({ total: "8", unchanged: "6", failed: "2" });
    expect(run.annotations.map(({ level, file, line }) => ({ level, file, line }))).toEqual([
      {
        level: "error",
        file: "tests/recordings/224f7e7bd332f0ada326039866d13b7f167d5bfa91ce752022010f1e885d869f.json",
        line,
      },
      { level: "error", file: "tests/recordings/broken.json", line: 4 },
    ]);
    expect(run.stdout + run.summary).not.toContain(PASTED_TOKEN);
  });

  it("fails on misnamed and invalid files: status, outputs, table and annotations agree, the rest counted", async () => {
    const workspace = workspaceWithExamples();
    cpSync(MISNAMED, path.join(workspace, "tests"), { recursive: true });
    for (const name of ["cut.json", "empty.json", "text.json"]) {
      writeFileSync(
        path.join(workspace, "tests/recordings", name),
        name === "empty.json" ? "" : "{\n  oops\n",
      );
    }

    const run = await verifyIn(workspace);

    expect(run.failure).toBe(
      "15 recordings fail verification: 12 misnamed, 3 invalid (see the annotations and the job summary)",
    );
    const counts = { total: 22, unchanged: 7, failed: 15 };
    expect(run.outputs).toMatchObject({ total: "22", unchanged: "7", failed: "15" });
    expect(summaryTableCounts(run.summary)).toMatchObject(counts);
    expect(run.summary).toContain("❌ **15 recordings broken or unsafe: f\u200Dix them** · 7 valid");
    const json = JSON.parse(readFileSync(run.outputs["report-json"] as string, "utf8"));
    expect(json.summary).toMatchObject({ total: 22, invalid: 3, hashMismatch: 12, failed: 15 });
    // 10 errors a step: the failure message, 8 on files (the invalid first), one for the rest.
    const onFiles = run.annotations.filter((a) => a.level === "error");
    expect(
      onFiles.map((a) => /^invalid recording|^the file name is not the request's hash/.exec(a.message)?.[0]),
    ).toEqual([
      ...Array(3).fill("invalid recording"),
      ...Array(5).fill("the file name is not the request's hash"),
    ]);
    const errors = run.stdout.split("\n").filter((line) => line.startsWith("::error"));
    expect(errors).toHaveLength(10);
    expect(errors).toContain("::error::7 more errors not annotated: 7 misnamed — see the job summary");
  });

  it("reads the recordings input, one path per line, from the workspace", async () => {
    const workspace = workspaceWithExamples();
    mkdirSync(path.join(workspace, "other"));
    const run = await verifyIn(workspace, {
      recordings:
        "tests/recordings/224f7e7bd332f0ada326039866d13b7f167d5bfa91ce752022010f1e885d869f.json\n\ntests/recordings/28a43dc80443ccae98eee165c58522090fd6f0637031153b0105399093d39c52.json\n",
    });
    expect(run.outputs.total).toBe("2");
  });

  it("fails when no recording is found", async () => {
    const run = await verifyIn(makeTempDir("recording-drift-empty-"));
    expect(run.failure).toBe("no recordings found");
    expect(run.outputs.total).toBe("0");
  });
});
