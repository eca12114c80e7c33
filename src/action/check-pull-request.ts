// Mode `pr-check`: no provider calls and no secrets. The recordings the pull request added or
// changed are verified and compared with their base versions (`recording-drift diff`), then
// reported as file annotations on the diff and as the job summary. Problems the base already
// had are notices and a line of their own: they never fail the pull request.
import * as core from "@actions/core";
import { type DiffCommandOptions, diffExitCode, diffTitle, runDiff } from "../commands/diff.ts";
import type { CheckReport } from "../report/check-report.ts";
import { logText } from "../report/untrusted-text.ts";
import {
  atBaseProblemsLine,
  failedRecordingsMessage,
  recordingsWithProblemsAtBase,
} from "../report/verify-problems.ts";
import { annotate } from "./annotations.ts";
import type { ActionInputs } from "./inputs.ts";
import { writeJobSummary } from "./job-summary.ts";
import type { ActionOutputs } from "./outputs.ts";
import { runFileLinks } from "./report-links.ts";

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
  // One report for all: the outputs, the summary table and the failure count the same results.
  outputs.summary = report.summary;
  outputs.problemsAtBase = recordingsWithProblemsAtBase(report);
  outputs.reportJson = inputs.reportJson;
  const failure = pullRequestFailure(report, diff.failOn);
  const atBase = atBaseProblemsLine(report);
  if (atBase) core.info(atBase);
  annotate(report.results, { error: failure ? 1 : 0 });
  const links = runFileLinks(inputs.workspace, "files-changed");
  await writeJobSummary(report, {
    ...diffTitle(diff.base),
    ...(links ? { links } : {}),
    fullReport: `in the file named by the report-json output (${inputs.reportJson})`,
  });
  return failure;
}

function pullRequestFailure(report: CheckReport, failOn: DiffCommandOptions["failOn"]): string | null {
  if (diffExitCode(report, failOn) === 0) return null;
  return (
    failedRecordingsMessage(report, ["fails the check", "fail the check"], { changed: true }) ??
    `${report.summary.drifted + report.summary.rejected} recordings changed meaningfully (fail-on: drifted)`
  );
}
