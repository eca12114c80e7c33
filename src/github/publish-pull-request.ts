// The whole refresh-PR flow in one call: commit the refreshed recordings onto the tool's
// branch, rebuilt from the head of the base branch, then open or update its pull request —
// or, when there is nothing to refresh, close it if asked to.
import { guardRefreshBranch, withRefreshTrailer } from "./branch-guard.ts";
import type { GitHubClient } from "./client.ts";
import { type CommitInfo, commitFiles, readBranchHead, readCommit } from "./commit-files.ts";
import { callGitHub } from "./errors.ts";
import {
  checkPullRequestBody,
  closePullRequest,
  createOrUpdatePullRequest,
  findOpenPullRequest,
  type PullRequestPeople,
  type PullRequestResult,
  readDefaultBranch,
  tagPullRequest,
} from "./pull-request.ts";
import type { FileChange } from "./tree-chunks.ts";

export interface PublishPullRequestOptions extends PullRequestPeople {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /** Branch the pull request merges into; the repository's default branch when unset. */
  base?: string;
  /** The tool's own branch: rebuilt on every run, so never a branch people work on. */
  branch: string;
  title: string;
  body: string;
  draft: boolean;
  /** The refreshed recordings (`content: null` deletes); empty when nothing was refreshed. */
  files: FileChange[];
  commitMessage: string;
  /** Close the open pull request when there is nothing to refresh. */
  closeWhenClean: boolean;
}

const nothing = (): PullRequestResult => ({
  number: null,
  url: null,
  operation: "none",
  branch: null,
  headSha: null,
});

async function closeIfClean(options: PublishPullRequestOptions): Promise<PullRequestResult> {
  if (!options.closeWhenClean) return nothing();
  const where = { owner: options.owner, repo: options.repo };
  const open = await findOpenPullRequest(options.octokit, where, options.branch);
  if (!open) return nothing();
  await closePullRequest(options.octokit, where, open.number);
  return { ...open, operation: "closed", branch: options.branch, headSha: null };
}

async function readHead(options: PublishPullRequestOptions, branch: string): Promise<CommitInfo | null> {
  const where = { owner: options.owner, repo: options.repo };
  const sha = await callGitHub("contents", `read branch ${branch}`, () =>
    readBranchHead(options.octokit, where, branch),
  );
  return sha === null ? null : readCommit(options.octokit, where, sha);
}

export async function publishPullRequest(options: PublishPullRequestOptions): Promise<PullRequestResult> {
  const { octokit, owner, repo, branch } = options;
  const where = { owner, repo };
  if (options.files.length === 0) return closeIfClean(options);
  checkPullRequestBody(options.body);

  // Reads first, at once (reads are not paced): nothing is written before the branch is known
  // to be the tool's.
  const [defaultBranch, head, givenBase] = await Promise.all([
    readDefaultBranch(octokit, where),
    readHead(options, branch),
    options.base === undefined ? null : readHead(options, options.base),
  ]);
  const base = options.base ?? defaultBranch;
  const baseHead = options.base === undefined ? await readHead(options, base) : givenBase;
  if (baseHead === null) throw new Error(`The base branch "${base}" does not exist in ${owner}/${repo}.`);
  guardRefreshBranch({ branch, base, defaultBranch, head });

  const message = withRefreshTrailer(options.commitMessage);
  const commit = await commitFiles(octokit, {
    ...where,
    branch,
    base: baseHead,
    head,
    files: options.files,
    message,
  });
  // The files match the base already (someone merged the same refresh): nothing to propose.
  if (commit === null) return closeIfClean(options);

  const result = await createOrUpdatePullRequest(octokit, {
    ...where,
    branch,
    base,
    title: options.title,
    body: options.body,
    draft: options.draft,
  });
  await tagPullRequest(octokit, where, result.number, options);
  return { ...result, branch, headSha: commit.sha };
}
