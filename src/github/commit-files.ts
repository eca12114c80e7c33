// Commits file changes through the Git Database API (tree → commit → ref) instead of `git push`:
// GitHub signs these commits (they show as verified for GITHUB_TOKEN and App tokens) and no push
// credentials or checkout are needed. Writes are few: contents go inline in trees of about 100
// entries chained through `base_tree` (tree-chunks.ts), then one commit and one ref update, so
// N files cost ceil(N / 100) + 2 content-creating requests. The branch moves only once the
// whole tree and its commit exist: a failure part-way leaves the branch where it was.
import type { GitHubClient, Repository } from "./client.ts";
import { callGitHub, GitHubError } from "./errors.ts";
import { type FileChange, treeChunks, treeEntries } from "./tree-chunks.ts";

export interface BranchCommit {
  /** The commit the branch now points at. */
  sha: string;
  /** `unchanged` when the branch already held the same tree on the same base. */
  ref: "created" | "updated" | "unchanged";
}

/** What a commit is made of, as publishing needs it. */
export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
}

/** A branch's head commit sha, or `null` when the branch does not exist. */
export async function readBranchHead(
  octokit: GitHubClient,
  where: Repository,
  branch: string,
): Promise<string | null> {
  try {
    const { data } = await octokit.rest.git.getRef({ ...where, ref: `heads/${branch}` });
    return data.object.sha;
  } catch (error) {
    if ((error as { status?: unknown }).status === 404) return null;
    throw error;
  }
}

export async function readCommit(octokit: GitHubClient, where: Repository, sha: string): Promise<CommitInfo> {
  const { data } = await callGitHub("contents", `read commit ${sha}`, () =>
    octokit.rest.git.getCommit({ ...where, commit_sha: sha }),
  );
  return { sha, tree: data.tree.sha, parents: data.parents.map((p) => p.sha), message: data.message };
}

/**
 * The paths among `paths` that are files of `treeSha`. GitHub refuses a tree that deletes a
 * missing file, and a deletion may already be in the base (someone removed it meanwhile). When
 * GitHub's recursive listing is truncated (over 100,000 entries) every path is kept.
 */
async function presentPaths(
  octokit: GitHubClient,
  where: Repository,
  treeSha: string,
  paths: string[],
): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const { data } = await callGitHub("contents", "list the base branch's files", () =>
    octokit.rest.git.getTree({ ...where, tree_sha: treeSha, recursive: "1" }),
  );
  if (data.truncated) return new Set(paths);
  const files = new Set(data.tree.filter((e) => e.type === "blob").map((e) => e.path));
  return new Set(paths.filter((p) => files.has(p)));
}

/** Drops the deletions of files the base does not have. */
async function applicableChanges(
  octokit: GitHubClient,
  where: Repository,
  baseTree: string,
  files: readonly FileChange[],
): Promise<FileChange[]> {
  const deleted = files.filter((f) => f.content === null).map((f) => f.path);
  const present = await presentPaths(octokit, where, baseTree, deleted);
  return files.filter((f) => f.content !== null || present.has(f.path));
}

/** Why nothing was committed, and how to resume: appended to the failure that stopped it. */
function stopped(error: unknown, branch: string, head: CommitInfo | null, done: string): GitHubError {
  const where = head ? `still points at ${head.sha.slice(0, 12)}` : "was not created";
  const note =
    `Publishing stopped before the branch moved: ${done}; the branch ${branch} ${where} and the pull request is unchanged. ` +
    "To resume, re-run this job once GitHub's limit has reset (within the hour): it publishes every file again.";
  const status = error instanceof GitHubError ? error.status : null;
  const message = error instanceof Error ? error.message : String(error);
  return new GitHubError(`${message}\n${note}`, status);
}

async function createTrees(
  octokit: GitHubClient,
  where: Repository,
  baseTree: string,
  chunks: FileChange[][],
  onStop: (error: unknown, done: string) => GitHubError,
): Promise<string> {
  let tree = baseTree;
  let files = 0;
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  // Each tree builds on the one before, so the calls go one by one; the next chunk's files are
  // read while a call is under way (its failure, if any, is reported when its turn comes).
  const read = (chunk: readonly FileChange[] = []) => {
    const reading = treeEntries(chunk);
    reading.catch(() => {});
    return reading;
  };
  let next = read(chunks[0]);
  for (const [i, chunk] of chunks.entries()) {
    const base = tree;
    const reading = next;
    next = read(chunks[i + 1]);
    try {
      const entries = await reading;
      const { data } = await callGitHub("contents", `create tree ${i + 1} of ${chunks.length}`, () =>
        octokit.rest.git.createTree({ ...where, base_tree: base, tree: entries }),
      );
      tree = data.sha;
    } catch (error) {
      throw onStop(error, `${i} of ${chunks.length} trees were built (${files} of ${total} files)`);
    }
    files += chunk.length;
  }
  return tree;
}

/**
 * Commits `files` on top of `base` and points `branch` at the commit, creating the branch or
 * force-moving it from `head` (its current head commit, read by the caller, who checked that
 * the branch is the tool's). Returns `null` when the files leave the base's tree as it is.
 */
export async function commitFiles(
  octokit: GitHubClient,
  options: Repository & {
    branch: string;
    base: CommitInfo;
    head: CommitInfo | null;
    files: readonly FileChange[];
    message: string;
  },
): Promise<BranchCommit | null> {
  const { owner, repo, branch, base, head } = options;
  const where = { owner, repo };
  // Validate every file before the first write: a refusal then costs nothing.
  const chunks = treeChunks(await applicableChanges(octokit, where, base.tree, options.files));
  const onStop = (error: unknown, done: string) => stopped(error, branch, head, done);
  const tree = await createTrees(octokit, where, base.tree, chunks, onStop);
  if (tree === base.tree) return null;
  // Same content on the same base: keep the commit, so a re-run does not re-trigger CI.
  if (head && head.tree === tree && head.parents.length === 1 && head.parents[0] === base.sha) {
    return { sha: head.sha, ref: "unchanged" };
  }
  let commit: string;
  try {
    const { data } = await callGitHub("contents", "create the commit", () =>
      octokit.rest.git.createCommit({ ...where, message: options.message, tree, parents: [base.sha] }),
    );
    commit = data.sha;
  } catch (error) {
    throw onStop(error, `all ${chunks.length} trees were built but not the commit`);
  }
  try {
    if (head === null) {
      await callGitHub("contents", `create branch ${branch}`, () =>
        octokit.rest.git.createRef({ ...where, ref: `refs/heads/${branch}`, sha: commit }),
      );
      return { sha: commit, ref: "created" };
    }
    await callGitHub("contents", `update branch ${branch}`, () =>
      octokit.rest.git.updateRef({ ...where, ref: `heads/${branch}`, sha: commit, force: true }),
    );
    return { sha: commit, ref: "updated" };
  } catch (error) {
    throw onStop(error, `commit ${commit} was made but the branch not moved onto it`);
  }
}
