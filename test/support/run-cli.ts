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
  const output = collectOutput(child);
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: output.stdout, stderr: output.stderr }));
  });
  return { child, done };
}

/** What a child process writes, gathered as it comes (read the fields at any time). */
export function collectOutput(child: ChildProcess): { readonly stdout: string; readonly stderr: string } {
  const output = { stdout: "", stderr: "" };
  child.stdout?.on("data", (d) => {
    output.stdout += d;
  });
  child.stderr?.on("data", (d) => {
    output.stderr += d;
  });
  return output;
}

function withoutColorSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _force, NO_COLOR: _no, ...rest } = env;
  return rest;
}
