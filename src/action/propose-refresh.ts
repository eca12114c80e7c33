// What modes `refresh` and `publish` do once they hold a report: propose the refreshed recordings
// in the one pull request (commands/publish.ts's `publishRefresh`, under a log group), then write
// the job summary with a link to it. `refresh` reads the files from the checkout it rewrote,
// `publish` from the shards' artifacts.
import * as core from "@actions/core";
import { type PullRequestOptions, publishRefresh, REPORT_PATH } from "../commands/publish.ts";
import type { PullRequestResult } from "../github/pull-request.ts";
import type { CheckReport } from "../report/check-report.ts";
import type { ActionDependencies } from "./dependencies.ts";
import { summaryMarkdown, writeJobSummary } from "./job-summary.ts";

export interface PullRequestInputs extends PullRequestOptions {
  token: string;
}

export async function proposeRefresh(
  report: CheckReport,
  filesDir: string,
  options: PullRequestInputs,
  dependencies: ActionDependencies,
): Promise<PullRequestResult> {
  const [owner, repo] = repository();
  const refreshed = report.results.filter((result) => result.refreshed).length;
  // The refreshed recordings and the report beside them.
  const files = refreshed > 0 ? refreshed + 1 : 0;
  const result = await core.group(`Publish ${files} files to ${options.branch}`, () =>
    publishRefresh({
      report,
      filesDir,
      github: dependencies.github(options.token),
      owner,
      repo,
      pullRequest: options,
    }),
  );
  core.info(
    result.operation === "none"
      ? "No pull request: nothing to refresh"
      : `Pull request ${result.operation}: ${result.url}`,
  );
  return result;
}

/** The job summary of a refresh: the report, worst first, and the pull request it made. */
export async function writeRefreshSummary(
  report: CheckReport,
  title: string,
  branch: string,
  pullRequest: PullRequestResult,
): Promise<void> {
  const link = pullRequest.url ? `\n\nPull request ${pullRequest.operation}: ${pullRequest.url}\n` : "";
  await writeJobSummary(summaryMarkdown(report, { title }) + link, `in ${REPORT_PATH} on branch ${branch}`);
}

function repository(): [string, string] {
  const [owner, repo, ...rest] = (process.env.GITHUB_REPOSITORY ?? "").split("/");
  if (!owner || !repo || rest.length > 0) {
    throw new Error(`GITHUB_REPOSITORY is "${process.env.GITHUB_REPOSITORY ?? ""}": expected owner/name`);
  }
  return [owner, repo];
}
