// Finding recording files on disk, reading them safely and writing them atomically.
// Globs are matched with picomatch over our own directory walk (Node 20 has no fs.glob),
// which lets the walk detect symlink loops and report unreadable directories per path.
import { isUtf8 } from "node:buffer";
import { createHash, randomBytes } from "node:crypto";
import { promises as fs, constants as fsConstants, type Stats } from "node:fs";
import path from "node:path";
import picomatch from "picomatch";

export const DEFAULT_PATTERN = "**/recordings/**/*.json";
/** Larger files are refused rather than read: no real recording comes near this. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;
const SKIP_DIRS = new Set(["node_modules", ".git"]);

export interface FindProblem {
  path: string;
  message: string;
}

export interface FoundFiles {
  /** Absolute paths, sorted, each once. */
  files: string[];
  problems: FindProblem[];
}

/** Expands the command line's paths, directories and globs into recording files. */
export async function findRecordingFiles(args: readonly string[], cwd: string): Promise<FoundFiles> {
  const found = new Set<string>();
  const problems: FindProblem[] = [];
  const specs = args.length > 0 ? args : [DEFAULT_PATTERN];
  for (const spec of specs) {
    const before = found.size;
    const abs = path.resolve(cwd, spec);
    const stat = await fs.stat(abs).catch(() => null);
    if (stat?.isFile()) {
      found.add(abs);
      continue;
    }
    if (stat?.isDirectory()) {
      await walk(abs, (file) => file.endsWith(".json") && found.add(file), problems);
      if (found.size === before)
        problems.push({ path: spec, message: "directory holds no *.json recordings" });
      continue;
    }
    // Named outright, a FIFO or device (or a link to one) is there but is no recording.
    if (stat) {
      problems.push({ path: spec, message: `not a regular file (${fileKind(stat)})` });
      continue;
    }
    const scan = picomatch.scan(spec);
    if (!scan.isGlob) {
      problems.push({ path: spec, message: "no such file or directory" });
      continue;
    }
    const base = path.resolve(cwd, scan.base || ".");
    const isMatch = picomatch(scan.glob, { dot: false });
    const baseExists = await fs.stat(base).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (baseExists)
      await walk(base, (file) => isMatch(toPosix(path.relative(base, file))) && found.add(file), problems);
    if (found.size === before) problems.push({ path: spec, message: "the pattern matched no files" });
  }
  return { files: [...found].sort(), problems };
}

/**
 * Whether a file that is not on disk (deleted by a change) is one the same paths, directories and
 * globs would have found: `shown` is relative to `cwd`, with `/`.
 */
export function isRecordingPath(shown: string, args: readonly string[], cwd: string): boolean {
  if (!shown.endsWith(".json")) return false;
  const abs = path.resolve(cwd, shown);
  return (args.length > 0 ? args : [DEFAULT_PATTERN]).some((spec) => {
    const scan = picomatch.scan(spec);
    if (!scan.isGlob) {
      const at = path.resolve(cwd, spec);
      return abs === at || abs.startsWith(`${at}${path.sep}`);
    }
    const base = path.resolve(cwd, scan.base || ".");
    return (
      abs.startsWith(`${base}${path.sep}`) &&
      picomatch(scan.glob, { dot: false })(toPosix(path.relative(base, abs)))
    );
  });
}

async function walk(root: string, visit: (file: string) => unknown, problems: FindProblem[]): Promise<void> {
  const seen = new Set<string>();
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    const real = await fs.realpath(dir).catch(() => dir);
    if (seen.has(real)) {
      problems.push({ path: dir, message: "symlink loop: directory already visited" });
      continue;
    }
    seen.add(real);
    let entries: import("node:fs").Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      problems.push({ path: dir, message: `cannot read directory: ${errorMessage(error)}` });
      continue;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) stack.push(full);
      } else if (entry.isSymbolicLink()) {
        const target = await fs.stat(full).catch(() => null);
        if (target?.isDirectory()) stack.push(full);
        else visit(full);
      } else if (entry.isFile()) {
        visit(full);
      }
    }
  }
}

