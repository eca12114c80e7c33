// The fake's repository state, and the JSON GitHub answers about it: the fields Octokit and
// src/github read (sha, url, html_url, number, node_id, state, head.ref, base.ref...).
import type { GitCommit, GitPerson, GitStore } from "./fake-github-git.ts";

export interface FakePullRequest {
  number: number;
  state: "open" | "closed";
  title: string;
  body: string | null;
  draft: boolean;
  /** Branch names in this repository. */
  head: string;
  base: string;
  labels: string[];
  /** Users and team slugs asked for a review, and assignees, in the order added. */
  reviewers: string[];
  teamReviewers: string[];
  assignees: string[];
  createdAt: string;
  updatedAt: string;
}

export interface RepositoryState {
  owner: string;
  repo: string;
  defaultBranch: string;
  /** Where the fake listens; API and HTML urls are built on it. */
  url: string;
  git: GitStore;
  pulls: FakePullRequest[];
}

/** Who commits and opens pull requests when a workflow uses GITHUB_TOKEN. */
export const BOT: GitPerson = {
  name: "github-actions[bot]",
  email: "41898282+github-actions[bot]@users.noreply.github.com",
  date: "",
};

const nodeId = (kind: string, id: string | number) => Buffer.from(`${kind}:${id}`).toString("base64");
export const api = (s: RepositoryState, path: string) => `${s.url}/repos/${s.owner}/${s.repo}${path}`;
const html = (s: RepositoryState, path: string) => `${s.url}/${s.owner}/${s.repo}${path}`;

export function repositoryJson(s: RepositoryState) {
  return {
    id: 1,
    node_id: nodeId("Repository", 1),
    name: s.repo,
    full_name: `${s.owner}/${s.repo}`,
    owner: { login: s.owner, id: 1, type: "Organization" },
    private: false,
    default_branch: s.defaultBranch,
    url: api(s, ""),
    html_url: html(s, ""),
  };
}

export function refJson(s: RepositoryState, name: string, sha: string) {
  const object = { sha, type: "commit", url: api(s, `/git/commits/${sha}`) };
  return { ref: name, node_id: nodeId("Ref", name), url: api(s, `/git/${name}`), object };
}

export function commitJson(s: RepositoryState, c: GitCommit) {
  return {
    sha: c.sha,
    node_id: nodeId("Commit", c.sha),
    url: api(s, `/git/commits/${c.sha}`),
    html_url: html(s, `/commit/${c.sha}`),
    author: c.author,
    committer: c.committer,
    message: c.message,
    tree: { sha: c.tree, url: api(s, `/git/trees/${c.tree}`) },
    parents: c.parents.map((p) => ({
      sha: p,
      url: api(s, `/git/commits/${p}`),
      html_url: html(s, `/commit/${p}`),
    })),
    // Commits made through the API by an app token are signed by GitHub.
    verification: {
      verified: true,
      reason: "valid",
      signature: null,
      payload: null,
      verified_at: c.committer.date,
    },
  };
}

export function labelJson(name: string) {
  return { id: 1, node_id: nodeId("Label", name), name, color: "ededed", default: false, description: null };
}

export function branchJson(s: RepositoryState, branch: string) {
  const sha = s.git.resolve(branch) ?? null;
  return {
    label: `${s.owner}:${branch}`,
    ref: branch,
    sha,
    repo: repositoryJson(s),
    user: { login: s.owner },
  };
}

export function pullJson(s: RepositoryState, pr: FakePullRequest) {
  return {
    id: pr.number,
    node_id: nodeId("PullRequest", pr.number),
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    body: pr.body,
    draft: pr.draft,
    url: api(s, `/pulls/${pr.number}`),
    html_url: html(s, `/pull/${pr.number}`),
    head: branchJson(s, pr.head),
    base: branchJson(s, pr.base),
    labels: pr.labels.map(labelJson),
    requested_reviewers: pr.reviewers.map((login) => ({ login, type: "User" })),
    requested_teams: pr.teamReviewers.map((slug) => ({ slug, name: slug })),
    assignees: pr.assignees.map((login) => ({ login, type: "User" })),
    user: { login: BOT.name, type: "Bot" },
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.state === "closed" ? pr.updatedAt : null,
    merged_at: null,
    merge_commit_sha: null,
  };
}
