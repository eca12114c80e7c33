// The action's outputs, gathered while a mode runs and written once at the end, so every output
// is set on every run (zeros and `none` for what a mode does not produce), even a failed one.
import * as core from "@actions/core";
import type { PullRequestResult } from "../github/pull-request.ts";
import { type CheckSummary, summarize } from "../report/check-report.ts";

export interface ActionOutputs {
  summary: CheckSummary;
  /** pr-check: recordings with problems the base already had (reported, not in `failed`). */
  problemsAtBase: number;
  /** Path of the JSON report, or "" when none was written. */
  reportJson: string;
  pullRequest: PullRequestResult;
}

export function emptyOutputs(): ActionOutputs {
  return {
    summary: summarize([]),
    problemsAtBase: 0,
    reportJson: "",
    pullRequest: { number: null, url: null, operation: "none", branch: null, headSha: null },
  };
}

export function writeOutputs(outputs: ActionOutputs): void {
  for (const [name, value] of Object.entries(outputs.summary)) core.setOutput(name, value);
  core.setOutput("problems-at-base", outputs.problemsAtBase);
  core.setOutput("report-json", outputs.reportJson);
  core.setOutput("pull-request-number", outputs.pullRequest.number ?? "");
  core.setOutput("pull-request-url", outputs.pullRequest.url ?? "");
  core.setOutput("pull-request-operation", outputs.pullRequest.operation);
  core.setOutput("pull-request-branch", outputs.pullRequest.branch ?? "");
  core.setOutput("pull-request-head-sha", outputs.pullRequest.headSha ?? "");
}