/** Reads a file as strict UTF-8 text; throws an Error with a one-line reason. */
export async function readText(file: string): Promise<string> {
  // Non-blocking: opening a FIFO for reading would otherwise wait for a writer forever.
  const handle = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    const { size } = stats;
    // A device (`/dev/zero`) or FIFO has no size to check: only regular files are read.
    if (!stats.isFile()) throw new Error(`not a regular file (${fileKind(stats)})`);
    if (size > MAX_FILE_BYTES)
      throw new Error(`file is ${size} bytes, over the ${MAX_FILE_BYTES}-byte limit`);
    const bytes = await handle.readFile();
    return decodeUtf8(bytes);
  } finally {
    await handle.close();
  }
}

function fileKind(stats: Stats): string {
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  if (stats.isSocket()) return "a socket";
  if (stats.isDirectory()) return "a directory";
  return "not a file";
}

/** Strict UTF-8: `isUtf8` (simdutf) then a plain decode is several times faster than a fatal TextDecoder. */
function decodeUtf8(bytes: Buffer): string {
  if (!isUtf8(bytes)) throw new Error("not valid UTF-8");
  return bytes.toString("utf8");
}

/**
 * Why a command run in `root` may not rewrite `file`, or null when it may. Commands that write
 * recordings (refresh) write only under their working directory, however the file was named (a
 * `../` glob, an absolute path, a symlinked directory leading out), and never through a symlink:
 * renaming over one would replace the link, not the file it points to.
 */
export async function writeRefusal(file: string, root: string): Promise<string | null> {
  const [realRoot, realDir, stat] = await Promise.all([
    fs.realpath(root),
    fs.realpath(path.dirname(file)),
    fs.lstat(file),
  ]);
  const relative = path.relative(realRoot, path.join(realDir, path.basename(file)));
  if (relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    return `${path.join(realDir, path.basename(file))} is outside the working directory ${realRoot}; refresh writes only under it`;
  }
  if (stat.isSymbolicLink()) return `${file} is a symbolic link; refresh rewrites only regular files`;
  return null;
}

/**
 * Replaces a file so that a reader (or a crash) sees either the old or the new bytes, never a
 * mix: write a temporary file beside it, flush it to disk, then rename over the original.
 */
export async function writeFileAtomic(file: string, text: string | Iterable<string>): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await fs.open(temp, "wx");
  try {
    // The new file takes the old one's mode (a read-only or group-writable file stays so).
    const mode = await fs.stat(file).then(
      (stats) => stats.mode & 0o7777,
      () => null,
    );
    if (mode !== null) await handle.chmod(mode);
    // Pieces let a large report be written without ever being one string in memory; each
    // writeFile on a handle writes on from where the last one ended.
    for (const piece of typeof text === "string" ? [text] : text) await handle.writeFile(piece, "utf8");
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

/** The sha256 of a file's contents (hex): equal exactly when the bytes are. */
export function contentDigest(content: string | Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

/** The sha256 of the file's bytes, or null when there is no file. */
export function fileDigest(file: string): Promise<string | null> {
  return fs.readFile(file).then(contentDigest, (error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
}

/** Whether anything (a file, a link, a directory) is at `file`. */
export function pathExists(file: string): Promise<boolean> {
  return fs.lstat(file).then(
    () => true,
    () => false,
  );
}

export function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

export function errorMessage(error: unknown): string {
  if (error && typeof error === "object" && "code" in error && typeof error.code === "string") {
    const e = error as NodeJS.ErrnoException;
    return e.code === "ENOENT" ? "no such file" : `${e.code}: ${e.message.replace(/^[A-Z]+: /, "")}`;
  }
  return error instanceof Error ? error.message : String(error);
}
