// A local OpenAI-compatible server (node:http on 127.0.0.1, port 0) that answers from
// recordings. A request is served only when method, path, query, extra headers and body are
// exactly what the SDK sent for some recording (bodies compared by value, keys sorted);
// anything else is logged in `unmatched` and refused with 404, so a test can assert the replay
// code put exactly the right request on the wire.

import { randomInt } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Liveify } from "./answers.ts";
import { type Answer, buildAnswer, type Mutation } from "./answers.ts";
import { canonicalJson, type Expectation, expectationFor, firstDifference } from "./expectations.ts";
import { type Fault, FaultRegistry, matches, type RecordingSelector } from "./faults.ts";
import { seededRandom } from "./liveify.ts";
import { adjustForProvider, authProblem, type IamIssuer, iamIssuer } from "./provider-wires.ts";
import { errorBody, writeAnswer } from "./respond.ts";

export interface SimulatorOptions {
  recordings: Array<{ file: string; json: unknown }>;
  /** Delay before every answer. */
  latencyMs?: number;
  /** Beyond `perSecond` requests in any second, answer 429 with `retry-after`. */
  rateLimit?: { perSecond: number; retryAfterSeconds?: number };
  /** How live the served data looks (default true; see `Liveify`). */
  liveify?: Liveify;
  /** Seed for ids, obfuscation and stream cuts (random unless given). */
  seed?: number;
  /** Query parameters every request must carry besides extra_query (e.g. Azure's api-version). */
  query?: Record<string, string>;
  /** Refuse with 401 any request without exactly the auth its recorded provider takes. */
  checkAuth?: boolean;
  /** How long IAM tokens live (default an hour, as IBM's do). */
  tokenLifetimeSeconds?: number;
  /** The simulator's clock for token lifetimes (Date.now unless a test moves time itself). */
  now?: () => number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  /** ms since the epoch, when the request arrived. */
  time: number;
  /** The recording it matched, or null. */
  file: string | null;
}

export interface UnmatchedRequest extends LoggedRequest {
  /** Why no recording matched: the nearest recording's first difference. */
  why: string;
}

export interface Simulator {
  /** The origin, e.g. http://127.0.0.1:43127 (no path: recorded paths are served as recorded). */
  url: string;
  requests: LoggedRequest[];
  unmatched: UnmatchedRequest[];
  /** Requests being answered now, and the most there ever were at once. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Changes the served data of the selected recordings; returns an undo function. */
  mutate(selector: RecordingSelector, mutation: Mutation): () => void;
  /**
   * Looks each request body up as `translate` maps it (a request rebuilt from a changed answer
   * is answered as the recording it was rebuilt from); returns an undo function.
   */
  translate(translate: (body: unknown) => unknown): () => void;
  /** Injects a fault, for the selected recordings or all requests; returns an undo function. */
  fault(fault: Fault, options?: { recording?: RecordingSelector; times?: number }): () => void;
  /**
   * Answers the next `afterRequests` requests, then holds every later answer until the returned
   * function is called: a test can stop a run mid-way however slow the machine is.
   */
  hold(afterRequests?: number): () => void;
  /** IBM Cloud IAM on `/identity/token`: the tokens it issued. */
  iam: IamIssuer;
  /** Stops listening and drops open connections: later requests are refused. */
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const expectations = options.recordings
    .map(({ file, json }) => expectationFor(file, json))
    .filter((e): e is Expectation => e !== null)
    .map((e) => adjustForProvider(e, hostOf(e)));
  const iam = iamIssuer(options.tokenLifetimeSeconds ?? 3600, options.now ?? Date.now);
  const seed = options.seed ?? randomInt(2 ** 31);
  // One generator per answer, from the seed, the recording and how often it was served: the
  // same answers whatever order concurrent requests arrive in.
  const served = new Map<string, number>();
  const randomFor = (file: string) => {
    const n = served.get(file) ?? 0;
    served.set(file, n + 1);
    return seededRandom(fnv1a(`${seed}\u0000${file}\u0000${n}`));
  };
  const mutations: Array<{ selector: RecordingSelector; mutation: Mutation }> = [];
  const translations: Array<(body: unknown) => unknown> = [];
  const faults = new FaultRegistry();
  const recent: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let gate: { remaining: number; open: Promise<void> } | null = null;

