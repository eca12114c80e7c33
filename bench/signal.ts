// Reports within 2 s of the first signal (issue 15): the runner cancels a job with SIGINT, then
// SIGTERM 7.5 s later and SIGKILL 2.5 s after that, so whatever the action has not written by
// 10 s is lost. The bundled action (built into a temporary directory) runs `check` on two
// recordings whose requests are held open by a loopback provider (one without headers, one
// stream after its first event); once both are in flight it gets SIGINT. Measured: the time to
// the last write of the JSON report, the job summary and the outputs, and to the process's end,
// as the slowest of ROUNDS runs, against the 2 s budget and the runner's 10 s SIGKILL.
//
//   npm run bench:signal
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { interruptAction } from "../test/support/interrupted-action.ts";
import { emitResult } from "./result.ts";
import { buildTempBundle } from "./temp-bundle.ts";

const ROUNDS = 5;
const BUDGET_MS = 2000;
const SIGKILL_MS = 10_000;

const bundle = buildTempBundle();
const slowest = { exit: 0, report: 0, summary: 0, outputs: 0 };
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const workspace = mkdtempSync(path.join(os.tmpdir(), "recording-drift-signal-"));
    try {
      const run = await interruptAction([bundle.action], workspace);
      const interrupted = run.report.results.filter((r) =>
        r.reasons.includes("interrupted: the request in flight was aborted"),
      ).length;
      if (interrupted !== run.report.results.length || run.report.results.length === 0)
        throw new Error(`round ${round}: not every recording was interrupted: ${run.stdout}`);
      const { report, summary, outputs } = run.writtenMs;
      console.log(
        `round ${round}: SIGINT → report ${report.toFixed(0)} ms, job summary ${summary.toFixed(0)} ms, outputs ${outputs.toFixed(0)} ms, exit ${run.exitMs} ms (code ${run.code})`,
      );
      slowest.exit = Math.max(slowest.exit, run.exitMs);
      slowest.report = Math.max(slowest.report, report);
      slowest.summary = Math.max(slowest.summary, summary);
      slowest.outputs = Math.max(slowest.outputs, outputs);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  }
} finally {
  bundle.remove();
}
console.log(
  `slowest of ${ROUNDS}: exit ${slowest.exit} ms after SIGINT, ${(slowest.exit / BUDGET_MS).toFixed(2)} of the ${BUDGET_MS} ms budget, ${(slowest.exit / SIGKILL_MS).toFixed(2)} of the runner's ${SIGKILL_MS} ms to SIGKILL`,
);
emitResult({
  name: "SIGINT to reports written and exit (bundled action)",
  measured: `${slowest.exit} ms`,
  target: `<= ${BUDGET_MS} ms`,
  met: slowest.exit <= BUDGET_MS,
  detail: `slowest of ${ROUNDS}; report ${slowest.report.toFixed(0)} ms, summary ${slowest.summary.toFixed(0)} ms, outputs ${slowest.outputs.toFixed(0)} ms`,
});
