// Pointing replayAll at a simulator: every recorded host goes to the simulator's origin (the
// recorded base path is kept), with test keys in a private environment.

import { stringify as stringifyYaml } from "yaml";
import type { Capture } from "../../../src/capture.ts";
import { type Config, DEFAULT_CONFIG_PATH, defaultConfig, parseConfig } from "../../../src/config.ts";
import type { ReplayOptions, ReplayResult, ReplayTarget } from "../../../src/replay/types.ts";
import { IAM_PATH, TEST_ENV } from "./provider-wires.ts";
import type { Simulator } from "./server.ts";

export { TEST_ENV };

/** `--provider HOST=URL` values sending every target's recorded host to the simulator. */
export function simulatorOverrides(sim: Simulator, targets: readonly ReplayTarget[]): string[] {
  // google-genai calls go to Vertex AI, whatever region the test's location names.
  const hosts = new Set(
    targets.map((t) =>
      t.endpoint === "genai"
        ? "*-aiplatform.googleapis.com"
        : new URL((t.request as { url: string }).url).host,
    ),
  );
  return [...hosts].map((host) => `${host}=${sim.url}`);
}

/** Replay options for a simulator run; `overrides` replaces any of them. */
export function simulatorOptions(
  sim: Simulator,
  targets: readonly ReplayTarget[],
  overrides: Partial<ReplayOptions> = {},
): ReplayOptions {
  return {
    providerOverrides: simulatorOverrides(sim, targets),
    env: TEST_ENV,
    ...overrides,
    config: withSimulatorTokens(sim, overrides.config ?? defaultConfig()),
  };
}

/** The config entry moving watsonx's IAM token exchange to the simulator (never to IBM). */
function simulatorTokenEntry(sim: { url: string }) {
  return { host: "*.ml.cloud.ibm.com", "token-url": `${sim.url}${IAM_PATH}` };
}

/** The config with watsonx's IAM token exchange moved to the simulator. */
export function withSimulatorTokens(sim: { url: string }, config: Config): Config {
  const [entry] = parseConfig({ providers: [simulatorTokenEntry(sim)] }, "simulator").providers;
  return { ...config, providers: [...config.providers, ...(entry ? [entry] : [])] };
}

/**
 * The same as a repository's `.github/recording-drift.yml`, for runs that read their config
 * from the checkout (the CLI, the action): its path and its text.
 */
export function simulatorConfigFile(sim: { url: string }): { path: string; text: string } {
  return { path: DEFAULT_CONFIG_PATH, text: stringifyYaml({ providers: [simulatorTokenEntry(sim)] }) };
}

export async function collect(results: AsyncIterable<ReplayResult>): Promise<ReplayResult[]> {
  const out: ReplayResult[] = [];
  for await (const result of results) out.push(result);
  return out;
}

/** The i-th sample of a captured result; throws with the outcome when it is not one. */
export function capturedSample(result: ReplayResult | undefined, i = 0): Capture {
  const sample = result?.outcome.kind === "captured" ? result.outcome.samples[i] : undefined;
  if (sample === undefined) throw new Error(`not captured: ${JSON.stringify(result?.outcome)}`);
  return sample;
}
