// The refresh branch is force-moved on every run, so the tool moves only a branch it made: never
// the base or the default branch, and an existing branch only when its head commit carries the
// `Recording-Drift: refresh` trailer. Anything else stops the run before the first write.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hasRefreshTrailer, withRefreshTrailer } from "../src/github/branch-guard.ts";
import { createGitHubClient, type GitHubClient } from "../src/github/client.ts";
import { type PublishPullRequestOptions, publishPullRequest } from "../src/github/publish-pull-request.ts";
import { createFakeGitHub, type FakeGitHub } from "./support/fake-github.ts";

const RECORDING = "tests/integration/inference/recordings/a.json";
let fake: FakeGitHub;
let octokit: GitHubClient;

beforeEach(async () => {
  fake = await createFakeGitHub({
    owner: "o",
    repo: "r",
    files: { [RECORDING]: "{}\n", "README.md": "hi\n" },
  });
  fake.pushFiles("develop", { "README.md": "develop\n" });
  octokit = createGitHubClient({ token: "ghs_test", baseUrl: fake.url, throttle: false });
});

afterEach(async () => {
  expect(fake.validationErrors).toEqual([]);
  await fake.close();
});

function options(overrides: Partial<PublishPullRequestOptions> = {}): PublishPullRequestOptions {
  return {
    octokit,
    owner: "o",
    repo: "r",
    branch: "recording-drift/refresh",
    title: "Refresh",
    body: "report",
    labels: [],
    reviewers: [],
    teamReviewers: [],
    assignees: [],
    draft: false,
    files: [{ path: RECORDING, content: '{"new": 1}\n' }],
    commitMessage: "Refresh",
    closeWhenClean: false,
    ...overrides,
  };
}

const writes = () => fake.requests.filter((r) => r.method !== "GET");

describe("the branch guard", () => {
  it("refuses the repository's default branch as the branch even when the base is another", async () => {
    const main = fake.branchHead("main");

    await expect(publishPullRequest(options({ base: "develop", branch: "main" }))).rejects.toThrow(
      'The pull request branch "main" is the repository\'s default branch: it is rebuilt on every run and would lose its commits.',
    );
    expect(fake.branchHead("main")).toBe(main);
    expect(writes()).toEqual([]);
  });

  it("refuses the base branch as the branch", async () => {
    await expect(publishPullRequest(options({ base: "develop", branch: "develop" }))).rejects.toThrow(
      'The pull request branch "develop" is the base branch',
    );
    expect(writes()).toEqual([]);
  });

  it("leaves an existing branch someone else made untouched and says why", async () => {
    const theirs = fake.pushFiles("feature", { "x.txt": "work in progress\n" }, "WIP: my feature");

    const failed = await publishPullRequest(options({ branch: "feature" })).catch((e: Error) => e);

    expect((failed as Error).message).toBe(
      `The branch "feature" exists and its head commit ${theirs.slice(0, 12)} was not made by recording-drift ` +
        '(its message has no "Recording-Drift: refresh" trailer), so it is left untouched. ' +
        "Set `branch` to another name, or delete the branch if nothing on it is needed.",
    );
    expect(fake.branchHead("feature")).toBe(theirs);
    expect(writes()).toEqual([]);
  });

  it("stops when someone pushed onto the tool's branch after its last run", async () => {
    await publishPullRequest(options());
    const pushed = fake.pushFiles("recording-drift/refresh", { "fix.txt": "hand fix\n" }, "Fix by hand");
    const before = writes().length;

    await expect(publishPullRequest(options({ body: "again" }))).rejects.toThrow(
      /was not made by recording-drift/,
    );
    expect(fake.branchHead("recording-drift/refresh")).toBe(pushed);
    expect(writes()).toHaveLength(before);
  });

  it("moves its own branch: every commit it makes carries the trailer", async () => {
    await publishPullRequest(options());
    const first = fake.branchHead("recording-drift/refresh") as string;

    const second = await publishPullRequest(
      options({ files: [{ path: RECORDING, content: '{"new": 2}\n' }] }),
    );

    expect(second.operation).toBe("updated");
    expect(second.headSha).not.toBe(first);
    for (const sha of [first, second.headSha as string]) {
      expect(hasRefreshTrailer(fake.commit(sha)?.message ?? "")).toBe(true);
    }
  });
});

describe("the trailer", () => {
  it.each([
    ["Refresh\n\nRecording-Drift: refresh\n", true],
    ["Refresh\n\nbody text\n\nSigned-off-by: a <a@b>\nRecording-Drift: refresh", true],
    ["Refresh\n\nrecording-drift:  refresh  \n", true],
    ["Recording-Drift: refresh", false],
    ["Refresh\n\nRecording-Drift: refresh\n\nmore text after it", false],
    ["Refresh\n\nRecording-Drift: refreshed", false],
    ["Refresh\n\nsee Recording-Drift: refresh", false],
  ])("%j carries it: %s", (message, expected) => {
    expect(hasRefreshTrailer(message)).toBe(expected);
  });

  it("is added once, as the last paragraph", () => {
    expect(withRefreshTrailer("Refresh\n")).toBe("Refresh\n\nRecording-Drift: refresh\n");
    expect(withRefreshTrailer("Refresh\n\nRecording-Drift: refresh\n")).toBe(
      "Refresh\n\nRecording-Drift: refresh\n",
    );
  });
});
