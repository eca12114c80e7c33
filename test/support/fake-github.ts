// A fake GitHub REST API on loopback for tests: one repository kept in memory (git objects,
// branches, pull requests, labels), every request checked against GitHub's OpenAPI
// description, and failures injectable per operation. Tests talk to it over real HTTP.
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type GitCommit, GitRefusal, GitStore } from "./fake-github-git.ts";
import { HttpRefusal, handlers } from "./fake-github-handlers.ts";
import { checkRequest } from "./fake-github-openapi.ts";
import type { FakePullRequest, RepositoryState } from "./fake-github-repository.ts";

export type { FakePullRequest } from "./fake-github-repository.ts";

/** Makes requests to one operation fail the way GitHub would. */
export interface InjectedFailure {
  /** OpenAPI operationId, e.g. `pulls/create`, `git/create-ref`. */
  operationId: string;
  status: number;
  message: string;
  /** Extra response headers, e.g. `retry-after` for rate limits. */
  headers?: Record<string, string>;
  /** How many requests fail; all of them when unset. */
  times?: number;
  /** How many requests to the operation succeed before the first failure; none when unset. */
  after?: number;
}

/**
 * GitHub's secondary limits as the fake enforces them. Content-creating requests (every method
 * but GET and HEAD) over `perMinute` in any minute or `perHour` in any hour are answered 403
 * with `retry-after`; create-tree calls over `treeEntries` entries are refused, as GitHub times
 * them out. `minuteMs` scales time: a test's minute can last 60 ms, and `retry-after` is then in
 * seconds of that scale (1 ms each).
 */
export interface FakeLimits {
  perMinute: number;
  perHour: number;
  minuteMs: number;
  treeEntries: number;
}

export const GITHUB_LIMITS: FakeLimits = { perMinute: 80, perHour: 500, minuteMs: 60_000, treeEntries: 1000 };

export interface FakeGitHubOptions {
  owner: string;
  repo: string;
  /** The default branch's files at the start: path → content. */
  files: Record<string, string>;
  defaultBranch?: string;
  failures?: InjectedFailure[];
  /** GitHub's own limits (GITHUB_LIMITS) unless overridden. */
  limits?: Partial<FakeLimits>;
}

export interface RecordedRequest {
  method: string;
  /** Path and query as sent. */
  path: string;
  operationId: string | null;
  body: unknown;
  status: number;
}

/** A request the real API would have rejected as malformed. */
export interface ValidationFailure {
  method: string;
  path: string;
  operationId: string | null;
  errors: string[];
}

export interface FakeGitHub {
  /** API base url, for Octokit's `baseUrl`. */
  url: string;
  close(): Promise<void>;
  /** A file's content at a branch or commit; `undefined` when absent. */
  readFile(ref: string, path: string): string | undefined;
  /** All file paths at a branch or commit, sorted. */
  listFiles(ref: string): string[];
  /** A branch's head commit sha; `undefined` when the branch does not exist. */
  branchHead(branch: string): string | undefined;
  commit(sha: string): GitCommit | undefined;
  /** Commits onto a branch as someone pushing would (`null` deletes); returns the new sha. */
  pushFiles(branch: string, files: Record<string, string | null>, message?: string): string;
  failOn(failure: InjectedFailure): void;
  readonly pulls: readonly FakePullRequest[];
  readonly requests: readonly RecordedRequest[];
  readonly validationErrors: readonly ValidationFailure[];
  /** Content-creating requests received (the ones the secondary limits count). */
  readonly contentRequests: number;
}

const DOCS = "https://docs.github.com/rest";

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(status === 204 ? undefined : JSON.stringify(body));
}

function errorBody(status: number, message: string, errors?: unknown[]) {
  return { message, ...(errors ? { errors } : {}), documentation_url: DOCS, status: String(status) };
}

