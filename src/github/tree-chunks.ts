// The tree entries of a commit, cut into create-tree requests of about 100 entries each. File
// contents travel inline (`content`), so no blob request is made: GitHub counts every POST
// against its 80-a-minute and 500-an-hour secondary limits, and one blob per file would spend
// them. A create-tree call with thousands of entries times out, hence the chunks.

/** One file of a commit: new content, or `null` to delete it. */
export interface FileChange {
  /** Repository-relative path with `/` separators, e.g. `tests/integration/recordings/a.json`. */
  path: string;
  /** The new content; `null` deletes the file. */
  content: string | null;
}

/** A create-tree entry: inline content, or `sha: null` for a deletion. */
export type TreeEntry = { path: string; mode: "100644"; type: "blob" } & (
  | { content: string }
  | { sha: null }
);

/** Entries per create-tree request: big enough to need few, small enough not to time out. */
export const TREE_CHUNK_ENTRIES = 100;
/** Content bytes per create-tree request; one bigger file still travels, alone. */
export const TREE_CHUNK_BYTES = 8 * 1024 * 1024;
/** The largest blob GitHub's git database API accepts is about 40 MiB. */
export const MAX_INLINE_FILE_BYTES = 40 * 1024 * 1024;

/** A file GitHub cannot take inline, named by its path. */
export class UnpublishableFileError extends Error {
  override name = "UnpublishableFileError";
}

// A lone surrogate has no UTF-8 encoding: GitHub would store U+FFFD in its place.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function entryFor(file: FileChange): { entry: TreeEntry; bytes: number } {
  const plain = { path: file.path, mode: "100644" as const, type: "blob" as const };
  if (file.content === null) return { entry: { ...plain, sha: null }, bytes: 0 };
  if (LONE_SURROGATE.test(file.content)) {
    throw new UnpublishableFileError(`${file.path}: not valid UTF-8 text, so it cannot be committed`);
  }
  const bytes = Buffer.byteLength(file.content, "utf8");
  if (bytes > MAX_INLINE_FILE_BYTES) {
    throw new UnpublishableFileError(
      `${file.path}: ${bytes} bytes, over the ${MAX_INLINE_FILE_BYTES}-byte limit of GitHub's git database API`,
    );
  }
  return { entry: { ...plain, content: file.content }, bytes };
}

/**
 * The files' tree entries, sorted by path (a chunk then touches few directories) and cut into
 * requests of at most TREE_CHUNK_ENTRIES entries and TREE_CHUNK_BYTES of content. Throws
 * `UnpublishableFileError` naming the first file that cannot go, and on a path given twice.
 */
export function treeChunks(files: readonly FileChange[]): TreeEntry[][] {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const chunks: TreeEntry[][] = [];
  let chunk: TreeEntry[] = [];
  let chunkBytes = 0;
  for (const [i, file] of sorted.entries()) {
    if (i > 0 && sorted[i - 1]?.path === file.path) {
      throw new UnpublishableFileError(`${file.path}: given twice in one commit`);
    }
    const { entry, bytes } = entryFor(file);
    if (chunk.length === TREE_CHUNK_ENTRIES || (chunk.length > 0 && chunkBytes + bytes > TREE_CHUNK_BYTES)) {
      chunks.push(chunk);
      chunk = [];
      chunkBytes = 0;
    }
    chunk.push(entry);
    chunkBytes += bytes;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
