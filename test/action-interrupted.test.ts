// The runner cancels a job with SIGINT (then SIGTERM 7.5 s later, SIGKILL 2.5 s after that).
// With every request still in flight at a provider that never finishes answering, the action
// aborts them and still leaves its JSON report, job summary and outputs, failing the step with
// the signal named. How fast is measured by `npm run bench:signal`, not here.
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { interruptAction } from "./support/interrupted-action.ts";
import { makeTempDir } from "./support/temp-dir.ts";

const ACTION = path.resolve(import.meta.dirname, "../src/action/index.ts");
const TSX = createRequire(import.meta.url).resolve("tsx");

describe("SIGINT while the action's requests are in flight", () => {
  it("aborts them, writes the JSON report, the job summary and the outputs, and fails the step", async () => {
    const run = await interruptAction(["--import", TSX, ACTION], makeTempDir("recording-drift-sigint-"));

    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    expect(run.failure).toBe("stopped by SIGINT before every recording was replayed");
    expect(run.report.summary).toMatchObject({ total: 2, failed: 2 });
    for (const result of run.report.results)
      expect(result.reasons).toContain("interrupted: the request in flight was aborted");
    expect(run.outputs).toMatchObject({ total: "2", failed: "2" });
    expect(run.summary).toContain("recording-drift check");
    // Each was written after the signal, by the interrupted run itself.
    for (const ms of Object.values(run.writtenMs)) expect(ms).toBeGreaterThanOrEqual(0);
  });
});
