// The refresh pull request's body: what the pull request is, how it was made, how to review it,
// what merging does; then the headline and the groups — cut to GitHub's 65,536 characters by
// dropping whole sections, the note naming where the full report is.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { publishRefresh } from "../src/commands/publish.ts";
import { createGitHubClient } from "../src/github/client.ts";
import type { CheckReport } from "../src/report/check-report.ts";
import { PULL_REQUEST_BODY_LIMIT } from "../src/report/report-limits.ts";
import { createFakeGitHub, type FakeGitHub } from "./support/fake-github.ts";
import { markdownProblems } from "./support/markdown-validity.ts";
import { changed, MESSAGES, makeReport, many, result } from "./support/report-results.ts";
import { makeTempDir } from "./support/temp-dir.ts";

const REC = "tests/integration/inference/recordings";
const root = makeTempDir("recording-drift-body-");
let fake: FakeGitHub;

beforeEach(async () => {
  fake = await createFakeGitHub({ owner: "o", repo: "r", files: { [`${REC}/a.json`]: "{}\n" } });
});
afterEach(() => fake.close());

async function bodyOf(report: CheckReport, extra: { runUrl?: string; reportLocation?: string } = {}) {
  const dir = path.join(root, String(Math.random()).slice(2));
  mkdirSync(path.join(dir, REC), { recursive: true });
  writeFileSync(path.join(dir, REC, "a.json"), '{"a": 2}\n');
  await publishRefresh({
    report,
    filesDir: dir,
    recordings: [],
    github: createGitHubClient({ token: "ghs_test", baseUrl: fake.url, throttle: false }),
    owner: "o",
    repo: "r",
    pullRequest: {
      branch: "recording-drift/refresh",
      base: null,
      title: "Refresh drifted LLM recordings",
      draft: false,
      closeWhenClean: false,
      labels: [],
      reviewers: [],
      teamReviewers: [],
      assignees: [],
    },
    ...extra,
  });
  return fake.pulls[0]?.body ?? "";
}

const refreshed = result(`${REC}/a.json`, "drifted", {
  refreshed: true,
  ...changed("drifted", ["tool-call", 'tool get_weather argument location: "Paris" → "Lyon"']),
});

describe("the refresh pull request's body", () => {
  it("opens with what it is, how it was made, how to review it and what merging does; then the headline", async () => {
    const report = makeReport([refreshed, ...many(40, "same", (file) => result(file, "unchanged"))]);
    const body = await bodyOf(report, { runUrl: "https://github.com/o/r/actions/runs/7" });
    const [intro, headline] = body.split("\n\n");
    expect(intro?.split("\n")).toEqual([
      "- **What this is:** LLM test recordings refreshed from the live providers by recording-drift, in [this workflow run](https://github.com/o/r/actions/runs/7).",
      "- **How it was made:** 41 recordings replayed, each answer compared with the stored one after normalization " +
        "(ids, timestamps and stream chunking are noise); 1 rewritten as the project's recorder writes them.",
      "- **How to review:** look at the drifted recordings below, heaviest first; noise is not listed, minor changes are collapsed.",
      "- **What merging does:** the tests replay the new answers.",
    ]);
    expect(headline).toBe(
      "⚠️ **1 recording drifted (1 tool call)** · 40 unchanged — look at the drifted recordings before merging",
    );
    expect(body).toContain("### Drifted (1)");
  });

  it("a report too big for a body is cut by whole sections, the note last naming the full report", async () => {
    const report = makeReport([
      refreshed,
      ...many(5_000, "drifted", (file, i) =>
        result(file, "drifted", { reasons: [`text: number "${i}" → "${i + 1}"`], similarity: 0.5 }),
      ),
      ...many(3_000, "minor", (file) =>
        result(file, "minor", { reasons: ["text reworded, same facts (0.70)"] }),
      ),
      ...many(300, "down", (file) => result(file, "failed", { reasons: [MESSAGES.refused] })),
    ]);
    const body = await bodyOf(report, { reportLocation: "in the workflow run's log" });
    expect(markdownProblems(body, PULL_REQUEST_BODY_LIMIT)).toEqual([]);
    expect(body.startsWith("- **What this is:**")).toBe(true);
    expect(body.trimEnd().split("\n").at(-1)).toMatch(
      /^\*\*This report was cut\*\* to fit GitHub's limit of 65,536 characters: .* not shown\. The full report is in the workflow run's log\.$/,
    );
  });
});
