// What a change did to the files, as git sees it: which files differ from a base revision and
// the base's version of each. Every git call of the project is here; git runs through execFile
// (no shell), so refs and paths are never interpreted.
import { execFile } from "node:child_process";
import { MAX_FILE_BYTES } from "../recording/files.ts";

export interface ChangedFile {
  /** Path relative to the working directory, with `/`. */
  path: string;
  /** The file's path in the base (another one after a rename), or null when the change added it. */
  basePath: string | null;
}

export interface GitChanges {
  /** The commit compared with: where the current branch left the base (their merge base). */
  commit: string;
  /**
   * Files added or modified since `commit`, in the working tree, untracked ones too. A moved
   * file is a deletion and an addition: git's rename detection pairs files by text similarity,
   * which pairs unrelated recordings (they share most of their layout), so the caller pairs
   * them by what they record.
   */
  files: ChangedFile[];
  /** Files of `commit` the working tree no longer has. */
  deleted: string[];
}

/** git refused or could not run; the message says what to do. */
export class GitError extends Error {
  override name = "GitError";
}

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

function git(cwd: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd, encoding: "buffer", maxBuffer: MAX_FILE_BYTES }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return reject(new GitError("git is not installed (or not on PATH)"));
      const said = stderr.toString("utf8").trim().split("\n")[0] || error.message;
      reject(new GitError(`git ${args[0]}: ${said}`));
    });
  });
}

/** Splits `-z` output into its NUL-terminated fields. */
function fields(output: Buffer): string[] {
  const text = output.toString("utf8");
  return text.length === 0 ? [] : text.replace(/\0$/, "").split("\0");
}

/**
 * The files changed since `ref`, as a pull request shows them: compared with the merge base of
 * `ref` and HEAD (git's `ref...HEAD`), so commits that landed on the base meanwhile do not count.
 * The working tree is compared, not HEAD, so uncommitted and untracked files count too: a local
 * run sees what the next push will add. Paths are limited to the working directory.
 */
export async function changedSince(cwd: string, ref: string): Promise<GitChanges> {
  const known = await git(cwd, [
    "rev-parse",
    "--verify",
    "--quiet",
    "--end-of-options",
    `${ref}^{commit}`,
  ]).catch(() => null);
  if (known === null) {
    throw new GitError(
      `"${ref}" is neither a directory nor a git revision here (with actions/checkout, fetch the base: fetch-depth: 0)`,
    );
  }
  const commit = (
    await git(cwd, ["merge-base", known.toString("utf8").trim(), "HEAD"]).catch((error: unknown) => {
      throw new GitError(
        `no common history between "${ref}" and HEAD (${(error as Error).message}); with actions/checkout, set fetch-depth: 0`,
      );
    })
  )
    .toString("utf8")
    .trim();
  const files: ChangedFile[] = [];
  const deleted: string[] = [];
  const status = fields(
    await git(cwd, [
      "diff",
      "--name-status",
      "-z",
      "--no-renames",
      "--relative",
      "--diff-filter=AMD",
      commit,
      "--",
    ]),
  );
  for (let i = 0; i + 1 < status.length; i += 2) {
    const letter = (status[i] as string)[0];
    const path = status[i + 1] as string;
    if (letter === "D") deleted.push(path);
    else files.push({ path, basePath: letter === "A" ? null : path });
  }
  for (const path of fields(await git(cwd, ["ls-files", "-z", "--others", "--exclude-standard"]))) {
    files.push({ path, basePath: null });
  }
  return { commit, files, deleted };
}

/** Whether `commit` has a file at `path` (relative to the working directory). */
export function hasFileAt(cwd: string, commit: string, path: string): Promise<boolean> {
  return git(cwd, ["cat-file", "-e", `${commit}:./${path}`]).then(
    () => true,
    () => false,
  );
}

/** A file's text at `commit`; `path` is relative to the working directory. Strict UTF-8. */
export async function readFileAt(cwd: string, commit: string, path: string): Promise<string> {
  const bytes = await git(cwd, ["cat-file", "blob", `${commit}:./${path}`]);
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    throw new GitError(`${path} at ${commit.slice(0, 12)} is not valid UTF-8`);
  }
}
