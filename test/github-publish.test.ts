import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parsePublishOptions } from "../src/commands/publish.ts";
import { createGitHubClient, type GitHubClient } from "../src/github/client.ts";
import { type PublishPullRequestOptions, publishPullRequest } from "../src/github/publish-pull-request.ts";
import { PULL_REQUEST_BODY_LIMIT } from "../src/report/report-limits.ts";
import { createFakeGitHub, type FakeGitHub } from "./support/fake-github.ts";

const RECORDINGS = "tests/integration/inference/recordings";
const BASE_FILES = {
  "README.md": "# llama-stack\n",
  [`${RECORDINGS}/a.json`]: '{\n  "old": true\n}\n',
  [`${RECORDINGS}/b.json`]: '{\n  "b": 1\n}\n',
  [`${RECORDINGS}/keep.json`]: '{\n  "keep": 1\n}\n',
  "src/llama_stack/core.py": "print('hi')\n",
};
// Content a careless transport would alter: CRLF, trailing blanks, no final newline, non-ASCII.
const TRICKY = '{\r\n  "text": "caf\u00e9 \ud83e\udd99 \u4e2d\u6587 \\u00e9",  \t\r\n  "n": 1.0e-7\r\n}';

let fake: FakeGitHub;
let octokit: GitHubClient;

beforeEach(async () => {
  fake = await createFakeGitHub({ owner: "meta-llama", repo: "llama-stack", files: BASE_FILES });
  // Throttling paces writes a second apart; github-client.test.ts covers it.
  octokit = createGitHubClient({ token: "ghs_testtoken", baseUrl: fake.url, throttle: false });
});

afterEach(async () => {
  expect(fake.validationErrors).toEqual([]);
  await fake.close();
});

function options(overrides: Partial<PublishPullRequestOptions> = {}): PublishPullRequestOptions {
  return {
    octokit,
    owner: "meta-llama",
    repo: "llama-stack",
    branch: "recording-drift/refresh",
    title: "Refresh drifted recordings",
    body: "3 recordings drifted.",
    labels: [],
    reviewers: [],
    teamReviewers: [],
    assignees: [],
    draft: false,
    files: [],
    commitMessage: "test: refresh drifted recordings",
    closeWhenClean: false,
    ...overrides,
  };
}

/** Paths whose content differs between two refs (added, changed or deleted), sorted. */
function changedPaths(from: string, to: string): string[] {
  const paths = new Set([...fake.listFiles(from), ...fake.listFiles(to)]);
  return [...paths].filter((p) => fake.readFile(from, p) !== fake.readFile(to, p)).sort();
}

const writes = () => fake.requests.filter((r) => r.method !== "GET");

