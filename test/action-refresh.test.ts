// Modes refresh and check end to end: run() with the runner's environment against the provider
// simulator and the fake GitHub API (which validates every request against GitHub's OpenAPI
// description). The refresh pull request is created once, then updated, never duplicated.
import { readFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ActionDependencies } from "../src/action/dependencies.ts";
import { createGitHubClient } from "../src/github/client.ts";
import {
  type ActionRun,
  makeRunnerFiles,
  runActionInProcess,
  stepEnvironment,
} from "./support/action-env.ts";
import { type ActionWorkspace, makeActionWorkspace } from "./support/action-workspace.ts";
import { createFakeGitHub, type FakeGitHub } from "./support/fake-github.ts";
import { TEST_ENV } from "./support/simulator/replay-setup.ts";
import { summaryTableCounts } from "./support/summary-counts.ts";
import { makeTempDir } from "./support/temp-dir.ts";

const VLLM_CHAT =
  "tests/integration/inference/recordings/440d2fa92833ebdb48a846e628ade5b5b4e2c4351b76c33cc08970fbea66d027.json";
const OPENAI_STREAM =
  "tests/integration/common/recordings/224f7e7bd332f0ada326039866d13b7f167d5bfa91ce752022010f1e885d869f.json";
const BEDROCK_CHAT =
  "tests/integration/inference/recordings/0eca8ac9656056d4fd9b1802f01f6ae9f7ff628af04d5ed39f779a78a41a159b.json";
const BRANCH = "recording-drift/refresh";

type Json = Record<string, unknown>;
const firstChoice = (data: unknown) => ((data as Json).choices as Json[])[0] as Json;

/** The provider now answers this recording differently. */
function driftMessage(file: string, content: string): () => void {
  return workspace.sim.mutate(file, (data) => {
    (firstChoice(data).message as Json).content = content;
    return data;
  });
}

function driftStream(file: string, content: string): () => void {
  return workspace.sim.mutate(file, (chunks) => {
    ((firstChoice((chunks as unknown[])[1]).delta as Json).content as string) = content;
    return chunks;
  });
}

let workspace: ActionWorkspace;
let fake: FakeGitHub;
const files = makeRunnerFiles();
const undo: Array<() => void> = [];

beforeAll(async () => {
  workspace = await makeActionWorkspace(makeTempDir("recording-drift-action-"));
});
afterAll(() => workspace.close());

beforeEach(async () => {
  fake = await createFakeGitHub({ owner: "meta-llama", repo: "llama-stack", files: workspace.files });
});
afterEach(async () => {
  for (const fn of undo.splice(0)) fn();
  expect(fake.validationErrors).toEqual([]);
  await fake.close();
});

// The bundled action keeps the throttling plugin's pacing (one write a second); here it would
// only slow the tests down.
const dependencies: ActionDependencies = {
  github: (token) => createGitHubClient({ token, baseUrl: fake.url, throttle: false }),
};

/** One workflow run on a fresh checkout of the base branch. */
function runStep(inputs: Record<string, string>): Promise<ActionRun> {
  workspace.reset();
  const env = stepEnvironment(
    {
      workspace: workspace.dir,
      inputs: { token: "ghs_actiontoken", providers: workspace.providers, ...inputs },
      apiUrl: fake.url,
      env: { ...TEST_ENV, GITHUB_SERVER_URL: "https://github.com" },
    },
    files,
  );
  return runActionInProcess(env, files, dependencies);
}

/** The `providers` input with every host sent to a loopback port nothing listens on. */
async function unreachableProviders(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return workspace.providers.replace(/=http:\/\/[^/\s]+/g, `=http://127.0.0.1:${port}`);
}

/** Paths whose content differs between two refs of the fake repository. */
function changedPaths(from: string, to: string): string[] {
  const paths = new Set([...fake.listFiles(from), ...fake.listFiles(to)]);
  return [...paths].filter((p) => fake.readFile(from, p) !== fake.readFile(to, p)).sort();
}

