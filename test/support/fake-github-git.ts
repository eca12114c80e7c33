// The git objects behind the fake GitHub: blobs, trees, commits and refs, hashed the way git
// hashes them, so a sha the fake hands out is the sha GitHub would hand out for that content.
import { createHash } from "node:crypto";

export type EntryType = "blob" | "tree" | "commit";

export interface TreeEntry {
  /** One path component: the entry's name inside its tree. */
  path: string;
  mode: string;
  type: EntryType;
  sha: string;
}

export interface GitPerson {
  name: string;
  email: string;
  date: string;
}

export interface GitCommit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  author: GitPerson;
  committer: GitPerson;
}

/** One entry of a create-tree request, as GitHub reads it. */
export interface TreeInput {
  path: string;
  mode: string;
  type: EntryType;
  sha?: string | null;
  content?: string;
}

/** A refusal GitHub would answer with 422 and this message. */
export class GitRefusal extends Error {}

type FlatEntry = Omit<TreeEntry, "path">;

function hashObject(kind: string, body: Buffer): string {
  const header = Buffer.from(`${kind} ${body.length}\0`);
  return createHash("sha1").update(header).update(body).digest("hex");
}

// Git orders tree entries by name, comparing a subtree's name as if it ended in "/".
function sortKey(entry: TreeEntry): string {
  return entry.type === "tree" ? `${entry.path}/` : entry.path;
}

export class GitStore {
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, TreeEntry[]>();
  readonly commits = new Map<string, GitCommit>();
  /** Full ref name (`refs/heads/main`) → commit sha. */
  readonly refs = new Map<string, string>();

  putBlob(bytes: Buffer): string {
    const sha = hashObject("blob", bytes);
    this.blobs.set(sha, bytes);
    return sha;
  }

  putTree(entries: TreeEntry[]): string {
    const sorted = [...entries].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
    const body = Buffer.concat(
      sorted.flatMap((e) => [
        Buffer.from(`${e.type === "tree" ? "40000" : e.mode} ${e.path}\0`),
        Buffer.from(e.sha, "hex"),
      ]),
    );
    const sha = hashObject("tree", body);
    this.trees.set(sha, sorted);
    return sha;
  }

  putCommit(fields: Omit<GitCommit, "sha">): GitCommit {
    const stamp = (p: GitPerson) => `${p.name} <${p.email}> ${Math.floor(Date.parse(p.date) / 1000)} +0000`;
    const text = [
      `tree ${fields.tree}`,
      ...fields.parents.map((p) => `parent ${p}`),
      `author ${stamp(fields.author)}`,
      `committer ${stamp(fields.committer)}`,
      "",
      fields.message,
    ].join("\n");
    const commit = { sha: hashObject("commit", Buffer.from(text)), ...fields };
    this.commits.set(commit.sha, commit);
    return commit;
  }

  /** Every non-tree entry under `treeSha`, keyed by full path. */
  flatten(treeSha: string, prefix = "", into = new Map<string, FlatEntry>()): Map<string, FlatEntry> {
    for (const { path, ...entry } of this.trees.get(treeSha) ?? []) {
      if (entry.type === "tree") this.flatten(entry.sha, `${prefix}${path}/`, into);
      else into.set(`${prefix}${path}`, entry);
    }
    return into;
  }

  /** Builds nested tree objects for full-path entries; returns the root tree's sha. */
  buildTree(flat: Map<string, FlatEntry>): string {
    const here: TreeEntry[] = [];
    const dirs = new Map<string, Map<string, FlatEntry>>();
    for (const [path, entry] of flat) {
      const slash = path.indexOf("/");
      if (slash < 0) {
        here.push({ path, ...entry });
        continue;
      }
      const dir = path.slice(0, slash);
      const sub = dirs.get(dir) ?? new Map<string, FlatEntry>();
      sub.set(path.slice(slash + 1), entry);
      dirs.set(dir, sub);
    }
    for (const [dir, sub] of dirs)
      here.push({ path: dir, mode: "040000", type: "tree", sha: this.buildTree(sub) });
    return this.putTree(here);
  }

  /**
   * GitHub's create-tree: start from `baseTree`'s entries (or none), apply `inputs` by full path
   * (`sha: null` deletes), and write the nested trees.
   */
  createTree(baseTree: string | undefined, inputs: TreeInput[]): string {
    if (baseTree !== undefined && !this.trees.has(baseTree))
      throw new GitRefusal("base_tree is not a valid tree oid");
    const flat = baseTree === undefined ? new Map<string, FlatEntry>() : this.flatten(baseTree);
    for (const input of inputs) {
      const hasSha = "sha" in input && input.sha !== undefined;
      if (hasSha === (input.content !== undefined)) {
        throw new GitRefusal(
          "Must supply either tree.sha or tree.content. Request will be rejected if both are present.",
        );
      }
      if (input.path.split("/").some((part) => part === "" || part === "." || part === "..")) {
        throw new GitRefusal(`tree.path contains a malformed path component: ${input.path}`);
      }
      removePath(flat, input.path);
      if (input.sha === null) continue;
      const sha =
        input.content === undefined ? (input.sha as string) : this.putBlob(Buffer.from(input.content));
      if (input.type === "tree") {
        if (!this.trees.has(sha)) throw new GitRefusal(`tree.sha ${sha} is not a valid tree`);
        for (const [path, entry] of this.flatten(sha)) flat.set(`${input.path}/${path}`, entry);
      } else {
        if (input.type === "blob" && !this.blobs.has(sha))
          throw new GitRefusal(`tree.sha ${sha} is not a valid blob`);
        flat.set(input.path, { mode: input.mode, type: input.type, sha });
      }
    }
    return this.buildTree(flat);
  }

  /** A branch name, full ref or commit sha → commit sha. */
  resolve(ref: string): string | undefined {
    if (this.commits.has(ref)) return ref;
    return this.refs.get(ref.startsWith("refs/") ? ref : `refs/heads/${ref}`);
  }

  /** Whether `ancestor` is reachable from `descendant` through parents (or is it). */
  isAncestor(ancestor: string, descendant: string): boolean {
    const seen = new Set<string>();
    const queue = [descendant];
    for (let sha = queue.pop(); sha !== undefined; sha = queue.pop()) {
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      queue.push(...(this.commits.get(sha)?.parents ?? []));
    }
    return false;
  }

  /** The files of a commit, branch or tag: full path → content bytes. */
  files(ref: string): Map<string, Buffer> {
    const commit = this.commits.get(this.resolve(ref) ?? "");
    if (!commit) throw new Error(`fake-github: no commit for ${ref}`);
    const out = new Map<string, Buffer>();
    for (const [path, entry] of this.flatten(commit.tree))
      out.set(path, this.blobs.get(entry.sha) ?? Buffer.alloc(0));
    return out;
  }
}

/** Drops `path`, anything below it, and any file standing where one of its directories goes. */
function removePath(flat: Map<string, FlatEntry>, path: string): void {
  for (const key of [...flat.keys()]) {
    if (key === path || key.startsWith(`${path}/`) || path.startsWith(`${key}/`)) flat.delete(key);
  }
}
