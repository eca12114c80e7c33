// The refresh pull request: found by its head branch, updated in place, never opened twice
// (as peter-evans/create-pull-request does), labelled, closed when a run finds nothing.
import { PULL_REQUEST_BODY_LIMIT } from "../report/report-limits.ts";
import type { GitHubClient, Repository } from "./client.ts";
import { callGitHub } from "./errors.ts";

export type PullRequestOperation = "created" | "updated" | "closed" | "none";

export interface PullRequestResult {
  /** `null` when no pull request was touched. */
  number: number | null;
  url: string | null;
  operation: PullRequestOperation;
  /** The pull request's head branch; `null` when no pull request was touched. */
  branch: string | null;
  /** The commit the branch points at after a create or update; `null` otherwise. */
  headSha: string | null;
}

/** Who and what a pull request is tagged with, as peter-evans/create-pull-request takes them. */
export interface PullRequestPeople {
  labels: string[];
  /** Users asked for a review. */
  reviewers: string[];
  /** Team slugs asked for a review (needs a token that can read the organization's teams). */
  teamReviewers: string[];
  assignees: string[];
}

export interface OpenPullRequest {
  number: number;
  url: string;
}

/**
 * A body GitHub would refuse, named before anything is written: the report is cut to the limit
 * where it is made (`formatMarkdown` with `PULL_REQUEST_BODY_LIMIT`), never sliced here.
 */
export function checkPullRequestBody(body: string): void {
  if (body.length > PULL_REQUEST_BODY_LIMIT.chars) {
    throw new Error(
      `The pull request body is ${body.length} characters, over GitHub's limit of ${PULL_REQUEST_BODY_LIMIT.chars}.`,
    );
  }
}

export async function readDefaultBranch(octokit: GitHubClient, where: Repository): Promise<string> {
  const { data } = await callGitHub("contents", `read repository ${where.owner}/${where.repo}`, () =>
    octokit.rest.repos.get({ ...where }),
  );
  return data.default_branch;
}

/** The open pull request whose head is `branch` of this repository, if any. */
export async function findOpenPullRequest(
  octokit: GitHubClient,
  where: Repository,
  branch: string,
): Promise<OpenPullRequest | null> {
  const { data } = await callGitHub("pull-requests", `look for the pull request from ${branch}`, () =>
    octokit.rest.pulls.list({ ...where, head: `${where.owner}:${branch}`, state: "open", per_page: 100 }),
  );
  const [found] = data;
  return found ? { number: found.number, url: found.html_url } : null;
}

/**
 * Updates the open pull request from `branch` (title, body, base; GitHub does not let an
 * update change `draft`) or, when there is none, opens one.
 */
export async function createOrUpdatePullRequest(
  octokit: GitHubClient,
  options: Repository & {
    branch: string;
    base: string;
    title: string;
    body: string;
    draft: boolean;
  },
): Promise<OpenPullRequest & { operation: "created" | "updated" }> {
  const { owner, repo, branch, base, title, draft, body } = options;
  const where = { owner, repo };
  const open = await findOpenPullRequest(octokit, where, branch);
  if (open) {
    await callGitHub("pull-requests", `update pull request #${open.number}`, () =>
      octokit.rest.pulls.update({ ...where, pull_number: open.number, title, body, base }),
    );
    return { ...open, operation: "updated" };
  }
  const { data } = await callGitHub("pull-requests", `open a pull request from ${branch} into ${base}`, () =>
    octokit.rest.pulls.create({ ...where, head: branch, base, title, body, draft }),
  );
  return { number: data.number, url: data.html_url, operation: "created" };
}

/**
 * Adds the labels, review requests and assignees, which are independent calls and go together.
 * Each adds to what the pull request already has, so a re-run repeats them harmlessly.
 */
export async function tagPullRequest(
  octokit: GitHubClient,
  where: Repository,
  number: number,
  people: PullRequestPeople,
): Promise<void> {
  const { labels, reviewers, teamReviewers, assignees } = people;
  await Promise.all([
    labels.length > 0 &&
      callGitHub("labels", `label pull request #${number}`, () =>
        octokit.rest.issues.addLabels({ ...where, issue_number: number, labels }),
      ),
    reviewers.length + teamReviewers.length > 0 &&
      callGitHub("pull-requests", `request reviews on pull request #${number}`, () =>
        octokit.rest.pulls.requestReviewers({
          ...where,
          pull_number: number,
          reviewers,
          team_reviewers: teamReviewers,
        }),
      ),
    assignees.length > 0 &&
      callGitHub("labels", `assign pull request #${number}`, () =>
        octokit.rest.issues.addAssignees({ ...where, issue_number: number, assignees }),
      ),
  ]);
}

export async function closePullRequest(
  octokit: GitHubClient,
  where: Repository,
  number: number,
): Promise<void> {
  await callGitHub("pull-requests", `close pull request #${number}`, () =>
    octokit.rest.pulls.update({ ...where, pull_number: number, state: "closed" }),
  );
}