describe("mode refresh", () => {
  it("first run: one commit on a new branch with exactly the drifted recordings, and the pull request", async () => {
    undo.push(driftMessage(VLLM_CHAT, "5 + 3 = 8."), driftStream(OPENAI_STREAM, "Jupiter, I think."));

    const run = await runStep({
      mode: "refresh",
      labels: "recordings, automated",
      reviewers: "alice,\nbob",
      "team-reviewers": "llm-tests",
      assignees: "carol",
      draft: "true",
    });

    expect(run.failure).toBeNull();
    expect(run.outputs).toMatchObject({
      drifted: "2",
      "pull-request-number": "1",
      "pull-request-url": `${fake.url}/meta-llama/llama-stack/pull/1`,
      "pull-request-operation": "created",
      "pull-request-branch": BRANCH,
      "pull-request-head-sha": fake.branchHead(BRANCH),
    });
    expect(fake.pulls[0]).toMatchObject({
      reviewers: ["alice", "bob"],
      teamReviewers: ["llm-tests"],
      assignees: ["carol"],
    });
    expect(Number(run.outputs.unchanged)).toBeGreaterThan(20);
    expect(changedPaths("main", BRANCH)).toEqual([OPENAI_STREAM, VLLM_CHAT].sort());
    const head = fake.commit(fake.branchHead(BRANCH) ?? "");
    expect(head?.parents).toEqual([fake.branchHead("main")]);
    expect(head?.message).toBe("Refresh drifted LLM recordings\n\nRecording-Drift: refresh\n");
    // The committed bytes are the refreshed files as written in the checkout.
    for (const file of [VLLM_CHAT, OPENAI_STREAM]) {
      expect(fake.readFile(BRANCH, file)).toBe(readFileSync(path.join(workspace.dir, file), "utf8"));
    }
    expect(fake.readFile(BRANCH, VLLM_CHAT)).toContain('"content": "5 + 3 = 8.",');
    expect(fake.pulls).toMatchObject([
      {
        number: 1,
        state: "open",
        head: BRANCH,
        base: "main",
        draft: true,
        labels: ["recordings", "automated"],
      },
    ]);
    const body = fake.pulls[0]?.body ?? "";
    expect(body).toMatch(/^- \*\*What this is:\*\* LLM test recordings refreshed from the live providers/);
    expect(body).toContain("⚠️ **2 recordings drifted (2 answers)**");
    expect(body).toContain("Refreshed 2 recordings.");
    // Each drifted recording's heading links to its refreshed file on the branch.
    expect(body).toContain(`(https://github.com/meta-llama/llama-stack/blob/${BRANCH}/${VLLM_CHAT})`);
    // The report is in the body, the job summary and the log, never in the tree.
    expect(fake.listFiles(BRANCH).filter((f) => !f.includes("/recordings/"))).toEqual(
      fake.listFiles("main").filter((f) => !f.includes("/recordings/")),
    );
    expect(run.summary).toContain(`Pull request created: <${fake.url}/meta-llama/llama-stack/pull/1>`);
    expect(run.stdout).toMatch(/::group::Replay recordings \(refresh\)[\s\S]*::endgroup::/);
    expect(run.stdout).toMatch(
      /::group::Publish 2 changed recordings to recording-drift\/refresh[\s\S]*::endgroup::/,
    );
  });

  it("second run: force-moves the branch to the new refresh and updates the same pull request", async () => {
    undo.push(driftMessage(VLLM_CHAT, "5 + 3 = 8."), driftStream(OPENAI_STREAM, "Jupiter, I think."));
    await runStep({ mode: "refresh" });
    const firstHead = fake.branchHead(BRANCH);
    for (const fn of undo.splice(0)) fn();
    undo.push(driftMessage(VLLM_CHAT, "It is 8."), driftMessage(BEDROCK_CHAT, "Something else entirely."));

    const run = await runStep({ mode: "refresh", title: "Nightly refresh" });

    expect(run.failure).toBeNull();
    expect(run.outputs).toMatchObject({ "pull-request-number": "1", "pull-request-operation": "updated" });
    expect(fake.branchHead(BRANCH)).not.toBe(firstHead);
    expect(changedPaths("main", BRANCH)).toEqual([BEDROCK_CHAT, VLLM_CHAT].sort());
    expect(fake.readFile(BRANCH, VLLM_CHAT)).toContain('"content": "It is 8.",');
    expect(fake.pulls).toHaveLength(1);
    expect(fake.pulls[0]).toMatchObject({ state: "open", title: "Nightly refresh" });
  });

  it("no drift: opens nothing, and touches no pull request without close-when-clean", async () => {
    const run = await runStep({ mode: "refresh" });

    expect(run.failure).toBeNull();
    expect(run.outputs).toMatchObject({
      drifted: "0",
      "pull-request-operation": "none",
      "pull-request-number": "",
    });
    expect(fake.branchHead(BRANCH)).toBeUndefined();
    expect(fake.pulls).toEqual([]);
    expect(fake.requests.filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("no drift with close-when-clean: closes the pull request an earlier run opened", async () => {
    undo.push(driftMessage(VLLM_CHAT, "5 + 3 = 8."));
    await runStep({ mode: "refresh" });
    for (const fn of undo.splice(0)) fn();

    const run = await runStep({ mode: "refresh", "close-when-clean": "true" });

    expect(run.outputs).toMatchObject({ "pull-request-number": "1", "pull-request-operation": "closed" });
    expect(fake.pulls[0]?.state).toBe("closed");
  });

  it("no provider reachable: fails (fail-on-empty) and leaves the open pull request alone, close-when-clean or not", async () => {
    undo.push(driftMessage(VLLM_CHAT, "5 + 3 = 8."));
    await runStep({ mode: "refresh" });
    for (const fn of undo.splice(0)) fn();

    const run = await runStep({
      mode: "refresh",
      "close-when-clean": "true",
      providers: await unreachableProviders(),
    });

    expect(run.failure).toMatch(/^nothing could be checked: \d+ failed \(connection refused/);
    expect(run.outputs).toMatchObject({ "pull-request-operation": "none", drifted: "0" });
    expect(fake.pulls[0]?.state).toBe("open");
  });

  it("refreshes minor changes too with update: changed", async () => {
    undo.push(
      workspace.sim.mutate(VLLM_CHAT, (data) => {
        ((data as Json).usage as Json).completion_tokens = 999;
        return data;
      }),
    );
    const drifted = await runStep({ mode: "refresh" });
    expect(drifted.outputs).toMatchObject({ minor: "1", "pull-request-operation": "none" });

    const changed = await runStep({ mode: "refresh", update: "changed" });
    expect(changed.outputs["pull-request-operation"]).toBe("created");
    expect(changedPaths("main", BRANCH)).toEqual([VLLM_CHAT]);
  });

  it("explains GitHub's refusal to let Actions open pull requests, with every output still set", async () => {
    undo.push(driftMessage(VLLM_CHAT, "5 + 3 = 8."));
    fake.failOn({
      operationId: "pulls/create",
      status: 403,
      message: "GitHub Actions is not permitted to create or approve pull requests.",
    });

    const run = await runStep({ mode: "refresh" });

    expect(run.failure).toMatch(
      /^Could not open a pull request from recording-drift\/refresh into main\. GitHub answered 403/,
    );
    expect(run.failure).toContain('Enable "Allow GitHub Actions to create and approve pull requests"');
    expect(run.outputs).toMatchObject({ drifted: "1", "pull-request-operation": "none" });
  });

  it("stops, moving nothing, when the branch is the default branch or one a person pushed to", async () => {
    undo.push(driftMessage(VLLM_CHAT, "5 + 3 = 8."));
    const main = fake.branchHead("main");
    fake.pushFiles("develop", { "README.md": "develop\n" });
    const theirs = fake.pushFiles("people/work", { "notes.txt": "mine\n" }, "My work");

    const onDefault = await runStep({ mode: "refresh", base: "develop", branch: "main" });
    const onTheirs = await runStep({ mode: "refresh", branch: "people/work" });

    expect(onDefault.failure).toMatch(/^The pull request branch "main" is the repository's default branch/);
    expect(onTheirs.failure).toMatch(
      /^The branch "people\/work" exists and its head commit \w{12} was not made by recording-drift/,
    );
    expect([fake.branchHead("main"), fake.branchHead("people/work")]).toEqual([main, theirs]);
    expect(fake.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(onTheirs.outputs).toMatchObject({ drifted: "1", "pull-request-operation": "none" });
  });

  it("masks the provider keys and the token before replaying", async () => {
    const run = await runStep({ mode: "refresh" });
    expect(run.masked).toEqual(
      expect.arrayContaining([TEST_ENV.OPENAI_API_KEY, TEST_ENV.AZURE_OPENAI_API_KEY, "ghs_actiontoken"]),
    );
    const firstGroup = run.stdout.indexOf("::group::");
    expect(run.stdout.lastIndexOf("::add-mask::")).toBeLessThan(firstGroup);
  });
});

describe("mode check", () => {
  it("reports drift without touching GitHub, worst first in the summary, and fails with fail-on drifted", async () => {
    undo.push(driftMessage(VLLM_CHAT, "5 + 3 = 8."), driftStream(OPENAI_STREAM, "Jupiter, I think."));

    const run = await runStep({ mode: "check", "fail-on": "drifted" });

    expect(run.failure).toBe("2 recordings drifted (fail-on: drifted)");
    expect(run.outputs).toMatchObject({ drifted: "2", failed: "0", "pull-request-operation": "none" });
    expect(fake.requests).toEqual([]);
    expect(run.summary).toMatch(/^## recording-drift check\n/);
    expect(run.summary).toContain("### Drifted (2)");
    const report = JSON.parse(readFileSync(run.outputs["report-json"] as string, "utf8"));
    expect(report.summary.drifted).toBe(2);
    // check never writes: the checkout keeps the stored recordings.
    expect(readFileSync(path.join(workspace.dir, VLLM_CHAT), "utf8")).toBe(workspace.files[VLLM_CHAT]);
  });

  it("replays only what the filter input selects", async () => {
    undo.push(driftMessage(VLLM_CHAT, "5 + 3 = 8."));
    const run = await runStep({ mode: "check", filter: "**/inference/**" });
    expect(run.outputs.drifted).toBe("1");
    expect(Number(run.outputs.skipped)).toBeGreaterThan(20);
  });

  it("fails the step when no provider can be reached (fail-on-empty), with its summary and outputs written", async () => {
    const run = await runStep({ mode: "check", providers: await unreachableProviders() });
    expect(run.failure).toMatch(
      /^nothing could be checked: \d+ failed \(connection refused \(ECONNREFUSED\)[^)]*\)(, \d+ skipped \(.+\))? \(fail-on-empty\)$/,
    );
    expect(Number(run.outputs.failed)).toBeGreaterThan(20);
    expect(Number(run.outputs.failed) + Number(run.outputs.skipped)).toBe(Number(run.outputs.total));
    expect(summaryTableCounts(run.summary)).toMatchObject({
      total: Number(run.outputs.total),
      failed: Number(run.outputs.failed),
    });
    const report = JSON.parse(readFileSync(run.outputs["report-json"] as string, "utf8"));
    expect(report.summary.failed).toBe(Number(run.outputs.failed));
  });

  it("warns when the filter selects nothing, and fails, having checked nothing, unless fail-on-empty is off", async () => {
    const failed = await runStep({ mode: "check", filter: "*[txt=nobody/*]" });
    expect(failed.stdout).toMatch(
      /^::warning::--filter \*\[txt=nobody\/\*\] selected none of the \d+ recordings$/m,
    );
    expect(failed.failure).toMatch(
      /^nothing could be checked: \d+ skipped \(filtered out \(--filter \*\[txt=nobody\/\*\]\)\) \(fail-on-empty\)$/,
    );
    const warned = await runStep({ mode: "check", filter: "*[txt=nobody/*]", "fail-on-empty": "false" });
    expect(warned.failure).toBeNull();
  });
});
