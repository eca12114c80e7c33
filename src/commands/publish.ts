// `recording-drift publish REPORT.json ... --refreshed-files DIR --repo OWNER/NAME`: the last
// job of a sharded refresh. The shards' reports are merged, the recordings their results mark
// `refreshed: true` are read from DIR (the shards' artifacts: a tree laid out like the
// repository), and the one refresh pull request is created or updated exactly as `refresh`
// mode does it after its replay; `publishRefresh` is that shared step.
import path from "node:path";
import { z } from "zod";
import type { GitHubClient } from "../github/client.ts";
import type { FileChange } from "../github/commit-files.ts";
import { publishPullRequest } from "../github/publish-pull-request.ts";
import type { PullRequestResult } from "../github/pull-request.ts";
import { errorMessage, readText, toPosix, writeFileAtomic } from "../recording/files.ts";
import type { CheckReport } from "../report/check-report.ts";
import { formatMarkdown } from "../report/markdown.ts";
import { mergeReportFiles, ReportInputError } from "./merge.ts";
import { OptionsError, replayOptionsSchema } from "./options.ts";
import { writeReportJson } from "./run-replay.ts";

/** Where the full report goes on the branch: the pull request body may have to be cut. */
export const REPORT_PATH = ".recording-drift/report.md";
export const DEFAULT_BRANCH = "recording-drift/refresh";
export const DEFAULT_TITLE = "Refresh drifted LLM recordings";

export interface PullRequestOptions {
  /** The tool's own branch, rebuilt from the base on every run. */
  branch: string;
  /** The branch to merge into; the repository's default branch when null. */
  base: string | null;
  title: string;
  labels: string[];
  draft: boolean;
  closeWhenClean: boolean;
}

export interface PublishRefreshOptions {
  report: CheckReport;
  /** Where the refreshed recordings are, at their repository paths (the checkout, or artifacts). */
  filesDir: string;
  github: GitHubClient;
  owner: string;
  repo: string;
  pullRequest: PullRequestOptions;
}

/**
 * Commits the recordings the report marks refreshed (their bytes read from `filesDir`) and the
 * report onto the tool's branch and opens or updates its pull request; with nothing refreshed,
 * opens nothing (and closes the open one with `closeWhenClean`).
 */
export async function publishRefresh(options: PublishRefreshOptions): Promise<PullRequestResult> {
  const { pullRequest } = options;
  const body = formatMarkdown(options.report, { title: pullRequest.title });
  const files = await refreshedFiles(options.report, options.filesDir);
  if (files.length > 0) files.push({ path: REPORT_PATH, content: body });
  return publishPullRequest({
    octokit: options.github,
    owner: options.owner,
    repo: options.repo,
    base: pullRequest.base ?? undefined,
    branch: pullRequest.branch,
    title: pullRequest.title,
    body,
    labels: pullRequest.labels,
    draft: pullRequest.draft,
    files,
    commitMessage: pullRequest.title,
    closeWhenClean: pullRequest.closeWhenClean,
    reportPath: `${REPORT_PATH} on branch ${pullRequest.branch}`,
  });
}

/** The refreshed recordings' bytes, by repository path (results name files from the repository root). */
export async function refreshedFiles(report: CheckReport, filesDir: string): Promise<FileChange[]> {
  const root = path.resolve(filesDir);
  const files: FileChange[] = [];
  for (const result of report.results) {
    if (!result.refreshed) continue;
    const file = path.resolve(root, result.file);
    const relative = toPosix(path.relative(root, file));
    if (path.isAbsolute(result.file) || relative.startsWith("../") || relative === "..") {
      throw new ReportInputError(
        `${result.file} is outside ${filesDir}: a refreshed file must be a repository path`,
      );
    }
    let content: string;
    try {
      content = await readText(file);
    } catch (error) {
      throw new ReportInputError(
        `${result.file} is refreshed in the report but cannot be read from ${filesDir}: ${errorMessage(error)}`,
      );
    }
    files.push({ path: relative, content });
  }
  return files;
}

const shared = replayOptionsSchema.shape;
const publishOptionsSchema = z.object({
  reports: z.array(z.string()).min(1, "publish: expected one or more REPORT.json files"),
  refreshedFiles: z
    .string({ error: "--refreshed-files: expected the directory holding the refreshed recordings" })
    .min(1, "--refreshed-files: expected the directory holding the refreshed recordings"),
  repo: z
    .string({ error: "--repo: expected OWNER/NAME (or set GITHUB_REPOSITORY)" })
    .regex(/^[\w.-]+\/[\w.-]+$/, "--repo: expected OWNER/NAME (or set GITHUB_REPOSITORY)"),
  token: z
    .string({ error: "--token: required (or set GITHUB_TOKEN)" })
    .min(1, "--token: required (or set GITHUB_TOKEN)"),
  branch: z.string().min(1, "--branch: expected a branch name").default(DEFAULT_BRANCH),
  base: z.string().min(1, "--base: expected a branch name").nullable().default(null),
  title: z.string().min(1, "--title: expected a title").default(DEFAULT_TITLE),
  labels: z.array(z.string()).default([]),
  draft: z.boolean().default(false),
  closeWhenClean: z.boolean().default(false),
  json: shared.json,
  markdown: shared.markdown,
  failOn: shared.failOn,
});

export type PublishCommandOptions = z.output<typeof publishOptionsSchema>;

export function parsePublishOptions(raw: Record<string, unknown>): PublishCommandOptions {
  const result = publishOptionsSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new OptionsError(result.error.issues.map((i) => i.message).join("\n"));
}

export interface PublishOutcome {
  report: CheckReport;
  pullRequest: PullRequestResult;
}

/** `publish`: merge the reports, write them (`--json`, `--markdown`), then publish the refresh. */
export async function runPublish(
  options: PublishCommandOptions,
  context: { cwd: string; github: (token: string) => GitHubClient },
): Promise<PublishOutcome> {
  const report = await mergeReportFiles(options.reports, context.cwd);
  if (options.json) await writeReportJson(path.resolve(context.cwd, options.json), report);
  if (options.markdown) {
    const markdown = formatMarkdown(report, { title: options.title });
    await writeFileAtomic(path.resolve(context.cwd, options.markdown), markdown);
  }
  const [owner, repo] = options.repo.split("/") as [string, string];
  const pullRequest = await publishRefresh({
    report,
    filesDir: path.resolve(context.cwd, options.refreshedFiles),
    github: context.github(options.token),
    owner,
    repo,
    pullRequest: options,
  });
  return { report, pullRequest };
}
