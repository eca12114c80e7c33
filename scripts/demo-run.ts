// The demo's run, apart from how it is shown: the example recordings served by the provider
// simulator on loopback (fresh ids, fingerprints, re-split streams: noise, not drift), one answer
// changed so the report shows what drift looks like, and the `check` command line a user would
// type to replay them. `scripts/demo.ts` runs it with the bundled CLI; the tests with the source.
import { readFileSync } from "node:fs";
import path from "node:path";
import { listJson, simulatorOverridesFor } from "../test/support/check-setup.ts";
import { changeArithmeticAnswer } from "../test/support/demo-change.ts";
import { TEST_ENV } from "../test/support/simulator/replay-setup.ts";
import { startSimulator } from "../test/support/simulator.ts";

export interface DemoRun {
  /** Where the command runs: the parent of `examples/`. */
  cwd: string;
  /** The arguments after `recording-drift`. */
  args: string[];
  /** Stand-in credentials the simulator expects (OpenAI's key, Vertex AI's token and project). */
  env: Record<string, string>;
  close: () => Promise<void>;
}

export async function startDemo(): Promise<DemoRun> {
  const examples = path.resolve(import.meta.dirname, "../examples");
  const recordings = listJson(examples).map((file) => ({
    file,
    json: JSON.parse(readFileSync(path.join(examples, file), "utf8")),
  }));
  // Seeded: the same noise on every run, so the demo reads the same each time.
  const sim = await startSimulator({ recordings, seed: 42 });
  // The model now answers the arithmetic question differently: a real change, not noise.
  changeArithmeticAnswer(sim);
  const providers = simulatorOverridesFor(sim, recordings).flatMap((p) => ["--provider", p]);
  return {
    cwd: path.dirname(examples),
    args: ["check", "examples", ...providers],
    env: TEST_ENV,
    close: () => sim.close(),
  };
}

/**
 * The command as a user would type it: `$ recording-drift check examples --provider …`, each
 * argument quoted for a POSIX shell when it needs it. By hand: one line of quoting rules.
 */
export function commandLine(args: readonly string[]): string {
  const quoted = args.map((arg) =>
    /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`,
  );
  return `$ recording-drift ${quoted.join(" ")}`;
}
