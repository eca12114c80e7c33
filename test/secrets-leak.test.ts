// API keys never leave the process: not in any output (debug output included), report, error
// message or refreshed recording, even when the provider repeats them back. The CLI runs as a
// user would, with every debug switch on, against a simulator whose faults echo the key: a 402
// quoting it, and answers that repeat the request's own headers (Authorization included). Then
// every byte the run produced is searched for the key. The action masks the key before anything.
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeRunnerFiles, runActionInProcess, stepEnvironment } from "./support/action-env.ts";
import { type CheckSetup, named, setupCheck } from "./support/check-setup.ts";
import { type CliRun, runCli } from "./support/run-cli.ts";
import { makeTempDir } from "./support/temp-dir.ts";

// Recognizable, unique per run, and built here: the repository holds no key-shaped literal.
const KEY = ["sk", "proj", `LEAKCANARY${randomBytes(12).toString("hex")}`].join("-");
const AZURE_KEY = `azure${randomBytes(16).toString("hex")}`;

// Refusals other than 401/403, which would stop every later request to OpenAI (the breaker).
const OPENAI_CHAT = "06931312f62d"; // 402 quoting the key
const OPENAI_STREAM = "224f7e7bd332"; // 418 repeating the request's headers in its message
const OPENAI_CHAT_2 = "8edd907a123f"; // 400 repeating the headers: rejected, refreshed as a recorded error when asked
const OPENAI_CHAT_3 = "f3390346d060"; // 500 repeating the headers, retried until given up
const EMBEDDINGS = "050f63320eee"; // a success whose model name repeats the key: refreshed
const OLLAMA_CHAT = "007a9180a7aa"; // no key at all
const ONLY = [OPENAI_CHAT, OPENAI_STREAM, OPENAI_CHAT_2, OPENAI_CHAT_3, EMBEDDINGS, OLLAMA_CHAT];

/** Every debug switch a user or a runner might turn on. */
const DEBUG_ENV = {
  ACTIONS_STEP_DEBUG: "true",
  ACTIONS_RUNNER_DEBUG: "true",
  RUNNER_DEBUG: "1",
  OPENAI_LOG: "debug",
  DEBUG: "*",
  NODE_DEBUG: "fetch,http,undici",
};

let setup: CheckSetup;
let out: string;

/** Every file under a directory, recursively (temporary files included). */
function allFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

let installed = false;
function installFaults(): void {
  if (installed) return;
  installed = true;
  const { sim } = setup;
  const quoted = {
    error: { message: `Incorrect API key provided: ${KEY}.`, type: "invalid_request_error", code: KEY },
  };
  sim.fault({ kind: "status", status: 402, body: quoted }, { recording: named(OPENAI_CHAT) });
  sim.fault({ kind: "echo-headers", status: 418 }, { recording: named(OPENAI_STREAM) });
  sim.fault({ kind: "echo-headers", status: 400 }, { recording: named(OPENAI_CHAT_2) });
  sim.fault({ kind: "echo-headers", status: 500 }, { recording: named(OPENAI_CHAT_3) });
  sim.mutate(named(EMBEDDINGS), (data) => ({ ...(data as object), model: `${KEY} ${AZURE_KEY}` }));
}

async function runCommand(
  command: "check" | "refresh",
  ...extra: string[]
): Promise<CliRun & { reports: string[] }> {
  const json = path.join(out, `${command}.json`);
  const markdown = path.join(out, `${command}.md`);
  const args = [
    command,
    setup.dir,
    "--config",
    path.join(out, "config.yml"),
    "--json",
    json,
    "--markdown",
    markdown,
  ];
  for (const provider of setup.options.providerOverrides) args.push("--provider", provider);
  const run = await runCli([...args, ...extra], {
    cwd: setup.dir,
    env: { OPENAI_API_KEY: KEY, AZURE_OPENAI_API_KEY: AZURE_KEY, ...DEBUG_ENV },
  });
  return { ...run, reports: [readFileSync(json, "utf8"), readFileSync(markdown, "utf8")] };
}

