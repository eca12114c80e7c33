// Publishing at GitHub's scale, against a fake GitHub that enforces GitHub's secondary limits
// (80 content-creating requests a minute, 500 an hour) and refuses over-large create-tree calls:
// thousands of changed recordings go up as one commit in few requests, a secondary limit met
// part-way is waited out or reported, and the branch never points at a partial tree.
import { afterEach, describe, expect, it } from "vitest";
import { createGitHubClient, type GitHubClient } from "../src/github/client.ts";
import { type PublishPullRequestOptions, publishPullRequest } from "../src/github/publish-pull-request.ts";
import type { FileChange } from "../src/github/tree-chunks.ts";
import { createFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from "./support/fake-github.ts";

const BRANCH = "recording-drift/refresh";
const AREAS = ["inference", "agents", "responses", "vector_io"];
const SECONDARY = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";

/** The i-th recording's path, spread over a few directories as the corpus's are. */
const recording = (i: number) =>
  `tests/integration/${AREAS[i % AREAS.length]}/recordings/${String(i).padStart(6, "0")}.json`;
const body = (i: number, version: string) => `{\n  "request": ${i},\n  "version": "${version}"\n}\n`;

/** 1,500 recordings, a workflow and a README on the default branch. */
function baseFiles(): Record<string, string> {
  const files: Record<string, string> = {
    "README.md": "# llama-stack\n",
    ".github/workflows/ci.yml": "on: push\n",
  };
  for (let i = 0; i < 1500; i++) files[recording(i)] = body(i, "old");
  return files;
}

/**
 * 3,000 changed paths: 1,000 rewritten, 300 deleted, 200 renamed (a deletion and an addition
 * each) and 1,300 new. Returns the changes and the files the branch must end with.
 */
/** A change with its content at hand. */
type PlainChange = { path: string; content: string | null };

function changes(): { files: PlainChange[]; expected: Map<string, string | null> } {
  const files: PlainChange[] = [];
  for (let i = 0; i < 1000; i++) files.push({ path: recording(i), content: body(i, "new") });
  for (let i = 1000; i < 1300; i++) files.push({ path: recording(i), content: null });
  for (let i = 1300; i < 1500; i++) {
    files.push({ path: recording(i), content: null });
    files.push({ path: recording(i + 10_000), content: body(i, "renamed") });
  }
  for (let i = 2000; i < 3300; i++) files.push({ path: recording(i), content: body(i, "new") });
  return { files, expected: new Map(files.map((f) => [f.path, f.content])) };
}

let fake: FakeGitHub | undefined;
afterEach(async () => {
  expect(fake?.validationErrors).toEqual([]);
  await fake?.close();
  fake = undefined;
});

async function setup(
  options: Partial<FakeGitHubOptions> = {},
  client: { budget?: number; baseMs?: number } = {},
) {
  const started = await createFakeGitHub({
    owner: "meta-llama",
    repo: "llama-stack",
    files: baseFiles(),
    ...options,
  });
  fake = started;
  const log: string[] = [];
  // Throttling stays on (it waits out secondary limits); a "second" lasts `baseMs` ms.
  const octokit = createGitHubClient({
    token: "ghs_testtoken",
    baseUrl: started.url,
    retryAfterBaseMs: client.baseMs ?? 1,
    log: (line) => log.push(line),
    ...(client.budget === undefined ? {} : { rateLimitBudgetSeconds: client.budget }),
  });
  return { fake: started, octokit, log };
}

function options(octokit: GitHubClient, files: FileChange[]): PublishPullRequestOptions {
  return {
    octokit,
    owner: "meta-llama",
    repo: "llama-stack",
    branch: BRANCH,
    title: "Refresh drifted recordings",
    body: "3,000 recordings changed.",
    labels: ["recordings"],
    reviewers: [],
    teamReviewers: [],
    assignees: [],
    draft: false,
    files,
    commitMessage: "Refresh drifted recordings",
    closeWhenClean: false,
  };
}

/** The branch holds exactly the base with the changes applied. */
function expectPublished(github: FakeGitHub, expected: Map<string, string | null>): void {
  const base = baseFiles();
  const want = new Map(Object.entries(base));
  for (const [path, content] of expected) {
    if (content === null) want.delete(path);
    else want.set(path, content);
  }
  expect(github.listFiles(BRANCH)).toEqual([...want.keys()].sort());
  for (const [path, content] of want) expect(github.readFile(BRANCH, path)).toBe(content);
}

const statuses = (github: FakeGitHub, status: number) => github.requests.filter((r) => r.status === status);

describe("publishing 3,000 changed files", () => {
  it("is one verified commit in at most 40 content-creating requests, none refused", async () => {
    const { fake, octokit } = await setup();
    const { files, expected } = changes();
    expect(expected.size).toBe(3000);

    const result = await publishPullRequest(options(octokit, files));

    expect(result).toMatchObject({ number: 1, operation: "created", branch: BRANCH });
    expect(fake.contentRequests).toBeLessThanOrEqual(40);
    expect(fake.requests.filter((r) => r.operationId === "git/create-blob")).toEqual([]);
    expect(fake.requests.filter((r) => r.operationId === "git/create-tree")).toHaveLength(30);
    expect(fake.requests.filter((r) => r.operationId === "git/create-commit")).toHaveLength(1);
    expect(statuses(fake, 403)).toEqual([]);
    const head = fake.branchHead(BRANCH) as string;
    expect(result.headSha).toBe(head);
    expect(fake.commit(head)?.parents).toEqual([fake.branchHead("main")]);
    const { data } = await octokit.rest.git.getCommit({
      owner: "meta-llama",
      repo: "llama-stack",
      commit_sha: head,
    });
    expect(data.verification.verified).toBe(true);
    expectPublished(fake, expected);
  });

  it("keeps within 80 writes a minute when GitHub's minute is short, waiting out the 403s", async () => {
    // A minute of 300 ms holding 8 writes: 33 writes must wait for the window several times.
    const { fake, octokit } = await setup({ limits: { perMinute: 8, minuteMs: 300 } }, { baseMs: 5 });
    const { files, expected } = changes();

    const result = await publishPullRequest(options(octokit, files));

    expect(result.operation).toBe("created");
    for (const refused of statuses(fake, 403)) expect(refused.operationId).not.toBeNull();
    expectPublished(fake, expected);
  });

  it("waits out a secondary limit met part-way and publishes everything", async () => {
    const failure = { operationId: "git/create-tree", status: 403, message: SECONDARY, after: 10, times: 1 };
    const { fake, octokit, log } = await setup({
      failures: [{ ...failure, headers: { "retry-after": "30" } }],
    });
    const { files, expected } = changes();

    const result = await publishPullRequest(options(octokit, files));

    expect(result.operation).toBe("created");
    expect(log).toEqual([
      "GitHub secondary rate limit on POST /repos/{owner}/{repo}/git/trees: retrying in 30s (1 of 2)",
    ]);
    expect(statuses(fake, 403)).toHaveLength(1);
    expectPublished(fake, expected);
  });

  it("a limit that holds is reported: what was built, that the branch did not move, how to resume", async () => {
    const { fake, octokit } = await setup();
    const { files } = changes();
    await publishPullRequest(options(octokit, files.slice(0, 50)));
    const before = fake.branchHead(BRANCH) as string;
    fake.failOn({
      operationId: "git/create-tree",
      status: 403,
      message: SECONDARY,
      headers: { "retry-after": "60" },
      after: 10,
    });

    const failed = await publishPullRequest(options(octokit, files)).catch((error: Error) => error);

    expect(failed).toBeInstanceOf(Error);
    const message = (failed as Error).message;
    expect(message).toContain(
      "Could not create tree 11 of 30. GitHub answered 403: You have exceeded a secondary",
    );
    expect(message).toContain(
      `Publishing stopped before the branch moved: 10 of 30 trees were built (1000 of 3000 files); the branch ${BRANCH} still points at ${before.slice(0, 12)} and the pull request is unchanged.`,
    );
    expect(message).toContain("To resume, re-run this job once GitHub's limit has reset");
    expect(fake.branchHead(BRANCH)).toBe(before);
    expect(fake.requests.filter((r) => r.operationId === "git/create-commit")).toHaveLength(1);
  });

  it("does not wait past the budget for rate-limit waits", async () => {
    const failure = { operationId: "git/create-tree", status: 403, message: SECONDARY, after: 3 };
    const { fake, octokit, log } = await setup(
      { failures: [{ ...failure, headers: { "retry-after": "3600" } }] },
      { budget: 600 },
    );

    const failed = await publishPullRequest(options(octokit, changes().files)).catch((error: Error) => error);

    expect((failed as Error).message).toContain("3 of 30 trees were built (300 of 3000 files)");
    expect(log).toEqual([
      "GitHub secondary rate limit on POST /repos/{owner}/{repo}/git/trees: giving up: waiting 3600s more would pass the 600s budget for rate-limit waits",
    ]);
    expect(fake.branchHead(BRANCH)).toBeUndefined();
    expect(fake.pulls).toEqual([]);
  });

  it("refuses a file that is not UTF-8 text or too large, by path, before writing anything", async () => {
    const { fake, octokit } = await setup();
    const lone = [{ path: recording(1), content: '{"x": "\ud800"}\n' }];
    const huge = [{ path: recording(2), content: "x".repeat(40 * 1024 * 1024 + 1) }];

    await expect(publishPullRequest(options(octokit, lone))).rejects.toThrow(
      `${recording(1)}: not valid UTF-8 text, so it cannot be committed`,
    );
    await expect(publishPullRequest(options(octokit, huge))).rejects.toThrow(
      `${recording(2)}: 41943041 bytes, over the 41943040-byte limit of GitHub's git database API`,
    );
    expect(fake.contentRequests).toBe(0);
  });

  it("reads each file only when its tree is sent, and a file that went bad meanwhile stops it, branch unmoved", async () => {
    const { fake, octokit } = await setup();
    const reads: string[] = [];
    const files: FileChange[] = changes().files.map((f) =>
      f.content === null
        ? f
        : {
            path: f.path,
            content: {
              bytes: Buffer.byteLength(f.content as string),
              read: async () => {
                reads.push(f.path);
                return f.path === recording(2500) ? "\ud800" : (f.content as string);
              },
            },
          },
    );

    const failed = await publishPullRequest(options(octokit, files)).catch((error: Error) => error);

    expect((failed as Error).message).toContain(
      `${recording(2500)}: not valid UTF-8 text, so it cannot be committed`,
    );
    expect((failed as Error).message).toMatch(
      /Publishing stopped before the branch moved: \d+ of 30 trees were built/,
    );
    // Chunk by chunk: the files of the chunks after the bad one were never read.
    expect(reads.length).toBeLessThan(3000);
    expect(fake.branchHead(BRANCH)).toBeUndefined();
  });

  it("a deletion of a file the base no longer has is dropped, not refused", async () => {
    const { fake, octokit } = await setup();
    const files = [
      { path: recording(1), content: null },
      { path: "tests/integration/inference/recordings/gone.json", content: null },
    ];

    await publishPullRequest(options(octokit, files));

    expect(fake.readFile(BRANCH, recording(1))).toBeUndefined();
    expect(fake.listFiles(BRANCH)).toHaveLength(Object.keys(baseFiles()).length - 1);
  });
});
