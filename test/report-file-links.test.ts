// Links from the report to a recording's file on GitHub: the file at the run's commit, or on a
// pull request its entry in "Files changed".
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readPullRequestEvent } from "../src/action/event.ts";
import { fileLinks, fileLinksFromEnv } from "../src/report/file-links.ts";
import { makeTempDir } from "./support/temp-dir.ts";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const HEAD = "fedcba9876543210fedcba9876543210fedcba98";

describe("fileLinks", () => {
  it("links the file at the commit, each path segment URL-encoded", () => {
    const links = fileLinks({ serverUrl: "https://github.com/", repository: "meta/llama-stack", sha: SHA });
    expect(links.file("tests/integration/recordings/a b#c?.json")).toBe(
      `https://github.com/meta/llama-stack/blob/${SHA}/tests/integration/recordings/a%20b%23c%3F.json`,
    );
  });

  it("links a pull request's file to its entry in Files changed, anchored by the SHA-256 of its path", () => {
    const links = fileLinks({
      serverUrl: "https://ghe.example.com",
      repository: "org/repo",
      sha: SHA,
      pullNumber: 42,
    });
    // GitHub's own anchor for README.md.
    expect(links.file("README.md")).toBe(
      "https://ghe.example.com/org/repo/pull/42/files#diff-b335630551682c19a781afebcf4d07bf978fb1f8ac04c6bf87428ed5106870f5",
    );
  });

  it("prefixes paths with the directory they are relative to inside the repository", () => {
    const links = fileLinks({
      serverUrl: "https://github.com",
      repository: "o/r",
      sha: SHA,
      directory: "./sub/",
    });
    expect(links.file("rec.json")).toBe(`https://github.com/o/r/blob/${SHA}/sub/rec.json`);
    const pull = fileLinks({
      serverUrl: "https://github.com",
      repository: "o/r",
      sha: SHA,
      pullNumber: 1,
      directory: "sub",
    });
    expect(pull.file("README.md")).toBe(
      fileLinks({ serverUrl: "https://github.com", repository: "o/r", sha: SHA, pullNumber: 1 }).file(
        "sub/README.md",
      ),
    );
  });
});

describe("fileLinksFromEnv", () => {
  const actions = { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "o/r", GITHUB_SHA: SHA };

  it("is null outside GitHub Actions", () => {
    expect(fileLinksFromEnv({}, null)).toBeNull();
    expect(fileLinksFromEnv({ ...actions, GITHUB_SHA: "" }, null)).toBeNull();
  });

  it("links the run's commit on a push or a schedule", () => {
    expect(fileLinksFromEnv(actions, null)?.file("a.json")).toBe(`https://github.com/o/r/blob/${SHA}/a.json`);
  });

  it("links Files changed on a pull request, or its head commit when the event names no number", () => {
    expect(fileLinksFromEnv(actions, { number: 7, headSha: HEAD })?.file("a.json")).toMatch(
      /^https:\/\/github\.com\/o\/r\/pull\/7\/files#diff-[0-9a-f]{64}$/,
    );
    expect(fileLinksFromEnv(actions, { number: null, headSha: HEAD })?.file("a.json")).toBe(
      `https://github.com/o/r/blob/${HEAD}/a.json`,
    );
  });

  it("takes the pull request's number and head commit from the event the runner wrote", () => {
    const event = path.join(makeTempDir(), "event.json");
    writeFileSync(
      event,
      JSON.stringify({ pull_request: { number: 7, head: { sha: HEAD }, base: { sha: SHA } } }),
    );
    const pull = readPullRequestEvent({
      ...actions,
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_EVENT_PATH: event,
    });
    expect(pull).toMatchObject({ number: 7, headSha: HEAD });
    expect(fileLinksFromEnv(actions, pull)?.file("a.json")).toMatch(/\/pull\/7\/files#diff-/);
  });
});
