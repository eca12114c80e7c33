// Running the action as the runner does: INPUT_* and GITHUB_* variables in, workflow commands on
// stdout, outputs and the job summary in the files GITHUB_OUTPUT and GITHUB_STEP_SUMMARY name.
// Either in process (`run()` from source) or as `node dist/index.js` in a child process.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ActionDependencies } from "../../src/action/dependencies.ts";
import { run } from "../../src/action/main.ts";
import { collectOutput } from "./run-cli.ts";

export interface ActionSetup {
  workspace: string;
  /** Input name (as in action.yml) → value. */
  inputs: Record<string, string>;
  /** `owner/name`; the fake GitHub's API url goes in `apiUrl`. */
  repository?: string;
  apiUrl?: string;
  event?: { name: string; payload: unknown };
  /** Anything else, e.g. provider keys. */
  env?: Record<string, string>;
}

export interface Annotation {
  level: "error" | "warning" | "notice";
  file: string | null;
  line: number | null;
  message: string;
}

export interface ActionRun {
  outputs: Record<string, string>;
  summary: string;
  stdout: string;
  /** The step's failure message (`core.setFailed`), or null when it succeeded. */
  failure: string | null;
  /** Annotations on files (workflow commands with `file=`). */
  annotations: Annotation[];
  /** Values masked with `core.setSecret`. */
  masked: string[];
}

/** The files the runner hands a step; the summary path stays fixed because @actions/core caches it. */
export interface RunnerFiles {
  dir: string;
  output: string;
  summary: string;
  event: string;
}

export function makeRunnerFiles(): RunnerFiles {
  const dir = mkdtempSync(path.join(os.tmpdir(), "recording-drift-runner-"));
  return {
    dir,
    output: path.join(dir, "output.txt"),
    summary: path.join(dir, "summary.md"),
    event: path.join(dir, "event.json"),
  };
}

/** The environment of one step: only the variables the runner would set (plus `env`). */
export function stepEnvironment(setup: ActionSetup, files: RunnerFiles): Record<string, string> {
  writeFileSync(files.output, "");
  writeFileSync(files.summary, "");
  writeFileSync(files.event, JSON.stringify(setup.event?.payload ?? {}));
  const env: Record<string, string> = {
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: setup.workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_EVENT_NAME: setup.event?.name ?? "workflow_dispatch",
    GITHUB_REPOSITORY: setup.repository ?? "meta-llama/llama-stack",
    GITHUB_API_URL: setup.apiUrl ?? "http://127.0.0.1:9",
    RUNNER_TEMP: files.dir,
    ...setup.env,
  };
  for (const [name, value] of Object.entries(setup.inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}

const RUNNER_VARIABLE = /^(INPUT_|GITHUB_|RUNNER_)/;

/** Runs `run()` from source in this process with exactly the step's variables set. */
export async function runActionInProcess(
  env: Record<string, string>,
  files: RunnerFiles,
  dependencies?: ActionDependencies,
): Promise<ActionRun> {
  const saved = { ...process.env };
  for (const name of Object.keys(process.env)) if (RUNNER_VARIABLE.test(name)) delete process.env[name];
  Object.assign(process.env, env);
  let stdout = "";
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    return true;
  }) as typeof process.stdout.write;
  try {
    await run(dependencies);
  } finally {
    process.stdout.write = write;
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
    // core.setFailed sets the exit code; it belongs to the step, not to the test process.
    process.exitCode = undefined;
  }
  return collect(stdout, files);
}

const BUNDLE = path.resolve(import.meta.dirname, "../../dist/index.js");

/** Runs the bundled action as the runner does: `node dist/index.js` with the step's variables. */
export function runBundledAction(
  env: Record<string, string>,
  files: RunnerFiles,
): Promise<ActionRun & { code: number | null }> {
  return spawnAction([BUNDLE], env, files).finished;
}

export interface SpawnedAction {
  child: ChildProcess;
  /** The run once the process has ended (its exit signal, when a signal ended it). */
  finished: Promise<ActionRun & { code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node ...args` (an action entry point and what it needs) as the runner starts a step. */
export function spawnAction(args: string[], env: Record<string, string>, files: RunnerFiles): SpawnedAction {
  const child = spawn(process.execPath, args, {
    cwd: env.GITHUB_WORKSPACE,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? os.homedir(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = collectOutput(child);
  const finished = new Promise<ActionRun & { code: number | null; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, signal) =>
        resolve({ ...collect(output.stdout + output.stderr, files), code, signal }),
      );
    },
  );
  return { child, finished };
}

function collect(stdout: string, files: RunnerFiles): ActionRun {
  const commands = [...stdout.matchAll(/^::(error|warning|notice|add-mask)( [^:]*)?::(.*)$/gm)];
  const annotations: Annotation[] = [];
  const masked: string[] = [];
  let failure: string | null = null;
  for (const [, command, props = "", message = ""] of commands) {
    const text = unescapeData(message);
    if (command === "add-mask") {
      masked.push(text);
      continue;
    }
    const file = /file=([^,]*)/.exec(props)?.[1];
    const line = /line=(\d+)/.exec(props)?.[1];
    if (file) {
      annotations.push({
        level: command as Annotation["level"],
        file: unescapeData(file),
        line: line ? Number(line) : null,
        message: text,
      });
    } else if (command === "error") {
      failure = text;
    }
  }
  return {
    outputs: parseOutputs(readFileSync(files.output, "utf8")),
    summary: readFileSync(files.summary, "utf8"),
    stdout,
    failure,
    annotations,
    masked,
  };
}

/** `name<<delimiter\nvalue\ndelimiter` blocks, as @actions/core writes GITHUB_OUTPUT; last wins. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [, name = "", , value = ""] of text.matchAll(/^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) {
    outputs[name] = value;
  }
  return outputs;
}

function unescapeData(text: string): string {
  return text
    .replace(/%0D/g, "\r")
    .replace(/%0A/g, "\n")
    .replace(/%3A/g, ":")
    .replace(/%2C/g, ",")
    .replace(/%25/g, "%");
}
