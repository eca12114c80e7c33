// Mode `publish`: the last job of a sharded refresh. The shards ran mode `refresh` with
// `shard: K/N` and uploaded their JSON reports and rewritten recordings as artifacts; this job
// downloaded them, and here they become one report (outputs, job summary, `report-json`) and
// the one pull request, created or updated exactly as an unsharded `refresh` would.
import path from "node:path";
import * as core from "@actions/core";
import { mergeReportFiles } from "../commands/merge.ts";
import { exitCodeFor, writeReportJson } from "../commands/run-replay.ts";
import { formatSummaryLine } from "../report/check-report.ts";
import type { ActionDependencies } from "./dependencies.ts";
import type { ActionInputs } from "./inputs.ts";
import type { ActionOutputs } from "./outputs.ts";
import { proposeRefresh, writeRefreshSummary } from "./propose-refresh.ts";

export async function publishShards(
  inputs: Extract<ActionInputs, { mode: "publish" }>,
  outputs: ActionOutputs,
  dependencies: ActionDependencies,
): Promise<string | null> {
  const { pullRequest: options } = inputs;
  core.setSecret(options.token);
  const report = await core.group("Merge the shards' reports", async () => {
    const merged = await mergeReportFiles(inputs.reports, inputs.workspace);
    core.info(formatSummaryLine(merged.summary));
    return merged;
  });
  await writeReportJson(inputs.reportJson, report);
  outputs.summary = report.summary;
  outputs.reportJson = inputs.reportJson;
  const filesDir = path.resolve(inputs.workspace, inputs.refreshedFiles);
  outputs.pullRequest = await proposeRefresh(report, filesDir, inputs.workspace, options, dependencies);
  await writeRefreshSummary(report, options.title, outputs.pullRequest);
  if (inputs.failOn === "never" || exitCodeFor(report, inputs.failOn) === 0) return null;
  return `${report.summary[inputs.failOn]} recordings ${inputs.failOn} (fail-on: ${inputs.failOn})`;
}
