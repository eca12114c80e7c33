// The action's interface: action.yml and the code agree on every input and default, bad inputs
// are refused by name, every output is set whatever happens, and modes that need provider
// secrets stop on a fork's pull request before doing anything.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readInputs } from "../src/action/inputs.ts";
import { maskProviderSecrets } from "../src/action/mask-secrets.ts";
import { parseConfig } from "../src/config.ts";
import { secretVariableNames as secretNames } from "../src/replay/credentials.ts";
import { makeRunnerFiles, runActionInProcess, stepEnvironment } from "./support/action-env.ts";
import { makeTempDir } from "./support/temp-dir.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const ACTION = parse(readFileSync(path.join(ROOT, "action.yml"), "utf8")) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};
const files = makeRunnerFiles();
const workspace = makeTempDir("recording-drift-inputs-");

const saved = { ...process.env };
afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
});

/** Sets the INPUT_* variables of `inputs` (and only those) in this process. */
function setInputs(inputs: Record<string, string>): void {
  for (const name of Object.keys(process.env)) if (name.startsWith("INPUT_")) delete process.env[name];
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

describe("action.yml", () => {
  it("runs dist/index.js on node24", () => {
    expect(ACTION.runs).toEqual({ using: "node24", main: "dist/index.js" });
  });

  it("declares exactly the inputs the action reads", () => {
    const source = readdirSync(path.join(ROOT, "src/action"))
      .map((file) => readFileSync(path.join(ROOT, "src/action", file), "utf8"))
      .join("\n");
    const read = new Set(
      [...source.matchAll(/\b(?:getInput|getMultilineInput|input)\("([a-z-]+)"\)/g)].map((m) => m[1]),
    );
    expect([...read].sort()).toEqual(Object.keys(ACTION.inputs).sort());
  });

  it("declares every output the issue lists", () => {
    expect(Object.keys(ACTION.outputs).sort()).toEqual(
      [
        "total",
        "unchanged",
        "minor",
        "nondeterministic",
        "drifted",
        "rejected",
        "failed",
        "skipped",
        "problems-at-base",
        "report-json",
        "pull-request-number",
        "pull-request-url",
        "pull-request-operation",
        "pull-request-branch",
        "pull-request-head-sha",
      ].sort(),
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, not a template
    expect(ACTION.inputs.token?.default).toBe("${{ github.token }}");
  });

  it.each(["refresh", "check", "pr-check", "verify"])(
    "%s: its defaults, filled in as the runner does, read the same as inputs left unset",
    (mode) => {
      const minimal = { mode, token: "t0ken", base: mode === "pr-check" ? "main" : "" };
      setInputs(minimal);
      const unset = readInputs({ GITHUB_WORKSPACE: workspace });
      const filled = Object.fromEntries(
        Object.entries(ACTION.inputs).map(([name, input]) => [name, input.default ?? ""]),
      );
      setInputs({ ...filled, ...minimal });
      expect(readInputs({ GITHUB_WORKSPACE: workspace })).toEqual(unset);
    },
  );
});

describe("bad inputs", () => {
  it.each([
    [{ mode: "deploy" }, "input mode: expected one of refresh, check, pr-check, verify, publish"],
    [{ mode: "check", samples: "0" }, "input samples: expected a positive integer"],
    [{ mode: "check", threshold: "1.5" }, "input threshold: expected a number between 0 and 1"],
    [
      { mode: "check", providers: "api.openai.com=ftp://x" },
      "input providers: expected HOST=URL with an http(s) URL",
    ],
    [
      { mode: "refresh", update: "some" },
      "input update: expected one of drifted, changed, all, rejected, accepted",
    ],
    [{ mode: "refresh", token: "t", draft: "yes" }, "input draft: expected true or false"],
    [{ mode: "check", "fail-on-empty": "yes" }, "input fail-on-empty: expected true or false"],
    [
      { mode: "refresh", token: "t", "max-failed-share": "60%" },
      "input max-failed-share: expected a number between 0 and 1",
    ],
    [
      { mode: "refresh" },
      "input token: required by mode refresh (the default is the workflow's GITHUB_TOKEN)",
    ],
  ])("%o fails the step naming the input, with every output still set", async (inputs, message) => {
    const run = await runActionInProcess(stepEnvironment({ workspace, inputs }, files), files);
    expect(run.failure).toBe(message);
    expect(run.outputs).toEqual({
      total: "0",
      unchanged: "0",
      minor: "0",
      nondeterministic: "0",
      drifted: "0",
      rejected: "0",
      failed: "0",
      skipped: "0",
      "problems-at-base": "0",
      "report-json": "",
      "pull-request-number": "",
      "pull-request-url": "",
      "pull-request-operation": "none",
      "pull-request-branch": "",
      "pull-request-head-sha": "",
    });
  });
});

describe("a pull request from a fork", () => {
  const fork = {
    name: "pull_request",
    payload: {
      pull_request: {
        base: { sha: "a".repeat(40), repo: { full_name: "meta-llama/llama-stack" } },
        head: { repo: { full_name: "someone/llama-stack", fork: true } },
      },
    },
  };

  it.each(["check", "refresh"])(
    "stops mode %s before any replay, saying what to use instead",
    async (mode) => {
      const run = await runActionInProcess(
        stepEnvironment({ workspace, inputs: { mode, token: "t0ken" }, event: fork }, files),
        files,
      );
      expect(run.failure).toMatch(
        new RegExp(`^mode ${mode} replays recordings against live providers and needs their API keys`),
      );
      expect(run.failure).toContain("(this one comes from someone/llama-stack)");
      expect(run.failure).toContain("use mode: pr-check");
      expect(run.stdout).not.toContain("::group::");
      expect(run.outputs["pull-request-operation"]).toBe("none");
    },
  );

  it("is not mistaken for one when the head repository is the base repository", async () => {
    const own = structuredClone(fork);
    own.payload.pull_request.head.repo = { full_name: "meta-llama/llama-stack", fork: false };
    const run = await runActionInProcess(
      stepEnvironment({ workspace, inputs: { mode: "check" }, event: own }, files),
      files,
    );
    expect(run.failure).not.toMatch(/forks/);
  });
});

describe("secret masking", () => {
  it("masks the key variables of the default hosts and of every configured provider", () => {
    const config = parseConfig(
      {
        providers: [
          {
            host: "*.example.com",
            "api-key-env": "EXAMPLE_KEY",
            // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's syntax for a variable
            headers: { "x-org": "${ORG_ID}-${ORG_SECRET}" },
          },
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's syntax for a variable
          { host: "localhost:11434", query: { key: "${QUERY_KEY}" } },
        ],
      },
      "test",
    );
    expect(secretNames(config)).toEqual([
      "AWS_BEARER_TOKEN_BEDROCK",
      "AZURE_API_KEY",
      "AZURE_OPENAI_API_KEY",
      "EXAMPLE_KEY",
      "GEMINI_API_KEY",
      "GOOGLE_CLOUD_ACCESS_TOKEN",
      "OPENAI_API_KEY",
      "ORG_ID",
      "ORG_SECRET",
      "QUERY_KEY",
      "WATSONX_API_KEY",
    ]);
    let out = "";
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => {
      out += chunk;
      return true;
    }) as typeof process.stdout.write;
    try {
      maskProviderSecrets(config, { OPENAI_API_KEY: "sk-one", EXAMPLE_KEY: "ex-two", UNRELATED: "x" });
    } finally {
      process.stdout.write = write;
    }
    expect(out).toBe("::add-mask::ex-two\n::add-mask::sk-one\n");
  });
});
