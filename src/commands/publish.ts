// `recording-drift publish REPORT.json ... --refreshed-files DIR --repo OWNER/NAME`: the last
// job of a sharded refresh. The shards' reports are merged, the recordings their results mark
// `refreshed: true` are read from DIR (the shards' artifacts: a tree laid out like the
// repository), those renamed or removed are deleted, and the one refresh pull request is
// created or updated exactly as `refresh` mode does it after its replay; `publishRefresh` is
// that shared step.
import path from "node:path";
import { z } from "zod";
import type { GitHubClient } from "../github/client.ts";
import { publishPullRequest } from "../github/publish-pull-request.ts";
import type { PullRequestPeople, PullRequestResult } from "../github/pull-request.ts";
import { writeFileAtomic } from "../recording/files.ts";
import type { CheckReport } from "../report/check-report.ts";
import { formatMarkdown } from "../report/markdown.ts";
import { type MadeBy, pullRequestIntro } from "../report/pull-request-intro.ts";
import type { FileLinks } from "../report/recording-detail.ts";
import { PULL_REQUEST_BODY_LIMIT } from "../report/report-limits.ts";
import { mergeReportFiles } from "./merge.ts";
import { OptionsError, replayOptionsSchema } from "./options.ts";
import { refreshedChanges } from "./refreshed-changes.ts";
import { writeReportJson } from "./run-replay.ts";

export const DEFAULT_BRANCH = "recording-drift/refresh";
export const DEFAULT_TITLE = "Refresh drifted LLM recordings";

export interface PullRequestOptions extends PullRequestPeople {
  /** The tool's own branch, rebuilt from the base on every run. */
  branch: string;
  /** The branch to merge into; the repository's default branch when null. */
  base: string | null;
  title: string;
  draft: boolean;
  closeWhenClean: boolean;
}

export interface PublishRefreshOptions {
  report: CheckReport;
  /** Where the refreshed recordings are, at their repository paths (the checkout, or artifacts). */
  filesDir: string;
  /** The recordings' paths, directories or globs: only files under them are committed. */
  recordings: readonly string[];
  github: GitHubClient;
  owner: string;
  repo: string;
  pullRequest: PullRequestOptions;
  /** Where the full report is (job summary, artifact, file), named when the body must be cut. */
  reportLocation?: string;
  /** Where a reviewer reads each recording (the refresh branch's files), linked from its heading. */
  links?: FileLinks;
  /** The workflow run that made the refresh, named in the body's intro. */
  runUrl?: string;
}

/** The refresh pull request's body: the intro, then the report, cut to GitHub's limit. */
export function pullRequestBody(
  report: CheckReport,
  made: MadeBy,
  fullReport?: string,
  links?: FileLinks,
): string {
  return formatMarkdown(report, {
    title: null,
    ...(links ? { links } : {}),
    intro: pullRequestIntro(report, made),
    merging: true,
    limit: PULL_REQUEST_BODY_LIMIT,
    ...(fullReport ? { fullReport } : {}),
  });
}

/**
 * Commits the recordings the report marks refreshed (their bytes read from `filesDir`) and the
 * deletions of renamed and removed ones onto the tool's branch, and opens or updates its pull
 * request with the report as its body; with nothing changed, opens nothing (and closes the open
 * one with `closeWhenClean`). The report itself is never committed: merged, it would put a
 * report into the base branch that every later refresh rewrites.
 */
export async function publishRefresh(options: PublishRefreshOptions): Promise<PullRequestResult> {
  const { pullRequest } = options;
  const made = {
    date: new Date().toISOString().slice(0, 10),
    ...(options.runUrl ? { runUrl: options.runUrl } : {}),
  };
  const body = pullRequestBody(options.report, made, options.reportLocation, options.links);
  const files = await refreshedChanges(options.report, options.filesDir, options.recordings);
  return publishPullRequest({
    ...pullRequest,
    octokit: options.github,
    owner: options.owner,
    repo: options.repo,
    base: pullRequest.base ?? undefined,
    body,
    files,
    commitMessage: pullRequest.title,
  });
}

/**
 * Names separated by commas or newlines (or already a list), as create-pull-request reads its
 * `labels`, `reviewers`, `team-reviewers` and `assignees`: blanks dropped.
 */
export const nameList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) =>
    (Array.isArray(value) ? value : (value ?? "").split(/[,\n]/)).map((name) => name.trim()).filter(Boolean),
  );

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
  labels: nameList,
  reviewers: nameList,
  teamReviewers: nameList,
  assignees: nameList,
  /** The recordings' paths, directories or globs; the default pattern when empty. */
  recordings: z.array(z.string()).default([]),
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
    recordings: options.recordings,
    github: context.github(options.token),
    owner,
    repo,
    pullRequest: options,
    ...(options.markdown ? { reportLocation: options.markdown } : {}),
  });
  return { report, pullRequest };
}
