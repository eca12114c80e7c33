// Modes `check` and (its first half) `refresh`: mask the providers' secrets, replay under a log
// group, and report. `check` stops there: job summary, outputs and `fail-on`.
import * as core from "@actions/core";
import type { ReplayCommandOptions } from "../commands/options.ts";
import { emptyRunFailure, exitCodeFor, type RunOutcome, runReplay } from "../commands/run-replay.ts";
import { loadConfig } from "../config.ts";
import { formatSummaryLine } from "../report/check-report.ts";
import type { ActionInputs } from "./inputs.ts";
import { writeJobSummary } from "./job-summary.ts";
import { maskProviderSecrets } from "./mask-secrets.ts";
import type { ActionOutputs } from "./outputs.ts";
import { runFileLinks } from "./report-links.ts";

type ReplayInputs = Extract<ActionInputs, { mode: "check" | "refresh" }>;

export async function replayRecordings(inputs: ReplayInputs, outputs: ActionOutputs): Promise<RunOutcome> {
  const { config } = await loadConfig({ cwd: inputs.workspace, configPath: inputs.replay.config });
  maskProviderSecrets(config, process.env);
  const outcome = await core.group(`Replay recordings (${inputs.mode})`, () =>
    runReplay(inputs.mode, inputs.replay, {
      cwd: inputs.workspace,
      env: process.env,
      log: core.info,
      warn: core.warning,
    }),
  );
  outputs.summary = outcome.report.summary;
  outputs.reportJson = inputs.reportJson;
  core.info(formatSummaryLine(outcome.report.summary));
  return outcome;
}

/**
 * Why the step fails, or null: stopped early, the run proves nothing (`fail-on-empty`), or
 * `fail-on` names a verdict the run produced.
 */
export function replayFailure(outcome: RunOutcome, options: ReplayCommandOptions): string | null {
  if (outcome.interruptedBy) return `stopped by ${outcome.interruptedBy} before every recording was replayed`;
  const empty = emptyRunFailure(outcome.report, options);
  if (empty !== null) return `${empty} (fail-on-empty)`;
  const { failOn } = options;
  if (failOn === "never" || exitCodeFor(outcome.report, failOn) === 0) return null;
  return `${outcome.report.summary[failOn]} recordings ${failOn} (fail-on: ${failOn})`;
}

export async function checkRecordings(
  inputs: Extract<ActionInputs, { mode: "check" }>,
  outputs: ActionOutputs,
): Promise<string | null> {
  const outcome = await replayRecordings(inputs, outputs);
  const links = runFileLinks(inputs.workspace, "commit");
  await writeJobSummary(outcome.report, {
    title: "recording-drift check",
    ...(links ? { links } : {}),
    fullReport: `in the file named by the report-json output (${inputs.reportJson})`,
    maxFailedShare: inputs.replay.maxFailedShare,
  });
  return replayFailure(outcome, inputs.replay);
}
