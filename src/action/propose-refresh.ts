// What modes `refresh` and `publish` do once they hold a report: propose the refreshed recordings
// in the one pull request (commands/publish.ts's `publishRefresh`, under a log group), then write
// the job summary with a link to it. `refresh` reads the files from the checkout it rewrote,
// `publish` from the shards' artifacts. The report goes to the pull request body, the job
// summary and this log, never into the repository.
import { randomUUID } from "node:crypto";
import * as core from "@actions/core";
import { type PullRequestOptions, publishRefresh } from "../commands/publish.ts";
import type { PullRequestResult } from "../github/pull-request.ts";
import type { CheckReport } from "../report/check-report.ts";
import { formatMarkdown } from "../report/markdown.ts";
import { paragraph, text } from "../report/report-section.ts";
import type { ActionDependencies } from "./dependencies.ts";
import { writeJobSummary } from "./job-summary.ts";
import { branchFileLinks } from "./report-links.ts";

export interface PullRequestInputs extends PullRequestOptions {
  token: string;
  /** The `recordings` input: only files under it are committed. */
  recordings: string[];
}

/** Where the whole report is when the pull request body or the job summary had to be cut. */
export const FULL_REPORT = 'in the log of this workflow run (group "Full report")';

/** `workspace`: the directory the report's paths are relative to. */
export async function proposeRefresh(
  report: CheckReport,
  filesDir: string,
  workspace: string,
  options: PullRequestInputs,
  dependencies: ActionDependencies,
): Promise<PullRequestResult> {
  const [owner, repo] = repository();
  const links = branchFileLinks(workspace, options.branch);
  const changed = report.results.filter((r) => r.refreshed || r.removed || r.renamedFrom).length;
  const result = await core.group(`Publish ${changed} changed recordings to ${options.branch}`, () =>
    publishRefresh({
      report,
      filesDir,
      recordings: options.recordings,
      github: dependencies.github(options.token),
      owner,
      repo,
      pullRequest: options,
      reportLocation: FULL_REPORT,
      ...(links ? { links } : {}),
      ...runUrl(),
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
  pullRequest: PullRequestResult,
): Promise<void> {
  const markdown = formatMarkdown(report, { title });
  core.startGroup("Full report");
  // The report quotes provider answers: a line of it must not run as a workflow command.
  const resume = randomUUID();
  core.info(`::stop-commands::${resume}`);
  core.info(markdown);
  core.info(`::${resume}::`);
  core.endGroup();
  const link = pullRequest.url
    ? [
        paragraph(text(`Pull request ${pullRequest.operation}: `), {
          type: "link" as const,
          url: pullRequest.url,
          children: [text(pullRequest.url)],
        }),
      ]
    : [];
  await writeJobSummary(report, { title, intro: link, fullReport: FULL_REPORT });
}

/** This workflow run's page, from the variables every Actions job has. */
function runUrl(): { runUrl?: string } {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run } = process.env;
  return server && repository && run ? { runUrl: `${server}/${repository}/actions/runs/${run}` } : {};
}

function repository(): [string, string] {
  const [owner, repo, ...rest] = (process.env.GITHUB_REPOSITORY ?? "").split("/");
  if (!owner || !repo || rest.length > 0) {
    throw new Error(`GITHUB_REPOSITORY is "${process.env.GITHUB_REPOSITORY ?? ""}": expected owner/name`);
  }
  return [owner, repo];
}
