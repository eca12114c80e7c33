// Mode `refresh`: replay, rewrite the recordings the `update` policy selects, then propose them in
// one pull request from the tool's branch — created on the first run, updated after, closed (with
// close-when-clean) when a run finds nothing to refresh. Commits go through the GitHub API.
import path from "node:path";
import * as core from "@actions/core";
import type { FileChange } from "../github/commit-files.ts";
import { publishPullRequest } from "../github/publish-pull-request.ts";
import { readText, toPosix } from "../recording/files.ts";
import type { CheckReport } from "../report/check-report.ts";
import { formatMarkdown } from "../report/markdown.ts";
import type { ActionDependencies } from "./dependencies.ts";
import type { ActionInputs } from "./inputs.ts";
import { summaryMarkdown, writeJobSummary } from "./job-summary.ts";
import type { ActionOutputs } from "./outputs.ts";
import { replayFailure, replayRecordings } from "./replay-recordings.ts";

/** Where the full report goes on the branch: the pull request body may have to be cut. */
const REPORT_PATH = ".recording-drift/report.md";

export async function refreshPullRequest(
  inputs: Extract<ActionInputs, { mode: "refresh" }>,
  outputs: ActionOutputs,
  dependencies: ActionDependencies,
): Promise<string | null> {
  const { pullRequest: options } = inputs;
  core.setSecret(options.token);
  const outcome = await replayRecordings(inputs, outputs);
  const report = formatMarkdown(outcome.report, { title: options.title });
  // A run cut short proves nothing about the recordings it did not reach: leave the PR alone.
  if (!outcome.interruptedBy) {
    const files = await refreshedFiles(outcome.report, inputs.workspace);
    if (files.length > 0) files.push({ path: REPORT_PATH, content: report });
    const [owner, repo] = repository();
    outputs.pullRequest = await core.group(`Publish ${files.length} files to ${options.branch}`, () =>
      publishPullRequest({
        octokit: dependencies.github(options.token),
        owner,
        repo,
        base: options.base ?? undefined,
        branch: options.branch,
        title: options.title,
        body: report,
        labels: options.labels,
        draft: options.draft,
        files,
        commitMessage: options.title,
        closeWhenClean: options.closeWhenClean,
        reportPath: `${REPORT_PATH} on branch ${options.branch}`,
      }),
    );
    const { operation, url } = outputs.pullRequest;
    core.info(
      operation === "none" ? "No pull request: nothing to refresh" : `Pull request ${operation}: ${url}`,
    );
  }
  const link = outputs.pullRequest.url
    ? `\n\nPull request ${outputs.pullRequest.operation}: ${outputs.pullRequest.url}\n`
    : "";
  await writeJobSummary(
    summaryMarkdown(outcome.report, { title: options.title }) + link,
    `in ${REPORT_PATH} on branch ${options.branch}`,
  );
  return replayFailure(outcome, inputs.replay.failOn);
}

/** The rewritten recordings' bytes, by path from the repository root (the workspace). */
async function refreshedFiles(report: CheckReport, workspace: string): Promise<FileChange[]> {
  const files: FileChange[] = [];
  for (const result of report.results) {
    if (!result.refreshed) continue;
    const file = path.resolve(workspace, result.file);
    const relative = toPosix(path.relative(workspace, file));
    if (relative.startsWith("../"))
      throw new Error(`${result.file} is outside the repository checkout (${workspace})`);
    files.push({ path: relative, content: await readText(file) });
  }
  return files;
}

function repository(): [string, string] {
  const [owner, repo, ...rest] = (process.env.GITHUB_REPOSITORY ?? "").split("/");
  if (!owner || !repo || rest.length > 0) {
    throw new Error(`GITHUB_REPOSITORY is "${process.env.GITHUB_REPOSITORY ?? ""}": expected owner/name`);
  }
  return [owner, repo];
}