export async function createFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const git = new GitStore();
  const state: RepositoryState = {
    owner: options.owner,
    repo: options.repo,
    defaultBranch: options.defaultBranch ?? "main",
    url: "",
    git,
    pulls: [],
  };
  const failures = [...(options.failures ?? [])];
  const limits = { ...GITHUB_LIMITS, ...options.limits };
  /** When each content-creating request came, in ms of `performance.now()`. */
  const writes: number[] = [];
  const requests: RecordedRequest[] = [];
  const validationErrors: ValidationFailure[] = [];

  function pushFiles(branch: string, files: Record<string, string | null>, message = "Update files"): string {
    const parent = git.resolve(branch);
    const baseTree = parent === undefined ? undefined : git.commits.get(parent)?.tree;
    const inputs = Object.entries(files).map(([path, content]) =>
      content === null
        ? { path, mode: "100644", type: "blob" as const, sha: null }
        : { path, mode: "100644", type: "blob" as const, content },
    );
    const person = { name: "Someone", email: "someone@example.com", date: new Date().toISOString() };
    const tree = git.createTree(baseTree, inputs);
    const parents = parent === undefined ? [] : [parent];
    const commit = git.putCommit({ tree, parents, message, author: person, committer: person });
    git.refs.set(`refs/heads/${branch}`, commit.sha);
    return commit.sha;
  }

  /** GitHub's secondary-limit answer when this content-creating request is one too many. */
  function overLimit(method: string) {
    if (method === "GET" || method === "HEAD") return null;
    const now = performance.now();
    const hourMs = limits.minuteMs * 60;
    while (writes.length > 0 && (writes[0] as number) <= now - hourMs) writes.shift();
    const inMinute = writes.filter((at) => at > now - limits.minuteMs);
    let freeAt: number | null = null;
    if (inMinute.length >= limits.perMinute) freeAt = (inMinute[0] as number) + limits.minuteMs;
    else if (writes.length >= limits.perHour) freeAt = (writes[0] as number) + hourMs;
    if (freeAt === null) {
      writes.push(now);
      return null;
    }
    const seconds = Math.max(1, Math.ceil((freeAt - now) / (limits.minuteMs / 60)));
    const message =
      "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";
    return { status: 403, body: errorBody(403, message), headers: { "retry-after": String(seconds) } };
  }

  /** GitHub times out a create-tree call with too many entries. */
  function treeTooLarge(operationId: string, body: unknown) {
    if (operationId !== "git/create-tree") return null;
    const entries = (body as { tree: unknown[] }).tree.length;
    if (entries <= limits.treeEntries) return null;
    const message = `The tree has ${entries} entries, too many to create in one request: consider building the tree incrementally (base_tree).`;
    return { status: 422, body: errorBody(422, message) };
  }

  /** The reply to a request that passed validation: an injected failure or the handler's. */
  function answer(
    operationId: string,
    params: Record<string, string>,
    query: Record<string, unknown>,
    body: unknown,
  ) {
    const failure = failures.find((f) => f.operationId === operationId && (f.times ?? 1) > 0);
    if (failure?.after) failure.after--;
    else if (failure) {
      if (failure.times !== undefined) failure.times--;
      return {
        status: failure.status,
        body: errorBody(failure.status, failure.message),
        headers: failure.headers,
      };
    }
    const wrongRepo =
      params.owner !== undefined &&
      (params.owner.toLowerCase() !== state.owner.toLowerCase() ||
        params.repo?.toLowerCase() !== state.repo.toLowerCase());
    const handler = handlers[operationId];
    if (wrongRepo) return { status: 404, body: errorBody(404, "Not Found") };
    if (!handler)
      return { status: 501, body: errorBody(501, `fake-github does not implement ${operationId}`) };
    try {
      return handler({ state, params, query, body });
    } catch (error) {
      if (error instanceof HttpRefusal) {
        return { status: error.status, body: errorBody(error.status, error.message, error.errors) };
      }
      if (error instanceof GitRefusal) return { status: 422, body: errorBody(422, error.message) };
      throw error;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", state.url);
    const path = `${url.pathname}${url.search}`;
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw === "" ? undefined : JSON.parse(raw);
    } catch {
      validationErrors.push({ method, path, operationId: null, errors: ["body is not JSON"] });
      requests.push({ method, path, operationId: null, body: raw, status: 400 });
      send(res, 400, errorBody(400, "Problems parsing JSON"));
      return;
    }
    const checked = checkRequest(method, url, body);
    const { operationId } = checked;
    let reply: { status: number; body: unknown; headers?: Record<string, string> | undefined };
    if (!req.headers.authorization) {
      reply = { status: 401, body: errorBody(401, "Requires authentication") };
    } else if (checked.errors.length > 0 || operationId === null) {
      validationErrors.push({ method, path, operationId, errors: checked.errors });
      reply =
        operationId === null
          ? { status: 404, body: errorBody(404, "Not Found") }
          : { status: 422, body: errorBody(422, `Invalid request.\n\n${checked.errors.join("\n")}`) };
    } else {
      reply =
        overLimit(method) ??
        treeTooLarge(operationId, body) ??
        answer(operationId, checked.pathParams, checked.query, body);
    }
    requests.push({ method, path, operationId, body, status: reply.status });
    send(res, reply.status, reply.body, reply.headers);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      send(res, 500, errorBody(500, `fake-github crashed: ${String(error)}`));
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  pushFiles(state.defaultBranch, options.files, "Initial commit");

  return {
    url: state.url,
    async close() {
      // Octokit's fetch keeps connections alive; close them or `close` waits for their timeout.
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
    readFile: (ref, path) => git.file(ref, path)?.toString("utf8"),
    listFiles: (ref) => [...git.files(ref).keys()].sort(),
    branchHead: (branch) => git.refs.get(`refs/heads/${branch}`),
    commit: (sha) => git.commits.get(sha),
    pushFiles,
    failOn: (failure) => failures.push(failure),
    pulls: state.pulls,
    requests,
    validationErrors,
    get contentRequests() {
      return requests.filter((r) => r.method !== "GET" && r.method !== "HEAD").length;
    },
  };
}