  const sim: Simulator = {
    url: "",
    requests: [],
    unmatched: [],
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    mutate(selector, mutation) {
      const entry = { selector, mutation };
      mutations.push(entry);
      return () => mutations.splice(mutations.indexOf(entry), 1);
    },
    translate(translate) {
      translations.push(translate);
      return () => translations.splice(translations.indexOf(translate), 1);
    },
    fault: (fault, faultOptions) => faults.add(fault, faultOptions),
    hold(afterRequests = 0) {
      let release = () => {};
      const held = { remaining: afterRequests, open: new Promise<void>((resolve) => (release = resolve)) };
      gate = held;
      return () => {
        if (gate === held) gate = null;
        release();
      };
    },
    iam,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  // Indexed by everything but headers, so a lookup costs the same for 40 recordings or 4,000.
  const keyOf = (method: string, path: string, query: unknown, body: unknown) =>
    `${method} ${path} ${canonicalJson(query)} ${canonicalJson(body)}`;
  const index = new Map<string, Expectation[]>();
  for (const e of expectations) {
    const key = keyOf(e.method, e.path, { ...e.query, ...options.query }, e.body);
    index.set(key, [...(index.get(key) ?? []), e]);
  }
  const headersMatch = (e: Expectation, headers: Record<string, string>) =>
    Object.entries(e.headers).every(([name, value]) => headers[name] === value);

  const authOf = (e: Expectation, request: LoggedRequest) =>
    options.checkAuth ? authProblem(hostOf(e), e.family, request.headers, iam) : null;
  const find = (request: LoggedRequest, host: string | null): { found: Expectation | null; why: string } => {
    const candidates = (
      index.get(keyOf(request.method, request.path, request.query, request.body)) ?? []
    ).filter((e) => headersMatch(e, request.headers) && (host === null || hostOf(e) === host));
    // The same request may be recorded for several hosts: any whose provider takes this auth.
    const found = candidates.find((e) => authOf(e, request) === null);
    if (found !== undefined) return { found, why: "" };
    const refused = candidates[0] && authOf(candidates[0], request);
    if (refused) return { found: null, why: refused };
    let why = `no recording has ${request.method} ${request.path}`;
    for (const e of expectations) {
      if (e.method !== request.method || e.path !== request.path) continue;
      const picked = pick(request.headers, Object.keys(e.headers));
      const difference =
        firstDifference({ ...e.query, ...options.query }, request.query, "query") ??
        firstDifference(e.headers, picked, "headers") ??
        firstDifference(e.body, request.body, "body");
      why = `nearest is ${e.file}: ${difference}`;
    }
    return { found: null, why };
  };

  const rateLimited = (now: number): boolean => {
    if (options.rateLimit === undefined) return false;
    while (recent.length > 0 && (recent[0] ?? 0) <= now - 1000) recent.shift();
    if (recent.length >= options.rateLimit.perSecond) return true;
    recent.push(now);
    return false;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://simulator");
    const { host, path } = splitHostPrefix(url.pathname);
    const text = await readText(req);
    const request: LoggedRequest = {
      method: req.method ?? "GET",
      path,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
      body: translations.reduce((body, translate) => translate(body), parseJson(text)),
      time: Date.now(),
      file: null,
    };
    // Token requests are IAM's, not the provider's: they are logged in `iam.issued`.
    const token = iam.handle(path, text);
    if (token !== null) {
      writeAnswer(res, { kind: "json", status: token.status, body: token.body }, null);
      return;
    }
    sim.requests.push(request);
    if (gate !== null && gate.remaining-- <= 0) await gate.open;
    if (rateLimited(request.time)) {
      const retryAfter = String(options.rateLimit?.retryAfterSeconds ?? 1);
      writeAnswer(
        res,
        { kind: "json", status: 429, body: null },
        { kind: "status", status: 429, retryAfter },
      );
      return;
    }
    const { found, why } = find(request, host);
    request.file = found?.file ?? null;
    const { latencyMs, fault } = faults.take(found);
    if (found === null) sim.unmatched.push({ ...request, why });
    const answer: Answer =
      found === null
        ? { kind: "json", status: why.startsWith("auth:") ? 401 : 404, body: unmatchedBody(why) }
        : buildAnswer(
            found,
            mutations.filter((m) => matches(m.selector, found)).map((m) => m.mutation),
            { liveify: options.liveify ?? true, random: randomFor(found.file) },
          );
    // Latency counts from the request's arrival, so the simulator's own work is not added to it.
    await sleep((options.latencyMs ?? 0) + latencyMs - (Date.now() - request.time));
    writeAnswer(res, answer, found === null && fault?.kind !== "status" ? null : fault);
  };

  const server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on("close", () => inFlight--);
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`simulator error: ${error instanceof Error ? error.stack : String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  sim.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return sim;
}

/**
 * One simulator can stand in for several providers: a request under `/__host/<host>/…` is
 * answered only from recordings of that host (model lists of different hosts are the same
 * request). `hostUrl(sim, host)` gives the base URL to configure for a host.
 */
function splitHostPrefix(pathname: string): { host: string | null; path: string } {
  const match = /^\/__host\/([^/]+)(\/.*)$/.exec(pathname);
  return match
    ? { host: decodeURIComponent(match[1] as string), path: match[2] as string }
    : { host: null, path: pathname };
}

function hostOf(e: Expectation): string | null {
  const request = e.json.request as { url?: unknown } | undefined;
  const url = typeof request?.url === "string" ? request.url : "";
  return /^https?:\/\/([^/]+)/.exec(url)?.[1] ?? null;
}

/** The base URL standing in for `host` and a recorded base path (e.g. `/v1`). */
export function hostUrl(sim: Simulator, host: string, basePath: string): string {
  return `${sim.url}/__host/${encodeURIComponent(host)}${basePath}`;
}

function unmatchedBody(why: string): unknown {
  const body = errorBody(404) as { error: Record<string, unknown> };
  body.error.message = `No recording matches this request (${why}).`;
  return body;
}

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (part: Buffer) => parts.push(part));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

function parseJson(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function pick(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.filter((n) => n in headers).map((n) => [n, headers[n] as string]));
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** FNV-1a, 32 bits: a seed from a string. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
