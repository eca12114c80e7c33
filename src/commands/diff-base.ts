// The base a change is compared with: a git revision (the merge base of a ref and HEAD, as a
// pull request shows it) or a directory laid out like the working directory. Says which files
// may differ, reads their base versions, and lists the recordings the change deleted.
import { stat } from "node:fs/promises";
import path from "node:path";
import { changedSince, hasFileAt, readFileAt } from "../git/base-files.ts";
import { errorMessage, findRecordingFiles, isRecordingPath, readText, toPosix } from "../recording/files.ts";
import { OptionsError } from "./options.ts";

/** The base version of a file: its text and where it was; `null` when the change added it. */
export type BaseVersion = { text: string; path: string } | null;

export interface BaseTree {
  /** Whether the file may differ from the base (the directory base reads every file to know). */
  touches(shown: string): boolean;
  read(shown: string): Promise<BaseVersion>;
  /** Recording files of the base that the working tree no longer has. */
  deleted(paths: readonly string[]): Promise<string[]>;
  /** Any file of the base (the config), by its path from the working directory; null if absent. */
  file(relative: string): Promise<string | null>;
}

export async function openBase(base: string, cwd: string): Promise<BaseTree> {
  const dir = path.resolve(cwd, base);
  if (await isDirectory(dir)) {
    return {
      touches: () => true,
      read: async (shown) => {
        try {
          return { text: await readText(path.join(dir, shown)), path: shown };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
          throw new Error(`--base ${base}: ${shown}: ${errorMessage(error)}`);
        }
      },
      deleted: async (paths) => {
        // The same paths, read in the base tree: an absolute one names a file of the working tree.
        const inBaseTree = paths.map((spec) => (path.isAbsolute(spec) ? path.relative(cwd, spec) : spec));
        const inBase = await findRecordingFiles(inBaseTree, dir);
        const shown = inBase.files.map((file) => toPosix(path.relative(dir, file)));
        const stillThere = await Promise.all(
          shown.map((s) =>
            stat(path.join(cwd, s)).then(
              () => true,
              () => false,
            ),
          ),
        );
        return shown.filter((_, i) => !stillThere[i]);
      },
      file: (relative) =>
        readText(path.join(dir, relative)).catch((error: NodeJS.ErrnoException) => {
          if (error.code === "ENOENT") return null;
          throw new Error(`--base ${base}: ${relative}: ${errorMessage(error)}`);
        }),
    };
  }
  const changes = await changedSince(cwd, base).catch((error: unknown) => {
    throw new OptionsError(`--base ${base}: ${errorMessage(error)}`);
  });
  const basePaths = new Map(changes.files.map((f) => [f.path, f.basePath]));
  const deleted = new Set(changes.deleted);
  return {
    touches: (shown) => basePaths.has(shown),
    read: async (shown) => {
      const from = deleted.has(shown) ? shown : (basePaths.get(shown) ?? null);
      return from === null ? null : { text: await readFileAt(cwd, changes.commit, from), path: from };
    },
    deleted: async (paths) => changes.deleted.filter((shown) => isRecordingPath(shown, paths, cwd)),
    file: async (relative) =>
      (await hasFileAt(cwd, changes.commit, relative)) ? readFileAt(cwd, changes.commit, relative) : null,
  };
}

function isDirectory(dir: string): Promise<boolean> {
  return stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
