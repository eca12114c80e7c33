// A recordings directory copied from the fixtures, a simulator serving them, and the options
// that send every recorded host to it: the setting every `check`/`refresh` test starts from.
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll } from "vitest";
import type { CheckOptions } from "../../src/commands/check.ts";
import { defaultConfig } from "../../src/config.ts";
import { simulatorConfigFile, TEST_ENV, withSimulatorTokens } from "./simulator/replay-setup.ts";
import { hostUrl, type Simulator, type SimulatorOptions, startSimulator } from "./simulator.ts";
import { FIXTURES, makeTempDir } from "./temp-dir.ts";

export interface CheckSetup {
  dir: string;
  sim: Simulator;
  options: CheckOptions;
  /** The path of a copied recording whose name starts with `prefix`. */
  file(prefix: string): string;
}

/**
 * Copies the fixtures under `root` (or those whose path contains one of `only`) and starts a
 * simulator.
 */
export async function setupCheck(
  simOptions: Partial<SimulatorOptions> = {},
  only: string[] | null = null,
  root: string = FIXTURES,
): Promise<CheckSetup> {
  const dir = makeTempDir("recording-drift-check-");
  const files = listJson(root).filter((f) => only === null || only.some((o) => f.includes(o)));
  for (const file of files) cpSync(path.join(root, file), path.join(dir, file), { recursive: true });
  const recordings = files.map((file) => ({
    file,
    json: JSON.parse(readFileSync(path.join(dir, file), "utf8")),
  }));
  const sim = await startSimulator({ recordings, seed: 42, ...simOptions });
  afterAll(() => sim.close());
  // Runs that read the checkout's config (the CLI, runReplay) exchange watsonx keys with the
  // simulator too; written only when a watsonx recording needs it, so other setups hold only
  // recordings.
  if (recordings.some(({ json }) => /\.ml\.cloud\.ibm\.com\//.test(String(json.request?.url)))) {
    const config = simulatorConfigFile(sim);
    mkdirSync(path.dirname(path.join(dir, config.path)), { recursive: true });
    writeFileSync(path.join(dir, config.path), config.text);
  }
  const options = simulatorCheckOptions(sim, recordings, [dir], dir);
  const file = (prefix: string) => {
    const found = files.find((f) => path.basename(f).startsWith(prefix));
    if (!found) throw new Error(`no fixture starts with ${prefix}`);
    return path.join(dir, found);
  };
  return { dir, sim, options, file };
}

/** `check` options that send every recording's host to the simulator, with test keys. */
export function simulatorCheckOptions(
  sim: Simulator,
  recordings: Array<{ json: { request?: unknown } }>,
  paths: string[],
  cwd: string,
  concurrency = defaultConfig().concurrency,
): CheckOptions {
  return {
    paths,
    cwd,
    config: withSimulatorTokens(sim, { ...defaultConfig(), concurrency }),
    providerOverrides: simulatorOverridesFor(sim, recordings),
    filter: null,
    maxRequests: null,
    samples: 1,
    threshold: null,
    env: TEST_ENV,
  };
}

export function listJson(root: string): string[] {
  return (readdirSync(root, { recursive: true, encoding: "utf8" }) as string[])
    .filter((f) => f.endsWith(".json"))
    .sort();
}

/** `--provider` values sending each recorded host to its own stand-in base URL on the simulator. */
export function simulatorOverridesFor(
  sim: Simulator,
  recordings: Array<{ json: { request?: unknown } }>,
): string[] {
  // Each recorded host gets its own stand-in base URL on the simulator, keeping its base path
  // (passthrough requests move only their origin, so any base of the host serves them).
  const bases = new Map<string, string>();
  const origins = new Map<string, string>();
  for (const { json } of recordings) {
    const request = json.request as { url?: unknown; endpoint?: unknown };
    const url = typeof request.url === "string" ? request.url : "";
    const endpoint = request.endpoint;
    // google-genai calls go to Vertex AI: its regional hosts move to the simulator.
    if (url.startsWith("vertexai:")) {
      origins.set("*-aiplatform.googleapis.com", sim.url);
      continue;
    }
    // Passthrough recordings have no endpoint; only their origin moves to the simulator.
    if (endpoint === undefined && /^https?:/.test(url)) {
      origins.set(new URL(url).host, sim.url);
      continue;
    }
    if (
      !/^https?:/.test(url) ||
      typeof endpoint !== "string" ||
      endpoint.startsWith("/api/") ||
      !url.endsWith(endpoint)
    ) {
      continue;
    }
    const base = new URL(url.slice(0, url.length - endpoint.length));
    if (!bases.has(base.host))
      bases.set(base.host, hostUrl(sim, base.host, base.pathname.replace(/\/$/, "")));
  }
  return [...new Map([...origins, ...bases])].map(([host, url]) => `${host}=${url}`);
}

/**
 * Recordings split into rounds that each hold at most one recording per wire request. Several
 * recordings can hold the same wire request (model-list snapshots of one host taken on different
 * days, a file re-recorded under a new name beside its old copy, test ids that differ only in the
 * file); a provider answers a request one way, so a simulator serves one round at a time.
 */
export function roundsByWireRequest<T extends { json: { request?: unknown } }>(recordings: T[]): T[][] {
  const rounds: T[][] = [];
  const seen = new Map<string, number>();
  for (const recording of recordings) {
    const request = recording.json.request as Record<string, unknown>;
    const url = String(request.url ?? "");
    const key = JSON.stringify([
      url.replace(/^(\w+:\/\/[^/]+).*/, "$1"),
      request.method,
      wireBody(request) ?? request.endpoint,
    ]);
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    rounds[round] ??= [];
    rounds[round].push(recording);
  }
  return rounds;
}

/** Roughly what the SDK puts on the wire: `extra_body` merged in, the other SDK-only keys gone. */
function wireBody(request: Record<string, unknown>): unknown {
  const body = (request.body ?? request.payload) as Record<string, unknown> | undefined;
  if (!body || typeof body !== "object") return body;
  const { extra_body, extra_headers: _h, extra_query: _q, timeout: _t, ...rest } = body;
  return { ...rest, ...(extra_body as object | undefined) };
}

/** A simulator selector: the recording whose file name starts with `prefix`. */
export const named = (prefix: string) => (file: string) => path.basename(file).startsWith(prefix);

/** The sha256 of every recording under `dir`, in path order: equal when no file changed. */
export function fileDigests(dir: string): string[] {
  return listJson(dir).map((f) =>
    createHash("sha256")
      .update(readFileSync(path.join(dir, f)))
      .digest("hex"),
  );
}
