// Commits file changes through the Git Database API (blob → tree → commit → ref) instead of
// `git push`: GitHub signs these commits (they show as verified) and no push credentials or
// checkout are needed.
import type { GitHubClient, Repository } from "./client.ts";
import { callGitHub } from "./errors.ts";

export interface FileChange {
  /** Repository-relative path with `/` separators, e.g. `tests/integration/recordings/a.json`. */
  path: string;
  /** The new content; `null` deletes the file. */
  content: string | null;
}

export interface BranchCommit {
  /** The commit the branch now points at. */
  sha: string;
  /** `unchanged` when the branch already held the same tree on the same base. */
  ref: "created" | "updated" | "unchanged";
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

async function readCommit(octokit: GitHubClient, where: Repository, sha: string) {
  const { data } = await callGitHub("contents", `read commit ${sha}`, () =>
    octokit.rest.git.getCommit({ ...where, commit_sha: sha }),
  );
  return { tree: data.tree.sha, parents: data.parents.map((p) => p.sha) };
}

/** One tree entry per change; contents go up as base64 blobs so every byte arrives as is. */
async function treeEntries(octokit: GitHubClient, where: Repository, files: FileChange[]) {
  const entries = [];
  for (const file of files) {
    // Recordings are plain files: mode 100644 whether added, changed or deleted.
    const entry = { path: file.path, mode: "100644" as const, type: "blob" as const };
    if (file.content === null) {
      entries.push({ ...entry, sha: null });
      continue;
    }
    const content = Buffer.from(file.content, "utf8").toString("base64");
    const { data } = await callGitHub("contents", `upload ${file.path}`, () =>
      octokit.rest.git.createBlob({ ...where, content, encoding: "base64" }),
    );
    entries.push({ ...entry, sha: data.sha });
  }
  return entries;
}

/**
 * Commits `files` on top of `baseSha` and points `branch` at the commit, creating the branch or
 * force-moving it (the branch belongs to this tool and is rebuilt from the base on every run).
 * Returns `null` when the files leave the base's tree as it is: there is nothing to commit.
 */
export async function commitFiles(
  octokit: GitHubClient,
  options: Repository & { branch: string; baseSha: string; files: FileChange[]; message: string },
): Promise<BranchCommit | null> {
  const { owner, repo, branch, baseSha } = options;
  const where = { owner, repo };
  const base = await readCommit(octokit, where, baseSha);
  const tree = await treeEntries(octokit, where, options.files);
  const { data: newTree } = await callGitHub("contents", "create the tree", () =>
    octokit.rest.git.createTree({ ...where, base_tree: base.tree, tree }),
  );
  if (newTree.sha === base.tree) return null;

  const head = await callGitHub("contents", `read branch ${branch}`, () =>
    readBranchHead(octokit, where, branch),
  );
  if (head !== null) {
    // Same content on the same base: keep the commit, so a re-run does not re-trigger CI.
    const current = await readCommit(octokit, where, head);
    if (current.tree === newTree.sha && current.parents.length === 1 && current.parents[0] === baseSha) {
      return { sha: head, ref: "unchanged" };
    }
  }
  const { data: commit } = await callGitHub("contents", "create the commit", () =>
    octokit.rest.git.createCommit({
      ...where,
      message: options.message,
      tree: newTree.sha,
      parents: [baseSha],
    }),
  );
  if (head === null) {
    await callGitHub("contents", `create branch ${branch}`, () =>
      octokit.rest.git.createRef({ ...where, ref: `refs/heads/${branch}`, sha: commit.sha }),
    );
    return { sha: commit.sha, ref: "created" };
  }
  await callGitHub("contents", `update branch ${branch}`, () =>
    octokit.rest.git.updateRef({ ...where, ref: `heads/${branch}`, sha: commit.sha, force: true }),
  );
  return { sha: commit.sha, ref: "updated" };
}
