// The action interrupted as the runner cancels a job: SIGINT once each recording's request is in
// flight at a provider that never finishes answering (a chat request gets no headers, a stream
// its first event). For the test that the reports are still written, and for bench/signal.ts,
// which times it.
import { readFileSync, statSync } from "node:fs";
import type { CheckReport } from "../../src/report/check-report.ts";
import { type ActionRun, makeRunnerFiles, spawnAction, stepEnvironment } from "./action-env.ts";
import {
  copyFixtures,
  OLLAMA_CHAT,
  OLLAMA_STREAM,
  ollamaProvider,
  startHostileProvider,
} from "./hostile-provider.ts";
import { TEST_ENV } from "./simulator/replay-setup.ts";

export interface InterruptedRun extends ActionRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  report: CheckReport;
  /** Milliseconds from the SIGINT to the process's end. */
  exitMs: number;
  /** Milliseconds from the SIGINT to the last write of each file the step leaves. */
  writtenMs: { report: number; summary: number; outputs: number };
}

/** Runs `node ...entry` (the action) in `workspace` with the two fixtures, and interrupts it. */
export async function interruptAction(entry: string[], workspace: string): Promise<InterruptedRun> {
  const fixtures = [OLLAMA_CHAT, OLLAMA_STREAM];
  copyFixtures(workspace, fixtures);
  const provider = await startHostileProvider({ kind: "hold" });
  try {
    const files = makeRunnerFiles();
    const env = stepEnvironment(
      { workspace, inputs: { mode: "check", providers: ollamaProvider(provider.url) }, env: TEST_ENV },
      files,
    );
    const { child, finished } = spawnAction(entry, env, files);
    let ended = false;
    void finished.finally(() => {
      ended = true;
    });
    while (provider.requests() < fixtures.length) {
      if (ended)
        throw new Error(`the action ended before its requests were in flight: ${(await finished).stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const signalAt = Date.now();
    child.kill("SIGINT");
    const run = await finished;
    const exitMs = Date.now() - signalAt;
    const reportFile = run.outputs["report-json"];
    if (reportFile === undefined) throw new Error(`no report-json output; the step printed: ${run.stdout}`);
    const since = (file: string) => statSync(file).mtimeMs - signalAt;
    return {
      ...run,
      report: JSON.parse(readFileSync(reportFile, "utf8")) as CheckReport,
      exitMs,
      writtenMs: { report: since(reportFile), summary: since(files.summary), outputs: since(files.output) },
    };
  } finally {
    await provider.close();
  }
}
