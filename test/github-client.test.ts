import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitHubClient } from "../src/github/client.ts";
import { readDefaultBranch } from "../src/github/pull-request.ts";
import { createFakeGitHub, type FakeGitHub } from "./support/fake-github.ts";

const where = { owner: "o", repo: "r" };
let fake: FakeGitHub;
let log: string[];

beforeEach(async () => {
  fake = await createFakeGitHub({ ...where, files: { "README.md": "hi\n" } });
  log = [];
});

afterEach(async () => {
  expect(fake.validationErrors).toEqual([]);
  await fake.close();
});

// Retry-After seconds become milliseconds, so waits stay short.
const client = () =>
  createGitHubClient({ token: "ghs_test", baseUrl: fake.url, log: (m) => log.push(m), retryAfterBaseMs: 1 });
const attempts = () => fake.requests.filter((r) => r.operationId === "repos/get").length;

describe("createGitHubClient", () => {
  it("waits out a secondary rate limit, logs it, and retries", async () => {
    fake.failOn({
      operationId: "repos/get",
      status: 403,
      message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
      headers: { "retry-after": "3" },
      times: 1,
    });

    expect(await readDefaultBranch(client(), where)).toBe("main");
    expect(attempts()).toBe(2);
    expect(log).toEqual([
      "GitHub secondary rate limit on GET /repos/{owner}/{repo}: retrying in 3s (1 of 2)",
    ]);
  });

  it("gives up on a rate limit after two retries with an explained error", async () => {
    fake.failOn({
      operationId: "repos/get",
      status: 403,
      message: "API rate limit exceeded for installation ID 1.",
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000)) },
    });

    await expect(readDefaultBranch(client(), where)).rejects.toThrow(/rate limit held after retries/);
    expect(attempts()).toBe(3);
    expect(log).toHaveLength(3);
    expect(log[2]).toMatch(/^GitHub rate limit on GET .*: giving up$/);
  });

  it("retries server errors", async () => {
    fake.failOn({ operationId: "repos/get", status: 502, message: "Server Error", times: 2 });

    expect(await readDefaultBranch(client(), where)).toBe("main");
    expect(attempts()).toBe(3);
  });

  it("takes the API root from GITHUB_API_URL when none is given", async () => {
    const saved = process.env.GITHUB_API_URL;
    process.env.GITHUB_API_URL = fake.url;
    try {
      expect(await readDefaultBranch(createGitHubClient({ token: "ghs_test" }), where)).toBe("main");
    } finally {
      if (saved === undefined) delete process.env.GITHUB_API_URL;
      else process.env.GITHUB_API_URL = saved;
    }
  });
});
