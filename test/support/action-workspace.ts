// A checkout for the replaying modes: llama-stack's fixture recordings in their own layout, the
// same files as the fake GitHub repository's default branch, and the provider simulator serving
// them; every recorded host is pointed at the simulator through the `providers` input.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { toPosix } from "../../src/recording/files.ts";
import type { ReplayTarget } from "../../src/replay/types.ts";
import { type FixtureRecording, replayTargetFor } from "./simulator/fixtures.ts";
import { simulatorConfigFile, simulatorOverrides } from "./simulator/replay-setup.ts";
import { type Simulator, startSimulator } from "./simulator.ts";
import { FIXTURES } from "./temp-dir.ts";

const TESTS = path.join(FIXTURES, "llama-stack/tests");
// Same request as its sibling `-0da7d1b1` (another model list from the same server): the
// simulator can serve only one answer per request, so this one would always read as drifted.
const SHADOWED =
  "integration/common/recordings/models-64a2277c90f0f42576f60c1030e3a020403d34a95f56931b792d5939f4cebc57-489dfd4c.json";

export interface ActionWorkspace {
  dir: string;
  /** Repository path → content: the base branch, as the fake GitHub starts. */
  files: Record<string, string>;
  sim: Simulator;
  /** The `providers` input sending every recorded host to the simulator. */
  providers: string;
  /** Puts every recording back as the base has it (a fresh checkout). */
  reset(): void;
  close(): Promise<void>;
}

export async function makeActionWorkspace(dir: string): Promise<ActionWorkspace> {
  const reset = () => {
    rmSync(path.join(dir, "tests"), { recursive: true, force: true });
    cpSync(TESTS, path.join(dir, "tests"), { recursive: true });
    rmSync(path.join(dir, "tests", SHADOWED));
  };
  reset();
  const files: Record<string, string> = { "README.md": "# llama-stack\n" };
  const recordings: FixtureRecording[] = [];
  for (const entry of listFiles(path.join(dir, "tests"))) {
    const file = toPosix(path.relative(dir, entry));
    const text = readFileSync(entry, "utf8");
    files[file] = text;
    recordings.push({ file, json: JSON.parse(text) });
  }
  const sim = await startSimulator({ recordings });
  // The repository's config moves watsonx's IAM token exchange to the simulator.
  const config = simulatorConfigFile(sim);
  mkdirSync(path.dirname(path.join(dir, config.path)), { recursive: true });
  writeFileSync(path.join(dir, config.path), config.text);
  files[config.path] = config.text;
  const targets = recordings.map(replayTargetFor).filter((t): t is ReplayTarget => t !== null);
  return {
    dir,
    files,
    sim,
    providers: simulatorOverrides(sim, targets).join("\n"),
    reset,
    close: () => sim.close(),
  };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}
