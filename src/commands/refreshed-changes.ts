// What `publish` commits, read from a report it does not trust (a shard's artifact can say
// anything): the recordings the results mark refreshed, and deletions for the ones renamed or
// removed. Only recording paths pass: relative, `/`-separated, no `..`, ending in `.json`, under
// the recordings globs, never under `.github/` (a workflow there runs with the repository's
// secrets), and never a symlink leading out of the refreshed-files directory.
import { promises as fs } from "node:fs";
import path from "node:path";
import picomatch from "picomatch";
import type { FileChange, FileSource } from "../github/tree-chunks.ts";
import { DEFAULT_PATTERN, errorMessage, readText } from "../recording/files.ts";
import type { CheckReport } from "../report/check-report.ts";
import { ReportInputError } from "./merge.ts";

/** Whether a repository path is under one of the recordings specs (paths, directories or globs). */
export function recordingPathMatcher(specs: readonly string[]): (file: string) => boolean {
  const tests = (specs.length > 0 ? specs : [DEFAULT_PATTERN]).map((spec) => {
    const clean = spec.replace(/^(\.\/)+/, "").replace(/\/+$/, "");
    if (picomatch.scan(clean).isGlob) return picomatch(clean, { dot: false });
    return (file: string) => file === clean || file.startsWith(`${clean}/`);
  });
  return (file) => tests.some((test) => test(file));
}

/** Why `file` is not a recording path publish may write, or null when it is. */
export function recordingPathRefusal(file: string, isRecording: (file: string) => boolean): string | null {
  if (path.posix.isAbsolute(file) || /^[A-Za-z]:/.test(file) || file.includes("\\")) {
    return "is not a repository path (relative, with / separators)";
  }
  const parts = file.split("/");
  if (parts.includes("..")) return "contains ..";
  if (parts.some((part) => part === "" || part === ".")) return "is not a normalized path";
  if (parts.some((part) => part.toLowerCase() === ".git") || parts[0]?.toLowerCase() === ".github") {
    return "is under .github/ or .git/, which publish never writes";
  }
  if (!file.endsWith(".json")) return "is not a .json recording";
  if (!isRecording(file)) return "is not under the recordings globs";
  return null;
}

/** The file's text, when it resolves (through any symlinks) to a regular file inside `root`. */
async function readInside(root: string, file: string): Promise<string> {
  const [realRoot, real] = await Promise.all([fs.realpath(root), fs.realpath(path.join(root, file))]);
  const relative = path.relative(realRoot, real);
  if (
    relative === "" ||
    relative.startsWith(`..${path.sep}`) ||
    relative === ".." ||
    path.isAbsolute(relative)
  ) {
    throw new Error(`it leads out of the directory (to ${real})`);
  }
  if (!(await fs.stat(real)).isFile()) throw new Error("it is not a regular file");
  return readText(real);
}

/**
 * The changes a report asks for: each refreshed recording from `filesDir` (laid out like the
 * repository), and a deletion for each `renamedFrom` and `removed` path no result rewrites.
 * Every file is read and checked now, but kept as a source read again when its tree is sent:
 * thousands of recordings are never all in memory. Every path that fails the checks is named
 * in one `ReportInputError`; nothing is returned then.
 */
export async function refreshedChanges(
  report: CheckReport,
  filesDir: string,
  recordings: readonly string[],
): Promise<FileChange[]> {
  const isRecording = recordingPathMatcher(recordings);
  const problems: string[] = [];
  const refuse = (file: string, why: string) => problems.push(`${JSON.stringify(file)} ${why}`);
  const written = new Map<string, FileSource>();
  const deleted = new Set<string>();
  for (const result of report.results) {
    const removals = [result.renamedFrom, result.removed ? result.file : undefined];
    for (const file of removals) {
      if (file === undefined) continue;
      const why = recordingPathRefusal(file, isRecording);
      if (why) refuse(file, `(to delete) ${why}`);
      else deleted.add(file);
    }
    if (!result.refreshed || result.removed) continue;
    const why = recordingPathRefusal(result.file, isRecording);
    if (why) {
      refuse(result.file, why);
      continue;
    }
    try {
      const bytes = Buffer.byteLength(await readInside(filesDir, result.file), "utf8");
      const file = result.file;
      written.set(file, { bytes, read: () => readInside(filesDir, file) });
    } catch (error) {
      refuse(
        result.file,
        `is refreshed in the report but cannot be read from ${filesDir}: ${errorMessage(error)}`,
      );
    }
  }
  if (problems.length > 0) {
    const more = problems.length > 20 ? [`…and ${problems.length - 20} more`] : [];
    throw new ReportInputError(
      `publish commits only recording files; nothing was published:\n${[...problems.slice(0, 20), ...more].join("\n")}`,
    );
  }
  const deletions = [...deleted]
    .filter((file) => !written.has(file))
    .map((file) => ({ path: file, content: null }));
  return [...[...written].map(([file, content]) => ({ path: file, content })), ...deletions];
}
