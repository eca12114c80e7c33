// Runs the CLI from source in a child process, as a user would, and captures its output.
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const CLI = path.resolve(import.meta.dirname, "../../src/cli.ts");
// Resolved here, so the CLI also runs with a `cwd` outside the project (e.g. a temp git repo).
const TSX = createRequire(import.meta.url).resolve("tsx");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  return startCli(args, options).done;
}

/** The CLI started in a child process, for a test that stops it (a kill mid-run). */
export function startCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, ["--import", TSX, CLI, ...args], {
    cwd: options.cwd ?? process.cwd(),
    // Colour is each test's choice, not the shell's that runs the tests.
    env: { ...withoutColorSettings(process.env), ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const done = new Promise<CliRun>((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => {
      stdout += d;
    });
    child.stderr?.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}

function withoutColorSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _force, NO_COLOR: _no, ...rest } = env;
  return rest;
}
