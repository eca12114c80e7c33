// Mode `pr-check`: no provider calls and no secrets. The recordings the pull request added or
// changed are verified and compared with their base versions (`recording-drift diff`), then
// reported as file annotations on the diff and as the job summary.
import * as core from "@actions/core";
import { diffExitCode, diffTitle, runDiff } from "../commands/diff.ts";
import { isBlocking } from "../report/check-report.ts";
import { logText } from "../report/untrusted-text.ts";
import { annotate } from "./annotations.ts";
import type { ActionInputs } from "./inputs.ts";
import { writeJobSummary } from "./job-summary.ts";
import type { ActionOutputs } from "./outputs.ts";

export async function checkPullRequest(
  inputs: Extract<ActionInputs, { mode: "pr-check" }>,
  outputs: ActionOutputs,
): Promise<string | null> {
  const { diff } = inputs;
  const report = await core.group(`Compare the changed recordings with ${diff.base}`, async () => {
    const found = await runDiff(diff, inputs.workspace);
    for (const result of found.results) core.info(`${result.verdict}: ${logText(result.file)}`);
    return found;
  });
  outputs.summary = report.summary;
  outputs.reportJson = inputs.reportJson;
  annotate(report.results);
  await writeJobSummary(report, {
    ...diffTitle(diff.base),
    fullReport: `in the file named by the report-json output (${inputs.reportJson})`,
  });
  if (diffExitCode(report, diff.failOn) === 0) return null;
  const broken = report.results.filter((r) => r.problems?.some(isBlocking)).length;
  return broken > 0
    ? `${broken} changed recordings are invalid, misnamed or hold credentials (see the annotations)`
    : `${report.summary.drifted + report.summary.rejected} recordings changed meaningfully (fail-on: drifted)`;
}
