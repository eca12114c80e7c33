// Mode verify: the recordings in the workspace checked without any provider or token.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeRunnerFiles, runActionInProcess, stepEnvironment } from "./support/action-env.ts";
import { PASTED_TOKEN } from "./support/synthetic-pr.ts";
import { makeTempDir } from "./support/temp-dir.ts";

const EXAMPLES = path.resolve(import.meta.dirname, "../examples/recordings");
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
    expect(run.summary).toMatch(/^## recording-drift verify\n/);
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

    expect(run.failure).toBe("1 invalid recordings, 1 with credential-looking strings (see the annotations)");
    expect(run.outputs).toMatchObject({ total: "8", unchanged: "7", failed: "1" });
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
