// `npm run demo`: the CLI's `check` on the bundled example recordings, against the provider
// simulator on loopback instead of the real providers (no API key needed, see demo-run.ts). It
// prints the command it runs, then the CLI prints the report (coloured on a terminal) and the
// line on the noise it ignored.
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { commandLine, startDemo } from "./demo-run.ts";

const demo = await startDemo();
process.stdout.write(`${commandLine(demo.args)}\n\n`);
const cli = path.resolve(import.meta.dirname, "../dist/cli.js");
// Asynchronous: the simulator answers from this process's event loop while the CLI runs.
const child = spawn(process.execPath, [cli, ...demo.args], {
  cwd: demo.cwd,
  stdio: "inherit",
  env: { ...process.env, ...demo.env },
});
const [code] = (await once(child, "exit")) as [number | null];
await demo.close();
process.exit(code ?? 1);
