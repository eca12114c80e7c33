// The bundled action run as the runner runs it: `node dist/index.js` in a child process with the
// INPUT_* and GITHUB_* environment, against the provider simulator and the fake GitHub API on
// loopback. It opens the refresh pull request, then updates it, changing only drifted recordings.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRunnerFiles, runBundledAction, stepEnvironment } from "./support/action-env.ts";
import { type ActionWorkspace, makeActionWorkspace } from "./support/action-workspace.ts";
import { createFakeGitHub, type FakeGitHub } from "./support/fake-github.ts";
import { TEST_ENV } from "./support/simulator/replay-setup.ts";
import { makeTempDir } from "./support/temp-dir.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const VLLM_CHAT =
  "tests/integration/inference/recordings/440d2fa92833ebdb48a846e628ade5b5b4e2c4351b76c33cc08970fbea66d027.json";
const BEDROCK_CHAT =
  "tests/integration/inference/recordings/0eca8ac9656056d4fd9b1802f01f6ae9f7ff628af04d5ed39f779a78a41a159b.json";
const BRANCH = "recording-drift/refresh";

type Json = Record<string, unknown>;

let workspace: ActionWorkspace;
let fake: FakeGitHub;
const files = makeRunnerFiles();

beforeAll(async () => {
  // What the runner runs is the committed bundle, which must equal a fresh build of the source.
  execFileSync(process.execPath, ["scripts/bundle.mjs"], { cwd: ROOT });
  workspace = await makeActionWorkspace(makeTempDir("recording-drift-bundle-"));
  fake = await createFakeGitHub({ owner: "meta-llama", repo: "llama-stack", files: workspace.files });
});

afterAll(async () => {
  await workspace?.close();
  await fake?.close();
});

function drift(file: string, content: string): () => void {
  return workspace.sim.mutate(file, (data) => {
    ((((data as Json).choices as Json[])[0] as Json).message as Json).content = content;
    return data;
  });
}

function runnerStep() {
  workspace.reset();
  const env = stepEnvironment(
    {
      workspace: workspace.dir,
      inputs: {
        mode: "refresh",
        providers: workspace.providers,
        token: "ghs_bundletoken",
        branch: BRANCH,
        title: "Refresh drifted LLM recordings",
        "close-when-clean": "false",
      },
      apiUrl: fake.url,
      env: TEST_ENV,
    },
    files,
  );
  return runBundledAction(env, files);
}

function changedPaths(from: string, to: string): string[] {
  const paths = new Set([...fake.listFiles(from), ...fake.listFiles(to)]);
  return [...paths].filter((p) => fake.readFile(from, p) !== fake.readFile(to, p)).sort();
}

describe("node dist/index.js", () => {
  it("opens the refresh pull request, then updates it, with only the drifted recordings changed", async () => {
    const undoFirst = drift(VLLM_CHAT, "5 + 3 = 8.");
    const first = await runnerStep();
    undoFirst();

    expect(first.failure).toBeNull();
    expect(first.code).toBe(0);
    expect(first.outputs).toMatchObject({
      drifted: "1",
      "pull-request-number": "1",
      "pull-request-operation": "created",
    });
    expect(changedPaths("main", BRANCH)).toEqual([VLLM_CHAT]);
    expect(fake.readFile(BRANCH, VLLM_CHAT)).toContain('"content": "5 + 3 = 8.",');

    const undoSecond = drift(BEDROCK_CHAT, "Something else entirely.");
    const second = await runnerStep();
    undoSecond();

    expect(second.failure).toBeNull();
    expect(second.outputs).toMatchObject({
      drifted: "1",
      "pull-request-number": "1",
      "pull-request-operation": "updated",
    });
    expect(changedPaths("main", BRANCH)).toEqual([BEDROCK_CHAT]);
    expect(fake.pulls).toHaveLength(1);
    expect(fake.pulls[0]).toMatchObject({ number: 1, state: "open", head: BRANCH, base: "main" });
    expect(fake.validationErrors).toEqual([]);
    expect(second.summary).toContain("Pull request updated");
  }, 120_000);
});
