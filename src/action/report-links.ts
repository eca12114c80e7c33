// Links from the report's recordings to their files on GitHub (each drifted recording's heading),
// from what the runner says of the run. Report paths are relative to the action's workspace,
// which may be a directory inside the checkout.
import path from "node:path";
import { fileLinks, fileLinksFromEnv } from "../report/file-links.ts";
import type { FileLinks } from "../report/recording-detail.ts";
import { readPullRequestEvent } from "./event.ts";

/** The workspace's path inside the checkout (`""` at its root, or when it lies outside). */
function directoryIn(workspace: string, env: NodeJS.ProcessEnv): string {
  if (!env.GITHUB_WORKSPACE) return "";
  const relative = path.relative(env.GITHUB_WORKSPACE, workspace);
  return relative.startsWith("..") || path.isAbsolute(relative) ? "" : relative.split(path.sep).join("/");
}

/**
 * `files-changed` (pr-check, whose recordings are the pull request's): their entries in its
 * "Files changed" tab. `commit` (the replay modes): the files at the commit checked out, a pull
 * request's head rather than its merge commit. Null outside Actions.
 */
export function runFileLinks(workspace: string, target: "files-changed" | "commit"): FileLinks | null {
  const env = process.env;
  const pull = readPullRequestEvent(env);
  const ref = pull && (target === "files-changed" ? pull : { number: null, headSha: pull.headSha });
  return fileLinksFromEnv(env, ref, directoryIn(workspace, env));
}

/** The refresh pull request's files: on its branch, which holds the refreshed recordings. */
export function branchFileLinks(workspace: string, branch: string): FileLinks | null {
  const { GITHUB_SERVER_URL: serverUrl, GITHUB_REPOSITORY: repository } = process.env;
  if (!serverUrl || !repository) return null;
  return fileLinks({ serverUrl, repository, sha: branch, directory: directoryIn(workspace, process.env) });
}
