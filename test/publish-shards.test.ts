// A sharded refresh end to end, as the README's workflow runs it: three jobs run mode refresh
// with `shard: K/5` on their own checkout and gather their JSON report and rewritten recordings
// into an artifact folder; one job runs mode publish on the downloaded artifacts. The pull
// request it opens holds exactly the refreshed recordings, byte for byte, and the same body as
// one unsharded refresh's pull request. The CLI's `publish` does the same from the shell.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { ActionDependencies } from "../src/action/dependencies.ts";
import { readInputs } from "../src/action/inputs.ts";
import { parsePublishOptions, runPublish } from "../src/commands/publish.ts";
import { createGitHubClient } from "../src/github/client.ts";
import {
  type ActionRun,
  makeRunnerFiles,
  runActionInProcess,
  stepEnvironment,
} from "./support/action-env.ts";
import { type ActionWorkspace, makeActionWorkspace } from "./support/action-workspace.ts";
import { createFakeGitHub, type FakeGitHub } from "./support/fake-github.ts";
import { runCli } from "./support/run-cli.ts";
import { TEST_ENV } from "./support/simulator/replay-setup.ts";
import { makeTempDir } from "./support/temp-dir.ts";

const VLLM_CHAT =
  "tests/integration/inference/recordings/440d2fa92833ebdb48a846e628ade5b5b4e2c4351b76c33cc08970fbea66d027.json";
const OPENAI_STREAM =
  "tests/integration/common/recordings/224f7e7bd332f0ada326039866d13b7f167d5bfa91ce752022010f1e885d869f.json";
const BEDROCK_CHAT =
  "tests/integration/inference/recordings/0eca8ac9656056d4fd9b1802f01f6ae9f7ff628af04d5ed39f779a78a41a159b.json";
const BRANCH = "recording-drift/refresh";
// Five: the fixtures' partition by cost then puts the three drifted recordings in three shards.
const SHARDS = 7;

type Json = Record<string, unknown>;
const firstChoice = (data: unknown) => ((data as Json).choices as Json[])[0] as Json;

let workspace: ActionWorkspace;
let fake: FakeGitHub;
const files = makeRunnerFiles();
const undo: Array<() => void> = [];

beforeAll(async () => {
  workspace = await makeActionWorkspace(makeTempDir("recording-drift-publish-"));
});
afterAll(() => workspace.close());

beforeEach(async () => {
  fake = await createFakeGitHub({ owner: "meta-llama", repo: "llama-stack", files: workspace.files });
  undo.push(
    workspace.sim.mutate(VLLM_CHAT, (data) => {
      (firstChoice(data).message as Json).content = "5 + 3 = 8.";
      return data;
    }),
    workspace.sim.mutate(OPENAI_STREAM, (chunks) => {
      ((firstChoice((chunks as unknown[])[1]).delta as Json).content as string) = "Jupiter, I think.";
      return chunks;
    }),
    workspace.sim.mutate(BEDROCK_CHAT, (data) => {
      (firstChoice(data).message as Json).content = "Something else entirely.";
      return data;
    }),
  );
});
afterEach(async () => {
  for (const fn of undo.splice(0)) fn();
  expect(fake.validationErrors).toEqual([]);
  await fake.close();
});

const dependencies: ActionDependencies = {
  github: (token) => createGitHubClient({ token, baseUrl: fake.url, throttle: false }),
};

/** One job of the workflow on a fresh checkout of the base branch. */
function runStep(inputs: Record<string, string>): Promise<ActionRun> {
  workspace.reset();
  const env = stepEnvironment(
    {
      workspace: workspace.dir,
      inputs: { token: "ghs_actiontoken", providers: workspace.providers, ...inputs },
      apiUrl: fake.url,
      env: TEST_ENV,
    },
    files,
  );
  return runActionInProcess(env, files, dependencies);
}

