// The refresh branch is force-moved on every run, so it must be one only this tool writes: never
// the base or the repository's default branch, and, when it exists, headed by a commit carrying
// the tool's trailer. A branch named by mistake (`branch: main` with `base: develop`) or one a
// person pushed to stops the run instead of losing commits.
import type { CommitInfo } from "./commit-files.ts";

/** The git trailer every commit of this tool ends with. */
export const REFRESH_TRAILER = "Recording-Drift: refresh";

/** A branch the tool must not move. */
export class ForeignBranchError extends Error {
  override name = "ForeignBranchError";
}

/** The message with the tool's trailer as its last paragraph (once). */
export function withRefreshTrailer(message: string): string {
  return hasRefreshTrailer(message) ? message : `${message.trimEnd()}\n\n${REFRESH_TRAILER}\n`;
}

/** Whether the message's trailer block (its last paragraph) holds `Recording-Drift: refresh`. */
export function hasRefreshTrailer(message: string): boolean {
  const paragraphs = message.trim().split(/\n[ \t]*\n/);
  const last = paragraphs.length > 1 ? (paragraphs.at(-1) ?? "") : "";
  return last.split("\n").some((line) => /^Recording-Drift:[ \t]*refresh[ \t]*$/i.test(line.trim()));
}

/** Throws `ForeignBranchError` unless `branch` may be rebuilt by this tool. */
export function guardRefreshBranch(options: {
  branch: string;
  base: string;
  defaultBranch: string;
  /** The branch's head commit; `null` when the branch does not exist yet. */
  head: CommitInfo | null;
}): void {
  const { branch, base, defaultBranch, head } = options;
  if (branch === base || branch === defaultBranch) {
    const which = branch === base ? "the base branch" : "the repository's default branch";
    throw new ForeignBranchError(
      `The pull request branch "${branch}" is ${which}: it is rebuilt on every run and would lose its commits. ` +
        "Set `branch` to a branch only this tool uses (the default is recording-drift/refresh).",
    );
  }
  if (head && !hasRefreshTrailer(head.message)) {
    throw new ForeignBranchError(
      `The branch "${branch}" exists and its head commit ${head.sha.slice(0, 12)} was not made by recording-drift ` +
        `(its message has no "${REFRESH_TRAILER}" trailer), so it is left untouched. ` +
        "Set `branch` to another name, or delete the branch if nothing on it is needed.",
    );
  }
}
