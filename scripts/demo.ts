// `npm run demo`: the CLI's `check` on the bundled example recordings, against the provider
// simulator on loopback instead of the real providers (no API key needed). The simulator answers
// as a live API would (fresh ids, fingerprints, re-split streams: noise, not drift), except that
// one answer is changed so the report shows what drift looks like.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import path from "node:path";
import { listJson, simulatorOverridesFor } from "../test/support/check-setup.ts";
import { changeArithmeticAnswer } from "../test/support/demo-change.ts";
import { TEST_ENV } from "../test/support/simulator/replay-setup.ts";
import { startSimulator } from "../test/support/simulator.ts";

const examples = path.resolve(import.meta.dirname, "../examples");
const files = listJson(examples);
const recordings = files.map((file) => ({
  file,
  json: JSON.parse(readFileSync(path.join(examples, file), "utf8")),
}));
const sim = await startSimulator({ recordings });
changeArithmeticAnswer(sim);
const providers = simulatorOverridesFor(sim, recordings).flatMap((p) => ["--provider", p]);
const cli = path.resolve(import.meta.dirname, "../dist/cli.js");
// Asynchronous: the simulator answers from this process's event loop while the CLI runs.
const child = spawn(process.execPath, [cli, "check", "examples", ...providers], {
  cwd: path.dirname(examples),
  stdio: "inherit",
  // Stand-in credentials the simulator expects (OpenAI's key, Vertex AI's token and project).
  env: { ...process.env, ...TEST_ENV },
});
const [code] = (await once(child, "exit")) as [number | null];
await sim.close();
process.exit(code ?? 1);