/** What a shard job uploads: its report, and the recordings it rewrote at their paths. */
function gatherArtifact(run: ActionRun, into: string, shard: number): string[] {
  const report = JSON.parse(readFileSync(run.outputs["report-json"] as string, "utf8"));
  writeFileSync(path.join(into, `report-${shard}.json`), JSON.stringify(report, null, 2));
  const refreshed = (report.results as Json[]).filter((r) => r.refreshed).map((r) => r.file as string);
  for (const file of refreshed) {
    mkdirSync(path.dirname(path.join(into, "files", file)), { recursive: true });
    cpSync(path.join(workspace.dir, file), path.join(into, "files", file));
  }
  return refreshed;
}

/** The matrix: every shard's refresh, each artifact downloaded into one folder. */
async function runShards(): Promise<{ artifacts: string; refreshed: string[]; runs: ActionRun[] }> {
  const artifacts = makeTempDir("recording-drift-artifacts-");
  const refreshed: string[] = [];
  const runs: ActionRun[] = [];
  for (let k = 1; k <= SHARDS; k++) {
    const run = await runStep({ mode: "refresh", shard: `${k}/${SHARDS}` });
    expect(run.failure).toBeNull();
    runs.push(run);
    refreshed.push(...gatherArtifact(run, artifacts, k));
    // Every job of a matrix starts from a fresh checkout: the partition is computed from it.
    workspace.reset();
  }
  return { artifacts, refreshed: refreshed.sort(), runs };
}

/** Paths whose content differs between two refs of the fake repository. */
function changedPaths(from: string, to: string): string[] {
  const paths = new Set([...fake.listFiles(from), ...fake.listFiles(to)]);
  return [...paths].filter((p) => fake.readFile(from, p) !== fake.readFile(to, p)).sort();
}

describe("mode refresh with shard", () => {
  it("rewrites only its shard's recordings and writes its report, but leaves GitHub alone", async () => {
    const { artifacts, refreshed, runs } = await runShards();
    expect(refreshed).toEqual([BEDROCK_CHAT, OPENAI_STREAM, VLLM_CHAT].sort());
    // The three drifted recordings do not all fall in one shard: the test covers a real merge.
    const reports = Array.from({ length: SHARDS }, (_, i) => i + 1).map((k) =>
      JSON.parse(readFileSync(path.join(artifacts, `report-${k}.json`), "utf8")),
    );
    expect(reports.filter((r) => (r.results as Json[]).some((x) => x.refreshed)).length).toBeGreaterThan(1);
    expect(new Set(reports.map((r) => r.partition)).size).toBe(1);
    expect(fake.requests).toEqual([]);
    let total = 0;
    for (const [i, run] of runs.entries()) {
      expect(run.outputs["pull-request-operation"]).toBe("none");
      expect(run.summary).toMatch(
        new RegExp(`^## Refresh drifted LLM recordings \\(shard ${i + 1}/${SHARDS}\\)\\n`),
      );
      expect(run.stdout).toContain(`Shard ${i + 1}/${SHARDS}: `);
      total += Number(run.outputs.total);
    }
    // Every file of the checkout but the README and the config is a recording.
    expect(total).toBe(Object.keys(workspace.files).length - 2);
  });
});

