// What the fake GitHub does for each operation it implements, keyed by the OpenAPI
// operationId. Requests reach a handler only after they passed the spec's validation, so
// bodies are read with the shapes the spec guarantees. Refusals mirror GitHub's 4xx answers.
import { type GitPerson, GitRefusal, type TreeInput } from "./fake-github-git.ts";
import {
  api,
  BOT,
  commitJson,
  type FakePullRequest,
  labelJson,
  pullJson,
  type RepositoryState,
  refJson,
  repositoryJson,
} from "./fake-github-repository.ts";

export interface HandlerInput {
  state: RepositoryState;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}

export interface Reply {
  status: number;
  body: unknown;
}

/** An answer other than success, with GitHub's error body fields. */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: unknown[],
  ) {
    super(message);
  }
}

const now = () => new Date().toISOString();
function findPull(s: RepositoryState, number: string): FakePullRequest {
  const pr = s.pulls.find((p) => String(p.number) === number);
  if (!pr) throw new HttpRefusal(404, "Not Found");
  return pr;
}

function addNew(into: string[], names: readonly string[]): void {
  for (const name of names) if (!into.includes(name)) into.push(name);
}

/** GitHub counts characters, not UTF-16 units, against its 65,536 limit. */
function refuseLongBody(body: string | undefined): void {
  if (body !== undefined && [...body].length > 65_536) {
    const message = "body is too long (maximum is 65536 characters)";
    throw new HttpRefusal(422, "Validation Failed", [
      { resource: "Issue", field: "body", code: "custom", message },
    ]);
  }
}

function invalidField(resource: string, field: string): HttpRefusal {
  return new HttpRefusal(422, "Validation Failed", [{ resource, field, code: "invalid" }]);
}

/** `owner:branch` or `branch` → branch, when the owner (if any) is this repository's. */
function headBranch(s: RepositoryState, head: string): string | undefined {
  const [owner, branch] = head.includes(":") ? head.split(":", 2) : [s.owner, head];
  return owner?.toLowerCase() === s.owner.toLowerCase() ? branch : undefined;
}

