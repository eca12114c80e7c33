import { afterEach, describe, expect, it } from "vitest";
import { createGitHubClient } from "../src/github/client.ts";
import { GitHubError } from "../src/github/errors.ts";
import { publishPullRequest } from "../src/github/publish-pull-request.ts";
import { createFakeGitHub, type FakeGitHub, type InjectedFailure } from "./support/fake-github.ts";

const TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";
let fake: FakeGitHub | undefined;

afterEach(async () => {
  expect(fake?.validationErrors).toEqual([]);
  await fake?.close();
});

/** Runs a first publish against a fake failing as told; returns what it threw. */
async function publishFailing(failure: InjectedFailure): Promise<GitHubError> {
  fake = await createFakeGitHub({
    owner: "o",
    repo: "r",
    files: { "rec/a.json": "{}\n" },
    failures: [failure],
  });
  const octokit = createGitHubClient({ token: TOKEN, baseUrl: fake.url, throttle: false });
  const publishing = publishPullRequest({
    octokit,
    owner: "o",
    repo: "r",
    branch: "refresh",
    title: "Refresh",
    body: "report",
    labels: ["recordings"],
    reviewers: [],
    teamReviewers: [],
    assignees: [],
    draft: false,
    files: [{ path: "rec/a.json", content: '{"new": 1}\n' }],
    commitMessage: "refresh",
    closeWhenClean: false,
  });
  const error = await publishing.then(
    () => new Error("publishPullRequest should have failed"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GitHubError);
  expect((error as Error).message).not.toContain(TOKEN);
  return error as GitHubError;
}

describe("GitHub failures explained", () => {
  it("Actions not allowed to create pull requests: names the setting to enable", async () => {
    const error = await publishFailing({
      operationId: "pulls/create",
      status: 403,
      message: "GitHub Actions is not permitted to create or approve pull requests.",
    });

    expect(error.status).toBe(403);
    expect(error.message).toContain("Could not open a pull request from refresh into main.");
    expect(error.message).toContain('Enable "Allow GitHub Actions to create and approve pull requests"');
    expect(error.message).toContain("Settings → Actions → General");
    expect(error.message).toContain("GitHub App token or a personal access token");
    // The commit is on the branch: only the pull request is missing.
    expect(fake?.readFile("refresh", "rec/a.json")).toBe('{"new": 1}\n');
  });

  it("no write access to contents when creating the branch: asks for contents: write", async () => {
    const error = await publishFailing({
      operationId: "git/create-ref",
      status: 403,
      message: "Resource not accessible by integration",
    });

    expect(error.message).toContain(
      "Could not create branch refresh. GitHub answered 403: Resource not accessible by integration",
    );
    expect(error.message).toContain("`permissions: contents: write`");
  });

  it("a token that cannot see the repository (404 on a tree) also asks for contents: write", async () => {
    const error = await publishFailing({ operationId: "git/create-tree", status: 404, message: "Not Found" });

    expect(error.message).toContain("Could not create tree 1 of 1. GitHub answered 404: Not Found");
    expect(error.message).toContain("`permissions: contents: write`");
  });

  it("no write access to pull requests: asks for pull-requests: write", async () => {
    const error = await publishFailing({
      operationId: "pulls/create",
      status: 403,
      message: "Resource not accessible by integration",
    });

    expect(error.message).toContain("`permissions: pull-requests: write`");
    expect(error.message).not.toContain("contents: write");
  });

  it("labels refused: names the permission labels need", async () => {
    const error = await publishFailing({
      operationId: "issues/add-labels",
      status: 403,
      message: "Resource not accessible by integration",
    });

    expect(error.message).toContain("Could not label pull request #1.");
    expect(error.message).toContain(
      "`permissions: pull-requests: write` (labels and assignees of a pull request",
    );
  });

  it("bad credentials: points at the token input", async () => {
    const error = await publishFailing({ operationId: "repos/get", status: 401, message: "Bad credentials" });

    expect(error.message).toContain("GitHub answered 401: Bad credentials");
    expect(error.message).toContain("check that the `token` input is set");
  });

  it("never repeats a token, even one GitHub echoes back", async () => {
    const error = await publishFailing({
      operationId: "git/create-tree",
      status: 422,
      message: `Invalid request for token ${TOKEN} and github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz`,
    });

    expect(error.message.split("\n")[0]).toBe(
      "Could not create tree 1 of 1. GitHub answered 422: Invalid request for token *** and ***",
    );
    expect(error.message).not.toMatch(/github_pat_|ghs_/);
  });
});