describe("the CLI with every debug switch on, against a provider that echoes the key", () => {
  let checked: CliRun & { reports: string[] };
  let refreshed: CliRun & { reports: string[] };
  let refreshedRejected: CliRun & { reports: string[] };

  beforeAll(async () => {
    setup = await setupCheck({ liveify: "wire" }, ONLY);
    out = makeTempDir("recording-drift-secrets-");
    writeFileSync(
      path.join(out, "config.yml"),
      "retries: { attempts: 2, base-delay-ms: 5, max-delay-ms: 10 }\n",
    );
    installFaults();
    checked = await runCommand("check");
    refreshed = await runCommand("refresh", "--update", "all");
    refreshedRejected = await runCommand("refresh", "--update", "rejected");
  });

  it("sends the key, and the provider repeats it back", () => {
    const sent = setup.sim.requests.filter((r) => r.headers.authorization === `Bearer ${KEY}`);
    expect(sent.length).toBeGreaterThanOrEqual(10);
  });

  it("judges each echo for what it is, with the key replaced by ***", () => {
    const report = JSON.parse(checked.reports[0] as string) as {
      results: Array<{ file: string; verdict: string; reasons: string[] }>;
    };
    const byName = (prefix: string) => report.results.find((r) => named(prefix)(r.file));
    expect(byName(OPENAI_CHAT)).toMatchObject({
      verdict: "failed",
      reasons: ["402 Payment Required: Incorrect API key provided: ***."],
    });
    expect(byName(OPENAI_STREAM)?.verdict).toBe("failed");
    expect(byName(OPENAI_STREAM)?.reasons[0]).toMatch(
      /^418 I'm a Teapot: Rejected request with headers .*"Bearer \*\*\*"/,
    );
    expect(byName(OPENAI_CHAT_2)?.verdict).toBe("rejected");
    expect(byName(OPENAI_CHAT_3)).toMatchObject({
      verdict: "failed",
      reasons: ["500 Internal Server Error after 2 attempts"],
    });
    expect(byName(EMBEDDINGS)?.verdict).not.toBe("failed");
    expect(byName(OLLAMA_CHAT)?.verdict).toBe("unchanged");
  });

  it("never prints the key: stdout, stderr (debug output included)", () => {
    for (const run of [checked, refreshed, refreshedRejected]) {
      expect(run.code).toBe(0);
      // The debug switches took effect: Node printed its fetch debug lines.
      expect(run.stderr).toContain("FETCH");
      // The debug switches did something (Node's own fetch/http debug lines), or at least ran.
      for (const text of [run.stdout, run.stderr]) {
        expect(text).not.toContain(KEY);
        expect(text).not.toContain(AZURE_KEY);
      }
    }
  });

  it("never writes the key into the JSON or Markdown report", () => {
    for (const text of [...checked.reports, ...refreshed.reports, ...refreshedRejected.reports]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(AZURE_KEY);
    }
    expect(refreshed.reports[0]).toContain("***");
  });

  it("never writes the key into a recording: every file under the recordings is clean", () => {
    const files = allFiles(setup.dir);
    expect(files.length).toBe(ONLY.length);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      expect(text, file).not.toContain(KEY);
      expect(text, file).not.toContain(AZURE_KEY);
    }
  });

  it("refreshes the echoing answers with the key scrubbed and the request's headers left empty", () => {
    const writtenBy = (run: CliRun & { reports: string[] }) =>
      (
        JSON.parse(run.reports[0] as string) as { results: Array<{ file: string; refreshed?: boolean }> }
      ).results
        .filter((r) => r.refreshed)
        .map((r) => path.basename(r.file).slice(0, 12));
    // A good answer is not overwritten by the 400 under `all`; `rejected` rewrites it.
    expect(writtenBy(refreshed).sort()).toEqual([EMBEDDINGS, OLLAMA_CHAT].sort());
    expect(writtenBy(refreshedRejected)).toEqual([OPENAI_CHAT_2]);
    for (const prefix of [OPENAI_CHAT_2, EMBEDDINGS])
      expect(readFileSync(allFiles(setup.dir).find((f) => named(prefix)(f)) as string, "utf8")).toContain(
        "***",
      );
    // No recording, refreshed or not, holds the headers sent: the recorder stores `{}`. (The
    // 400's answer quotes them, as the provider's own message, with the key scrubbed.)
    for (const file of allFiles(setup.dir)) {
      const text = readFileSync(file, "utf8");
      expect((JSON.parse(text) as { request: { headers: unknown } }).request.headers, file).toEqual({});
    }
    // The 400's echo, as the recorder would store the provider's message: the key is gone.
    const echoed = readFileSync(allFiles(setup.dir).find((f) => named(OPENAI_CHAT_2)(f)) as string, "utf8");
    expect(echoed).toMatch(/Bearer \*\*\*/);
  });
});

describe("the action", () => {
  it("masks the key (::add-mask::) before anything else is printed, and prints it nowhere else", async () => {
    setup ??= await setupCheck({ liveify: "wire" }, ONLY);
    const files = makeRunnerFiles();
    installFaults();
    const env = stepEnvironment(
      {
        workspace: setup.dir,
        inputs: { mode: "check", providers: setup.options.providerOverrides.join("\n") },
        env: { OPENAI_API_KEY: KEY, AZURE_OPENAI_API_KEY: AZURE_KEY, ...DEBUG_ENV },
      },
      files,
    );
    const run = await runActionInProcess(env, files);
    expect(run.masked).toEqual(expect.arrayContaining([KEY, AZURE_KEY]));
    const lines = run.stdout.split("\n");
    const withKey = lines.filter((line) => line.includes(KEY) || line.includes(AZURE_KEY));
    expect(withKey.sort()).toEqual([`::add-mask::${AZURE_KEY}`, `::add-mask::${KEY}`]);
    const firstMask = lines.findIndex((line) => line.startsWith("::add-mask::"));
    expect(lines.slice(0, firstMask).filter((line) => line.startsWith("::"))).toEqual([]);
    expect(run.outputs.failed).toBe("3");
    for (const text of [run.summary, readFileSync(run.outputs["report-json"] as string, "utf8")]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(AZURE_KEY);
    }
  });
});