export const handlers: Record<string, (input: HandlerInput) => Reply> = {
  "repos/get": ({ state }) => ({ status: 200, body: repositoryJson(state) }),

  "git/get-ref": ({ state, params }) => {
    const name = `refs/${params.ref}`;
    const sha = state.git.refs.get(name);
    if (!sha) throw new HttpRefusal(404, "Not Found");
    return { status: 200, body: refJson(state, name, sha) };
  },

  "git/create-ref": ({ state, body }) => {
    const { ref, sha } = body as { ref: string; sha: string };
    if (!/^refs\/[^/]+\/.+/.test(ref)) {
      throw new GitRefusal("Reference name must start with 'refs/' and have at least two slashes.");
    }
    if (state.git.refs.has(ref)) throw new GitRefusal("Reference already exists");
    if (!state.git.commits.has(sha)) throw new GitRefusal("Object does not exist");
    state.git.refs.set(ref, sha);
    return { status: 201, body: refJson(state, ref, sha) };
  },

  "git/update-ref": ({ state, params, body }) => {
    const { sha, force } = body as { sha: string; force?: boolean };
    const name = `refs/${params.ref}`;
    const current = state.git.refs.get(name);
    if (!current) throw new GitRefusal("Reference does not exist");
    if (!state.git.commits.has(sha)) throw new GitRefusal("Object does not exist");
    if (!force && !state.git.isAncestor(current, sha)) throw new GitRefusal("Update is not a fast forward");
    state.git.refs.set(name, sha);
    return { status: 200, body: refJson(state, name, sha) };
  },

  "git/get-commit": ({ state, params }) => {
    const commit = state.git.commits.get(params.commit_sha ?? "");
    if (!commit) throw new HttpRefusal(404, "Not Found");
    return { status: 200, body: commitJson(state, commit) };
  },

  "git/create-blob": ({ state, body }) => {
    const { content, encoding = "utf-8" } = body as { content: string; encoding?: string };
    if (encoding !== "utf-8" && encoding !== "base64") throw invalidField("Blob", "encoding");
    const sha = state.git.putBlob(Buffer.from(content, encoding === "base64" ? "base64" : "utf8"));
    return { status: 201, body: { sha, url: api(state, `/git/blobs/${sha}`) } };
  },

  "git/get-tree": ({ state, params, query }) => {
    const sha = params.tree_sha ?? "";
    if (!state.git.trees.has(sha)) throw new HttpRefusal(404, "Not Found");
    const recursive = query.recursive !== undefined;
    const entries = recursive
      ? [...state.git.flatten(sha)].map(([path, e]) => ({ path, ...e }))
      : (state.git.trees.get(sha) ?? []);
    const tree = entries.map((e) => ({
      ...e,
      size: e.type === "blob" ? state.git.blobs.get(e.sha)?.length : undefined,
      url: api(state, `/git/${e.type}s/${e.sha}`),
    }));
    return { status: 200, body: { sha, url: api(state, `/git/trees/${sha}`), tree, truncated: false } };
  },

  "git/create-tree": ({ state, body }) => {
    const { tree, base_tree } = body as { tree: TreeInput[]; base_tree?: string };
    const sha = state.git.createTree(base_tree, tree);
    const entries = (state.git.trees.get(sha) ?? []).map((e) => ({
      ...e,
      size: e.type === "blob" ? state.git.blobs.get(e.sha)?.length : undefined,
      url: api(state, `/git/${e.type}s/${e.sha}`),
    }));
    return {
      status: 201,
      body: { sha, url: api(state, `/git/trees/${sha}`), tree: entries, truncated: false },
    };
  },

  "git/create-commit": ({ state, body }) => {
    const input = body as { message: string; tree: string; parents?: string[]; author?: GitPerson };
    if (!state.git.trees.has(input.tree)) throw new GitRefusal("Tree SHA does not exist");
    const parents = input.parents ?? [];
    if (parents.some((p) => !state.git.commits.has(p))) {
      throw new GitRefusal("Parent SHA does not exist or is not a commit object");
    }
    const author = { ...BOT, date: now(), ...input.author };
    const commit = state.git.putCommit({
      tree: input.tree,
      parents,
      message: input.message,
      author,
      committer: author,
    });
    return { status: 201, body: commitJson(state, commit) };
  },

  "pulls/list": ({ state, query }) => {
    const wanted = (query.state as string | undefined) ?? "open";
    const head = query.head as string | undefined;
    const pulls = state.pulls
      .filter((pr) => wanted === "all" || pr.state === wanted)
      .filter((pr) => head === undefined || headBranch(state, head) === pr.head)
      .filter((pr) => query.base === undefined || pr.base === query.base)
      .reverse();
    return { status: 200, body: pulls.map((pr) => pullJson(state, pr)) };
  },

  "pulls/create": ({ state, body }) => {
    const input = body as { title?: string; head: string; base: string; body?: string; draft?: boolean };
    if (input.title === undefined) {
      throw new HttpRefusal(422, "Validation Failed", [
        { resource: "Issue", field: "title", code: "missing_field" },
      ]);
    }
    refuseLongBody(input.body);
    const head = headBranch(state, input.head);
    const headSha = head === undefined ? undefined : state.git.resolve(`refs/heads/${head}`);
    const baseSha = state.git.resolve(`refs/heads/${input.base}`);
    if (head === undefined || headSha === undefined) throw invalidField("PullRequest", "head");
    if (baseSha === undefined) throw invalidField("PullRequest", "base");
    if (state.pulls.some((pr) => pr.state === "open" && pr.head === head && pr.base === input.base)) {
      const message = `A pull request already exists for ${state.owner}:${head}.`;
      throw new HttpRefusal(422, "Validation Failed", [{ resource: "PullRequest", code: "custom", message }]);
    }
    if (state.git.isAncestor(headSha, baseSha)) {
      const message = `No commits between ${input.base} and ${head}`;
      throw new HttpRefusal(422, "Validation Failed", [{ resource: "PullRequest", code: "custom", message }]);
    }
    const at = now();
    const pr: FakePullRequest = {
      number: state.pulls.length + 1,
      state: "open",
      title: input.title,
      body: input.body ?? null,
      draft: input.draft ?? false,
      head,
      base: input.base,
      labels: [],
      reviewers: [],
      teamReviewers: [],
      assignees: [],
      createdAt: at,
      updatedAt: at,
    };
    state.pulls.push(pr);
    return { status: 201, body: pullJson(state, pr) };
  },

  "pulls/update": ({ state, params, body }) => {
    const pr = findPull(state, params.pull_number ?? "");
    const input = body as { title?: string; body?: string; state?: "open" | "closed"; base?: string };
    refuseLongBody(input.body);
    if (input.base !== undefined && state.git.resolve(`refs/heads/${input.base}`) === undefined) {
      throw invalidField("PullRequest", "base");
    }
    Object.assign(pr, {
      title: input.title ?? pr.title,
      body: input.body ?? pr.body,
      state: input.state ?? pr.state,
      base: input.base ?? pr.base,
      updatedAt: now(),
    });
    return { status: 200, body: pullJson(state, pr) };
  },

  "pulls/request-reviewers": ({ state, params, body }) => {
    const pr = findPull(state, params.pull_number ?? "");
    const input = (body ?? {}) as { reviewers?: string[]; team_reviewers?: string[] };
    addNew(pr.reviewers, input.reviewers ?? []);
    addNew(pr.teamReviewers, input.team_reviewers ?? []);
    return { status: 201, body: pullJson(state, pr) };
  },

  "issues/add-assignees": ({ state, params, body }) => {
    const pr = findPull(state, params.issue_number ?? "");
    addNew(pr.assignees, ((body ?? {}) as { assignees?: string[] }).assignees ?? []);
    return {
      status: 201,
      body: { ...pullJson(state, pr), pull_request: { url: api(state, `/pulls/${pr.number}`) } },
    };
  },

  "issues/add-labels": ({ state, params, body }) => {
    // Only pull requests exist in the fake; issues are not modelled.
    const pr = findPull(state, params.issue_number ?? "");
    const { labels = [] } = (body ?? {}) as { labels?: (string | { name: string })[] };
    for (const label of labels) {
      const name = typeof label === "string" ? label : label.name;
      if (!pr.labels.includes(name)) pr.labels.push(name);
    }
    return { status: 200, body: pr.labels.map(labelJson) };
  },
};
