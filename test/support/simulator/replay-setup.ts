// Pointing replayAll at a simulator: every recorded host goes to the simulator's origin (the
// recorded base path is kept), with test keys in a private environment.

import type { Capture } from "../../../src/capture.ts";
import { defaultConfig } from "../../../src/config.ts";
import type { ReplayOptions, ReplayResult, ReplayTarget } from "../../../src/replay/types.ts";
import type { Simulator } from "./server.ts";

/** Keys a test can grep for: none may appear in a capture, a reason or a report. */
export const TEST_ENV = {
  OPENAI_API_KEY: "sk-test-openai-5f2a9c",
  AZURE_OPENAI_API_KEY: "azure-test-key-77b1e0",
} as const;

/** `--provider HOST=URL` values sending every target's recorded host to the simulator. */
export function simulatorOverrides(sim: Simulator, targets: readonly ReplayTarget[]): string[] {
  const hosts = new Set(targets.map((t) => new URL((t.request as { url: string }).url).host));
  return [...hosts].map((host) => `${host}=${sim.url}`);
}

/** Replay options for a simulator run; `overrides` replaces any of them. */
export function simulatorOptions(
  sim: Simulator,
  targets: readonly ReplayTarget[],
  overrides: Partial<ReplayOptions> = {},
): ReplayOptions {
  return {
    config: defaultConfig(),
    providerOverrides: simulatorOverrides(sim, targets),
    env: TEST_ENV,
    ...overrides,
  };
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
