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

/** A create-tree input on its way down: `rest` is its path below the tree being changed. */
interface PendingChange {
  rest: string[];
  input: TreeInput;
}

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

  /**
   * GitHub's create-tree: start from `baseTree`'s entries (or none), apply `inputs` by full path
   * (`sha: null` deletes, and deleting a path that does not exist is refused, as GitHub does),
   * and write the nested trees. Only the trees on a changed path are rebuilt, so a chain of
   * chunked calls over a large repository costs what GitHub's would.
   */
  createTree(baseTree: string | undefined, inputs: TreeInput[]): string {
    if (baseTree !== undefined && !this.trees.has(baseTree))
      throw new GitRefusal("base_tree is not a valid tree oid");
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
    }
    const changes = inputs.map((input) => ({ rest: input.path.split("/"), input }));
    return this.applyChanges(baseTree, changes) ?? this.putTree([]);
  }

  /** `treeSha` (or an empty tree) with `changes` applied, by path below it; `null` when empty. */
  private applyChanges(treeSha: string | undefined, changes: PendingChange[]): string | null {
    const entries = new Map(
      (treeSha === undefined ? [] : (this.trees.get(treeSha) ?? [])).map((e) => [e.path, e]),
    );
    const byName = new Map<string, PendingChange[]>();
    for (const change of changes) {
      const name = change.rest[0] as string;
      byName.set(name, [...(byName.get(name) ?? []), change]);
    }
    for (const [name, list] of byName) {
      // In input order; consecutive changes below `name` are applied to its subtree together.
      for (let i = 0; i < list.length; ) {
        const change = list[i] as PendingChange;
        if (change.rest.length > 1) {
          const below: PendingChange[] = [];
          for (; i < list.length && (list[i] as PendingChange).rest.length > 1; i++) {
            const next = list[i] as PendingChange;
            below.push({ rest: next.rest.slice(1), input: next.input });
          }
          const current = entries.get(name);
          const sha = this.applyChanges(current?.type === "tree" ? current.sha : undefined, below);
          if (sha === null) entries.delete(name);
          else entries.set(name, { path: name, mode: "040000", type: "tree", sha });
          continue;
        }
        i++;
        this.applyEntry(entries, name, change.input);
      }
    }
    return entries.size === 0 ? null : this.putTree([...entries.values()]);
  }

  private applyEntry(entries: Map<string, TreeEntry>, name: string, input: TreeInput): void {
    if (input.sha === null) {
      if (!entries.has(name))
        throw new GitRefusal(`tree.path ${input.path} does not exist and cannot be deleted`);
      entries.delete(name);
      return;
    }
    const sha =
      input.content === undefined ? (input.sha as string) : this.putBlob(Buffer.from(input.content));
    if (input.type === "tree" && !this.trees.has(sha))
      throw new GitRefusal(`tree.sha ${sha} is not a valid tree`);
    if (input.type === "blob" && !this.blobs.has(sha))
      throw new GitRefusal(`tree.sha ${sha} is not a valid blob`);
    entries.set(name, {
      path: name,
      mode: input.type === "tree" ? "040000" : input.mode,
      type: input.type,
      sha,
    });
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

  /** One file's bytes at a commit, branch or tag, found by walking its trees; `undefined` when absent. */
  file(ref: string, path: string): Buffer | undefined {
    const commit = this.commits.get(this.resolve(ref) ?? "");
    if (commit === undefined) throw new Error(`fake-github: no commit for ${ref}`);
    let tree: string = commit.tree;
    const parts = path.split("/");
    for (const [i, part] of parts.entries()) {
      const entry: TreeEntry | undefined = this.trees.get(tree)?.find((e) => e.path === part);
      if (entry === undefined) return undefined;
      if (i === parts.length - 1) return entry.type === "blob" ? this.blobs.get(entry.sha) : undefined;
      if (entry.type !== "tree") return undefined;
      tree = entry.sha;
    }
    return undefined;
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