describe("mode publish", () => {
  it("opens the pull request an unsharded refresh opens: the same files and body, the shards' bytes", async () => {
    const whole = await runStep({ mode: "refresh", labels: "recordings" });
    expect(whole.outputs["pull-request-operation"]).toBe("created");
    const wholeFiles = changedPaths("main", BRANCH);
    const wholeBody = fake.pulls[0]?.body;
    await fake.close();
    fake = await createFakeGitHub({ owner: "meta-llama", repo: "llama-stack", files: workspace.files });

    const { artifacts, refreshed } = await runShards();
    const run = await runStep({
      mode: "publish",
      reports: path.join(artifacts, "report-*.json"),
      "refreshed-files": path.join(artifacts, "files"),
      labels: "recordings",
    });

    expect(run.failure).toBeNull();
    expect(run.outputs).toMatchObject({
      total: whole.outputs.total,
      unchanged: whole.outputs.unchanged,
      drifted: "3",
      "pull-request-number": "1",
      "pull-request-operation": "created",
    });
    expect(changedPaths("main", BRANCH)).toEqual([...refreshed].sort());
    expect(changedPaths("main", BRANCH)).toEqual(wholeFiles);
    for (const file of refreshed) {
      expect(fake.readFile(BRANCH, file)).toBe(readFileSync(path.join(artifacts, "files", file), "utf8"));
    }
    expect(fake.pulls).toMatchObject([{ number: 1, state: "open", head: BRANCH, labels: ["recordings"] }]);
    // The same body but for the noise line: what a live answer's noise was (how its stream was
    // split) differs from one replay to the next.
    const withoutNoise = (body: string | null | undefined) =>
      body?.replace(/\n\nignored as noise: [^\n]*\n$/, "\n");
    expect(fake.pulls[0]?.body).toMatch(/\n\nignored as noise: [^\n]*\n$/);
    expect(withoutNoise(fake.pulls[0]?.body)).toBe(withoutNoise(wholeBody));
    const merged = JSON.parse(readFileSync(run.outputs["report-json"] as string, "utf8"));
    expect(merged.summary.drifted).toBe(3);
    expect(run.summary).toContain(`Pull request created: <${fake.url}/meta-llama/llama-stack/pull/1>`);
    expect(run.stdout).toMatch(/::group::Merge the shards' reports[\s\S]*::endgroup::/);
    expect(run.stdout).toMatch(
      /::group::Publish 3 changed recordings to recording-drift\/refresh[\s\S]*::endgroup::/,
    );

    // The next night: the same pull request, updated.
    const again = await runStep({
      mode: "publish",
      reports: path.join(artifacts, "report-*.json"),
      "refreshed-files": path.join(artifacts, "files"),
      title: "Nightly refresh",
    });
    expect(again.outputs).toMatchObject({ "pull-request-number": "1", "pull-request-operation": "updated" });
    expect(fake.pulls).toHaveLength(1);
  });

  it("fails naming a refreshed recording missing from the artifacts, and opens nothing", async () => {
    const { artifacts } = await runShards();
    rmSync(path.join(artifacts, "files", VLLM_CHAT));
    const run = await runStep({
      mode: "publish",
      reports: path.join(artifacts, "report-*.json"),
      "refreshed-files": path.join(artifacts, "files"),
    });
    expect(run.failure).toMatch(
      new RegExp(
        `^publish commits only recording files; nothing was published:\n"${VLLM_CHAT}" is refreshed in the report but cannot be read from .*/files: no such file`,
      ),
    );
    expect(run.outputs).toMatchObject({ drifted: "3", "pull-request-operation": "none" });
    expect(fake.pulls).toEqual([]);
  });

  it("fails when a shard's report is missing, and opens nothing", async () => {
    const { artifacts } = await runShards();
    rmSync(path.join(artifacts, "report-2.json"));
    const run = await runStep({
      mode: "publish",
      reports: path.join(artifacts, "report-*.json"),
      "refreshed-files": path.join(artifacts, "files"),
    });
    expect(run.failure).toBe(
      "shard 2/7 missing: a merged report of 6 of 7 shards would leave out their recordings",
    );
    expect(fake.requests).toEqual([]);
  });

  it("reads its defaults, filled in as the runner does, the same as inputs left unset", () => {
    const action = parse(readFileSync(path.resolve(import.meta.dirname, "../action.yml"), "utf8")) as {
      inputs: Record<string, { default?: string }>;
    };
    const minimal = {
      mode: "publish",
      token: "t0ken",
      reports: "shards/report-*.json",
      "refreshed-files": "shards/files",
    };
    const read = (inputs: Record<string, string>) => {
      const saved = { ...process.env };
      try {
        for (const [name, value] of Object.entries(inputs))
          process.env[`INPUT_${name.toUpperCase()}`] = value;
        return readInputs({ GITHUB_WORKSPACE: workspace.dir });
      } finally {
        for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      }
    };
    const unset = read(minimal);
    const filled = Object.fromEntries(
      Object.entries(action.inputs).map(([name, input]) => [name, input.default ?? ""]),
    );
    expect(read({ ...filled, ...minimal })).toEqual(unset);
    expect(unset).toMatchObject({
      mode: "publish",
      reports: ["shards/report-*.json"],
      refreshedFiles: "shards/files",
      failOn: "never",
      pullRequest: { branch: BRANCH, base: null, title: "Refresh drifted LLM recordings", draft: false },
    });
  });

  it.each([
    [
      { "refreshed-files": "f" },
      "input reports: required by mode publish (the shards' JSON reports: paths, directories or globs)",
    ],
    [
      { reports: "r.json" },
      "input refreshed-files: required by mode publish (the directory of the shards' refreshed recordings)",
    ],
    [
      { reports: "r.json", "refreshed-files": "f", token: "" },
      "input token: required by mode publish (the default is the workflow's GITHUB_TOKEN)",
    ],
    [
      { reports: "r.json", "refreshed-files": "f", "fail-on": "all" },
      "input fail-on: expected one of drifted, failed, never",
    ],
  ])("refuses %o naming the input", async (inputs, message) => {
    const run = await runStep({ mode: "publish", ...inputs });
    expect(run.failure).toBe(message);
  });
});

describe("recording-drift publish", () => {
  it("merges the shards' reports and opens the pull request with exactly their refreshed files", async () => {
    const { artifacts, refreshed } = await runShards();
    const cwd = artifacts;
    const options = parsePublishOptions({
      reports: ["report-*.json"],
      refreshedFiles: "files",
      repo: "meta-llama/llama-stack",
      token: "ghs_clitoken",
      json: "merged.json",
      draft: true,
    });
    const outcome = await runPublish(options, { cwd, github: dependencies.github });
    expect(outcome.pullRequest).toMatchObject({ number: 1, operation: "created" });
    expect(outcome.report.summary.drifted).toBe(3);
    expect(changedPaths("main", BRANCH)).toEqual([...refreshed].sort());
    expect(fake.pulls).toMatchObject([{ draft: true, title: "Refresh drifted LLM recordings" }]);
    expect(JSON.parse(readFileSync(path.join(cwd, "merged.json"), "utf8")).summary).toEqual(
      outcome.report.summary,
    );
  });

  it("from the shell: nothing refreshed opens nothing; a missing token or repository is a usage error", async () => {
    const dir = makeTempDir("recording-drift-publish-cli-");
    writeFileSync(
      path.join(dir, "clean.json"),
      JSON.stringify({
        summary: { total: 1, unchanged: 1, minor: 0, drifted: 0, failed: 0, skipped: 0 },
        results: [
          {
            file: "tests/a.json",
            testId: null,
            endpoint: null,
            model: null,
            provider: null,
            verdict: "unchanged",
            similarity: 1,
            reasons: [],
            refreshed: false,
          },
        ],
      }),
    );
    const env = {
      GITHUB_TOKEN: "ghs_env",
      GITHUB_REPOSITORY: "meta-llama/llama-stack",
      GITHUB_API_URL: fake.url,
    };
    const clean = await runCli(["publish", "clean.json", "--refreshed-files", "files"], { cwd: dir, env });
    expect(clean.stderr).toBe("");
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain("No pull request: nothing to refresh");
    expect(fake.requests).toEqual([]);

    const noToken = await runCli(["publish", "clean.json", "--refreshed-files", "files"], {
      cwd: dir,
      env: { ...env, GITHUB_TOKEN: "" },
    });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("recording-drift: --token: required (or set GITHUB_TOKEN)");
    const noRepo = await runCli(
      ["publish", "clean.json", "--refreshed-files", "files", "--repo", "llama-stack"],
      {
        cwd: dir,
        env,
      },
    );
    expect(noRepo.code).toBe(2);
    expect(noRepo.stderr).toContain(
      "recording-drift: --repo: expected OWNER/NAME (or set GITHUB_REPOSITORY)",
    );
  });
});
