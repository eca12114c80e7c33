// The whole refresh-PR flow in one call: commit the refreshed recordings onto the tool's
// branch, rebuilt from the head of the base branch, then open or update its pull request —
// or, when there is nothing to refresh, close it if asked to.
import type { GitHubClient } from "./client.ts";
import { commitFiles, type FileChange, readBranchHead } from "./commit-files.ts";
import { callGitHub } from "./errors.ts";
import {
  addPullRequestLabels,
  closePullRequest,
  createOrUpdatePullRequest,
  findOpenPullRequest,
  type PullRequestResult,
  readDefaultBranch,
} from "./pull-request.ts";

export interface PublishPullRequestOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /** Branch the pull request merges into; the repository's default branch when unset. */
  base?: string;
  /** The tool's own branch: rebuilt on every run, so never a branch people work on. */
  branch: string;
  title: string;
  body: string;
  labels: string[];
  draft: boolean;
  /** The refreshed recordings; empty when the run found nothing to refresh. */
  files: FileChange[];
  commitMessage: string;
  /** Close the open pull request when there is nothing to refresh. */
  closeWhenClean: boolean;
  /** Where the full report is, named in the body when it has to be cut. */
  reportPath?: string;
}

const nothing = (): PullRequestResult => ({ number: null, url: null, operation: "none" });

async function closeIfClean(options: PublishPullRequestOptions): Promise<PullRequestResult> {
  if (!options.closeWhenClean) return nothing();
  const where = { owner: options.owner, repo: options.repo };
  const open = await findOpenPullRequest(options.octokit, where, options.branch);
  if (!open) return nothing();
  await closePullRequest(options.octokit, where, open.number);
  return { ...open, operation: "closed" };
}

export async function publishPullRequest(options: PublishPullRequestOptions): Promise<PullRequestResult> {
  const { octokit, owner, repo, branch } = options;
  const where = { owner, repo };
  if (options.files.length === 0) return closeIfClean(options);

  const base = options.base ?? (await readDefaultBranch(octokit, where));
  // The branch is force-moved on every run: pointed at the base, it would rewrite the base.
  if (branch === base) {
    throw new Error(`The pull request branch "${branch}" must differ from its base branch.`);
  }
  const baseSha = await callGitHub("contents", `read branch ${base}`, () =>
    readBranchHead(octokit, where, base),
  );
  if (baseSha === null) throw new Error(`The base branch "${base}" does not exist in ${owner}/${repo}.`);

  const message = options.commitMessage;
  const commit = await commitFiles(octokit, { ...where, branch, baseSha, files: options.files, message });
  // The files match the base already (someone merged the same refresh): nothing to propose.
  if (commit === null) return closeIfClean(options);

  const result = await createOrUpdatePullRequest(octokit, {
    ...where,
    branch,
    base,
    title: options.title,
    body: options.body,
    draft: options.draft,
    reportLocation: options.reportPath,
  });
  await addPullRequestLabels(octokit, where, result.number, options.labels);
  return result;
}
