// A recordings directory copied from the fixtures, a simulator serving them, and the options
// that send every recorded host to it: the setting every `check`/`refresh` test starts from.
import { cpSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll } from "vitest";
import type { CheckOptions } from "../../src/commands/check.ts";
import { defaultConfig } from "../../src/config.ts";
import { TEST_ENV } from "./simulator/replay-setup.ts";
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
  const options: CheckOptions = {
    paths: [dir],
    cwd: dir,
    config: defaultConfig(),
    providerOverrides: simulatorOverridesFor(sim, recordings),
    filter: null,
    maxRequests: null,
    samples: 1,
    threshold: null,
    env: TEST_ENV,
  };
  const file = (prefix: string) => {
    const found = files.find((f) => path.basename(f).startsWith(prefix));
    if (!found) throw new Error(`no fixture starts with ${prefix}`);
    return path.join(dir, found);
  };
  return { dir, sim, options, file };
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
