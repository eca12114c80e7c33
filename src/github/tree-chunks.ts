// The tree entries of a commit, cut into create-tree requests of about 100 entries each. File
// contents travel inline (`content`), so no blob request is made: GitHub counts every POST
// against its 80-a-minute and 500-an-hour secondary limits, and one blob per file would spend
// them. A create-tree call with thousands of entries times out, hence the chunks.

/** One file of a commit: new content, or `null` to delete it. */
export interface FileChange {
  /** Repository-relative path with `/` separators, e.g. `tests/integration/recordings/a.json`. */
  path: string;
  /** The new content, or where to read it from; `null` deletes the file. */
  content: string | FileSource | null;
}

/**
 * Content read only when its tree is sent, so a commit of thousands of files holds one chunk
 * of them at a time, not all.
 */
export interface FileSource {
  /** Its size in UTF-8 bytes, known beforehand: chunks are cut by it. */
  bytes: number;
  read(): Promise<string>;
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

/** The file's size, refusing what GitHub cannot take: checked before the first write. */
function plannedBytes(file: FileChange): number {
  if (file.content === null) return 0;
  if (typeof file.content !== "string") return checkedBytes(file.path, file.content.bytes);
  checkText(file.path, file.content);
  return checkedBytes(file.path, Buffer.byteLength(file.content, "utf8"));
}

function checkText(path: string, text: string): void {
  if (LONE_SURROGATE.test(text)) {
    throw new UnpublishableFileError(`${path}: not valid UTF-8 text, so it cannot be committed`);
  }
}

function checkedBytes(path: string, bytes: number): number {
  if (bytes > MAX_INLINE_FILE_BYTES) {
    throw new UnpublishableFileError(
      `${path}: ${bytes} bytes, over the ${MAX_INLINE_FILE_BYTES}-byte limit of GitHub's git database API`,
    );
  }
  return bytes;
}

/**
 * The files sorted by path (a chunk then touches few directories) and cut into create-tree
 * requests of at most TREE_CHUNK_ENTRIES files and TREE_CHUNK_BYTES of content. Throws
 * `UnpublishableFileError` naming the first file that cannot go, and on a path given twice.
 */
export function treeChunks(files: readonly FileChange[]): FileChange[][] {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const chunks: FileChange[][] = [];
  let chunk: FileChange[] = [];
  let chunkBytes = 0;
  for (const [i, file] of sorted.entries()) {
    if (i > 0 && sorted[i - 1]?.path === file.path) {
      throw new UnpublishableFileError(`${file.path}: given twice in one commit`);
    }
    const bytes = plannedBytes(file);
    if (chunk.length === TREE_CHUNK_ENTRIES || (chunk.length > 0 && chunkBytes + bytes > TREE_CHUNK_BYTES)) {
      chunks.push(chunk);
      chunk = [];
      chunkBytes = 0;
    }
    chunk.push(file);
    chunkBytes += bytes;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/** A chunk's create-tree entries, its sources read now (and checked again: a file may change). */
export async function treeEntries(chunk: readonly FileChange[]): Promise<TreeEntry[]> {
  return Promise.all(
    chunk.map(async ({ path, content }): Promise<TreeEntry> => {
      const plain = { path, mode: "100644" as const, type: "blob" as const };
      if (content === null) return { ...plain, sha: null };
      if (typeof content === "string") return { ...plain, content };
      const text = await content.read();
      checkText(path, text);
      checkedBytes(path, Buffer.byteLength(text, "utf8"));
      return { ...plain, content: text };
    }),
  );
}