describe("publishPullRequest", () => {
  it("first run creates the branch, one commit changing exactly the given files, and the pull request", async () => {
    const files = [
      { path: `${RECORDINGS}/a.json`, content: TRICKY },
      { path: "tests/integration/agents/recordings/new/c.json", content: '{"c": 3}\n' },
      { path: `${RECORDINGS}/b.json`, content: null },
    ];
    const result = await publishPullRequest(options({ files, draft: true }));

    const branch = "recording-drift/refresh";
    expect(result).toEqual({
      number: 1,
      url: `${fake.url}/meta-llama/llama-stack/pull/1`,
      operation: "created",
      branch,
      headSha: fake.branchHead(branch),
    });
    const head = fake.commit(fake.branchHead(branch) ?? "");
    expect(head?.parents).toEqual([fake.branchHead("main")]);
    expect(head?.message).toBe("test: refresh drifted recordings\n\nRecording-Drift: refresh\n");
    expect(changedPaths("main", branch)).toEqual([
      "tests/integration/agents/recordings/new/c.json",
      `${RECORDINGS}/a.json`,
      `${RECORDINGS}/b.json`,
    ]);
    expect(fake.readFile(branch, `${RECORDINGS}/a.json`)).toBe(TRICKY);
    expect(fake.readFile(branch, "tests/integration/agents/recordings/new/c.json")).toBe('{"c": 3}\n');
    expect(fake.readFile(branch, `${RECORDINGS}/b.json`)).toBeUndefined();
    expect(fake.pulls).toMatchObject([
      {
        number: 1,
        state: "open",
        head: branch,
        base: "main",
        title: "Refresh drifted recordings",
        draft: true,
      },
    ]);
    expect(fake.pulls[0]?.body).toBe("3 recordings drifted.");
  });

  it("second run with other content force-moves the branch onto the new base and updates the same pull request", async () => {
    await publishPullRequest(options({ files: [{ path: `${RECORDINGS}/a.json`, content: "first\n" }] }));
    const firstHead = fake.branchHead("recording-drift/refresh");
    const newBase = fake.pushFiles("main", { "README.md": "# llama-stack v2\n" });

    const result = await publishPullRequest(
      options({
        title: "Refresh 2 recordings",
        body: "2 drifted.",
        files: [{ path: `${RECORDINGS}/b.json`, content: "second\n" }],
      }),
    );

    expect(result).toMatchObject({ number: 1, operation: "updated" });
    const head = fake.commit(fake.branchHead("recording-drift/refresh") ?? "");
    expect(head?.parents).toEqual([newBase]);
    expect(head?.sha).not.toBe(firstHead);
    // Rebuilt from the base: the first run's change is gone, the base's new README is in.
    expect(fake.readFile("recording-drift/refresh", `${RECORDINGS}/a.json`)).toBe(
      BASE_FILES[`${RECORDINGS}/a.json`],
    );
    expect(fake.readFile("recording-drift/refresh", `${RECORDINGS}/b.json`)).toBe("second\n");
    expect(fake.readFile("recording-drift/refresh", "README.md")).toBe("# llama-stack v2\n");
    expect(fake.pulls).toHaveLength(1);
    expect(fake.pulls[0]).toMatchObject({ state: "open", title: "Refresh 2 recordings", body: "2 drifted." });
    expect(fake.requests.some((r) => r.operationId === "git/update-ref")).toBe(true);
  });

  it("re-running with the same content keeps the branch commit and refreshes the body", async () => {
    const files = [{ path: `${RECORDINGS}/a.json`, content: "same\n" }];
    await publishPullRequest(options({ files }));
    const head = fake.branchHead("recording-drift/refresh");

    const result = await publishPullRequest(options({ files, body: "still drifted" }));

    expect(result.operation).toBe("updated");
    expect(fake.branchHead("recording-drift/refresh")).toBe(head);
    expect(fake.requests.filter((r) => r.operationId === "git/create-commit")).toHaveLength(1);
    expect(fake.pulls[0]?.body).toBe("still drifted");
  });

  it("nothing to refresh with closeWhenClean closes the open pull request", async () => {
    await publishPullRequest(options({ files: [{ path: `${RECORDINGS}/a.json`, content: "x\n" }] }));

    const result = await publishPullRequest(options({ files: [], closeWhenClean: true }));

    expect(result).toEqual({
      number: 1,
      url: `${fake.url}/meta-llama/llama-stack/pull/1`,
      operation: "closed",
      branch: "recording-drift/refresh",
      headSha: null,
    });
    expect(fake.pulls[0]?.state).toBe("closed");
  });

  it("nothing to refresh without closeWhenClean touches nothing", async () => {
    await publishPullRequest(options({ files: [{ path: `${RECORDINGS}/a.json`, content: "x\n" }] }));
    const before = fake.requests.length;

    const result = await publishPullRequest(options({ files: [] }));

    expect(result).toEqual({ number: null, url: null, operation: "none", branch: null, headSha: null });
    expect(fake.requests.length).toBe(before);
    expect(fake.pulls[0]?.state).toBe("open");
  });

  it("files identical to the base count as nothing to refresh: no branch, no pull request", async () => {
    const files = [{ path: `${RECORDINGS}/a.json`, content: BASE_FILES[`${RECORDINGS}/a.json`] }];

    const result = await publishPullRequest(options({ files, closeWhenClean: true }));

    expect(result.operation).toBe("none");
    expect(fake.branchHead("recording-drift/refresh")).toBeUndefined();
    expect(writes().map((r) => r.operationId)).toEqual(["git/create-tree"]);
  });

  it("applies the labels to the pull request", async () => {
    const files = [{ path: `${RECORDINGS}/a.json`, content: "x\n" }];

    await publishPullRequest(options({ files, labels: ["recordings", "automated"] }));
    await publishPullRequest(options({ files, labels: ["automated", "drift"] }));

    expect(fake.pulls[0]?.labels).toEqual(["recordings", "automated", "drift"]);
  });

  it("asks for reviews and assigns, as create-pull-request does, once however many runs", async () => {
    const files = [{ path: `${RECORDINGS}/a.json`, content: "x\n" }];
    const people = { reviewers: ["alice"], teamReviewers: ["llm-tests"], assignees: ["carol", "dan"] };

    await publishPullRequest(options({ files, ...people }));
    await publishPullRequest(options({ files, ...people }));

    expect(fake.pulls[0]).toMatchObject({
      reviewers: ["alice"],
      teamReviewers: ["llm-tests"],
      assignees: ["carol", "dan"],
    });
  });

  it("the CLI's lists read as create-pull-request's inputs: commas or newlines, blanks dropped", () => {
    const parsed = parsePublishOptions({
      reports: ["r.json"],
      refreshedFiles: "f",
      repo: "o/r",
      token: "t",
      labels: "a, b,,",
      reviewers: "alice\nbob",
      teamReviewers: " team ",
    });
    expect([parsed.labels, parsed.reviewers, parsed.teamReviewers, parsed.assignees]).toEqual([
      ["a", "b"],
      ["alice", "bob"],
      ["team"],
      [],
    ]);
  });

  it("refuses a body over 65,536 characters before writing anything (the report is cut where it is made)", async () => {
    const body = "x".repeat(PULL_REQUEST_BODY_LIMIT.chars + 1);
    const files = [{ path: `${RECORDINGS}/a.json`, content: "x\n" }];

    await expect(publishPullRequest(options({ files, body }))).rejects.toThrow(
      "The pull request body is 65537 characters, over GitHub's limit of 65536.",
    );
    expect(writes()).toEqual([]);
  });

  it("uses the repository's default branch when no base is given", async () => {
    await fake.close();
    fake = await createFakeGitHub({
      owner: "meta-llama",
      repo: "llama-stack",
      files: BASE_FILES,
      defaultBranch: "trunk",
    });
    octokit = createGitHubClient({ token: "ghs_testtoken", baseUrl: fake.url, throttle: false });

    await publishPullRequest(options({ files: [{ path: `${RECORDINGS}/a.json`, content: "x\n" }] }));

    expect(fake.pulls[0]?.base).toBe("trunk");
    expect(fake.commit(fake.branchHead("recording-drift/refresh") ?? "")?.parents).toEqual([
      fake.branchHead("trunk"),
    ]);
  });

  it("refuses to use the base branch as the pull request branch", async () => {
    const files = [{ path: `${RECORDINGS}/a.json`, content: "x\n" }];

    await expect(publishPullRequest(options({ files, branch: "main" }))).rejects.toThrow(
      'The pull request branch "main" is the base branch: it is rebuilt on every run and would lose its commits.',
    );
    expect(writes()).toEqual([]);
  });
});
