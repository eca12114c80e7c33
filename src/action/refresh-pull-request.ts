// Mode `refresh`: replay, rewrite the recordings the `update` policy selects, then propose them in
// one pull request from the tool's branch — created on the first run, updated after, closed (with
// close-when-clean) when a run finds nothing to refresh. Commits go through the GitHub API.
// With `shard: K/N` the job is one of a matrix: it rewrites its shard's recordings and writes
// its report, and leaves the pull request to the job that runs mode `publish` on all of them.
import * as core from "@actions/core";
import { emptyRunFailure } from "../commands/run-replay.ts";
import { formatShard } from "../commands/shard.ts";
import type { ActionDependencies } from "./dependencies.ts";
import type { ActionInputs } from "./inputs.ts";
import { writeJobSummary } from "./job-summary.ts";
import type { ActionOutputs } from "./outputs.ts";
import { proposeRefresh, writeRefreshSummary } from "./propose-refresh.ts";
import { replayFailure, replayRecordings } from "./replay-recordings.ts";

export async function refreshPullRequest(
  inputs: Extract<ActionInputs, { mode: "refresh" }>,
  outputs: ActionOutputs,
  dependencies: ActionDependencies,
): Promise<string | null> {
  const { pullRequest: options } = inputs;
  const { shard } = inputs.replay;
  core.setSecret(options.token);
  const outcome = await replayRecordings(inputs, outputs);
  const failure = replayFailure(outcome, inputs.replay);
  if (shard) {
    core.info(
      `Shard ${formatShard(shard)}: ${outcome.report.results.filter((r) => r.refreshed).length} recordings rewritten; ` +
        "the pull request is left to mode publish, which gathers every shard's report and files",
    );
  } else if (outcome.interruptedBy || emptyRunFailure(outcome.report, inputs.replay)) {
    // A run cut short, or one that could check (almost) nothing, proves nothing about the
    // recordings it did not reach: leave the pull request alone (close-when-clean would close it).
    core.info(`The pull request is left as it is: ${failure}`);
  } else {
    outputs.pullRequest = await proposeRefresh(
      outcome.report,
      inputs.workspace,
      inputs.workspace,
      options,
      dependencies,
    );
  }
  if (shard) {
    await writeJobSummary(outcome.report, {
      title: `${options.title} (shard ${formatShard(shard)})`,
      fullReport: `in the file named by the report-json output (${inputs.reportJson})`,
    });
  } else {
    await writeRefreshSummary(outcome.report, options.title, outputs.pullRequest);
  }
  return failure;
}
