// `publish` reads a report it cannot trust (a shard's artifact can say anything) and commits only
// recording paths: relative, no `..`, `.json`, under the recordings globs, never `.github/` or
// `.git/`, never through a symlink leading out of the refreshed-files directory. Anything else
// is an error naming every offending path, and nothing is published.
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ReportInputError } from "../src/commands/merge.ts";
import { publishRefresh } from "../src/commands/publish.ts";
import { recordingPathMatcher, refreshedChanges } from "../src/commands/refreshed-changes.ts";
import { createGitHubClient } from "../src/github/client.ts";
import { type CheckResult, makeReport } from "../src/report/check-report.ts";
import { createFakeGitHub, type FakeGitHub } from "./support/fake-github.ts";
import { makeTempDir } from "./support/temp-dir.ts";

const REC = "tests/integration/inference/recordings";
const root = makeTempDir("recording-drift-paths-");
let dir: string;
let count = 0;

/** A fresh refreshed-files directory holding `files` (path → content). */
function refreshedDir(files: Record<string, string>): string {
  const here = path.join(root, `files-${count++}`);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(here, file)), { recursive: true });
    writeFileSync(path.join(here, file), content);
  }
  return here;
}

const result = (file: string, extra: Partial<CheckResult> = {}): CheckResult => ({
  file,
  testId: null,
  endpoint: null,
  model: null,
  provider: null,
  verdict: "drifted",
  similarity: 0.5,
  reasons: [],
  refreshed: true,
  ...extra,
});

/** The changes with their sources read, as the commit reads them. */
async function resolved(results: CheckResult[]): Promise<{ path: string; content: string | null }[]> {
  const changes = await refreshedChanges(makeReport(results), dir, []);
  return Promise.all(
    changes.map(async ({ path, content }) => ({
      path,
      content: content === null || typeof content === "string" ? content : await content.read(),
    })),
  );
}

async function refusal(results: CheckResult[], globs: string[] = []): Promise<string> {
  const error = await refreshedChanges(makeReport(results), dir, globs).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ReportInputError);
  return (error as Error).message;
}

beforeEach(() => {
  dir = refreshedDir({
    [`${REC}/a.json`]: '{"a": 1}\n',
    [`${REC}/b.json`]: '{"b": 1}\n',
    "secret.txt": "TOKEN=x\n",
  });
});

describe("publish's path checks", () => {
  it("commits refreshed recordings and deletes renamed-from and removed ones", async () => {
    const changes = await resolved([
      result(`${REC}/a.json`, { renamedFrom: `${REC}/old-a.json` }),
      result(`${REC}/gone.json`, { refreshed: false, removed: true }),
      result(`${REC}/b.json`, { refreshed: false, verdict: "unchanged" }),
    ]);

    expect(changes).toEqual([
      { path: `${REC}/a.json`, content: '{"a": 1}\n' },
      { path: `${REC}/old-a.json`, content: null },
      { path: `${REC}/gone.json`, content: null },
    ]);
  });

  it("a path both rewritten and renamed away from is kept with its new content", async () => {
    const changes = await resolved([
      result(`${REC}/a.json`),
      result(`${REC}/b.json`, { renamedFrom: `${REC}/a.json` }),
    ]);

    expect(changes).toEqual([
      { path: `${REC}/a.json`, content: '{"a": 1}\n' },
      { path: `${REC}/b.json`, content: '{"b": 1}\n' },
    ]);
  });

  it.each([
    ["../outside.json", "contains .."],
    [`${REC}/../../../../x.json`, "contains .."],
    ["/etc/passwd.json", "is not a repository path (relative, with / separators)"],
    ["C:/x/recordings/a.json", "is not a repository path (relative, with / separators)"],
    ["tests\\recordings\\a.json", "is not a repository path (relative, with / separators)"],
    [`${REC}//a.json`, "is not a normalized path"],
    [`./${REC}/a.json`, "is not a normalized path"],
    [".github/workflows/recordings/evil.json", "is under .github/ or .git/, which publish never writes"],
    [".GitHub/recordings/evil.json", "is under .github/ or .git/, which publish never writes"],
    ["tests/.git/recordings/hooks.json", "is under .github/ or .git/, which publish never writes"],
    [`${REC}/a.txt`, "is not a .json recording"],
    ["src/llama_stack/config.json", "is not under the recordings globs"],
  ])("refuses %j: %s", async (file, why) => {
    expect(await refusal([result(file)])).toBe(
      `publish commits only recording files; nothing was published:\n${JSON.stringify(file)} ${why}`,
    );
  });

  it("refuses a deletion outside the recordings, naming it", async () => {
    expect(await refusal([result(`${REC}/a.json`, { renamedFrom: ".github/workflows/ci.json" })])).toContain(
      '".github/workflows/ci.json" (to delete) is under .github/ or .git/, which publish never writes',
    );
    expect(await refusal([result("README.json", { refreshed: false, removed: true })])).toContain(
      '"README.json" (to delete) is not under the recordings globs',
    );
  });

  it("refuses a symlink leading out of refreshed-files, naming where it leads", async () => {
    const outside = refreshedDir({ "token.json": "ghs_secret\n" });
    symlinkSync(path.join(outside, "token.json"), path.join(dir, REC, "leak.json"));
    symlinkSync("/proc/self/environ", path.join(dir, REC, "environ.json"));

    const message = await refusal([result(`${REC}/leak.json`), result(`${REC}/environ.json`)]);

    expect(message).toMatch(
      /"tests\/integration\/inference\/recordings\/leak\.json" is refreshed in the report but cannot be read from .*: it leads out of the directory \(to .*token\.json\)/,
    );
    expect(message).toMatch(
      /"tests\/integration\/inference\/recordings\/environ\.json" .*: it leads out of the directory/,
    );
    expect(message).not.toContain("ghs_secret");
  });

  it("follows a symlink that stays inside refreshed-files", async () => {
    symlinkSync("b.json", path.join(dir, REC, "same-as-b.json"));

    expect(await resolved([result(`${REC}/same-as-b.json`)])).toEqual([
      { path: `${REC}/same-as-b.json`, content: '{"b": 1}\n' },
    ]);
  });

  it("names every offending path at once", async () => {
    const message = await refusal([result("../a.json"), result(`${REC}/a.json`), result("x/y.json")]);
    expect(message.split("\n")).toEqual([
      "publish commits only recording files; nothing was published:",
      '"../a.json" contains ..',
      '"x/y.json" is not under the recordings globs',
    ]);
  });

  it("takes the recordings from paths, directories or globs", () => {
    const byDir = recordingPathMatcher(["./tests/integration/inference/recordings/"]);
    const byGlob = recordingPathMatcher(["tests/**/recordings/*.json"]);
    const byDefault = recordingPathMatcher([]);
    expect([byDir(`${REC}/a.json`), byDir("tests/integration/agents/recordings/a.json")]).toEqual([
      true,
      false,
    ]);
    expect([byGlob(`${REC}/a.json`), byGlob("tests/a.json")]).toEqual([true, false]);
    expect([byDefault(`${REC}/deep/a.json`), byDefault("tests/a.json")]).toEqual([true, false]);
  });
});

describe("publishing a report", () => {
  let fake: FakeGitHub;
  beforeEach(async () => {
    const files = { [`${REC}/a.json`]: "{}\n", [`${REC}/old-b.json`]: "{}\n", [`${REC}/gone.json`]: "{}\n" };
    fake = await createFakeGitHub({ owner: "o", repo: "r", files });
  });
  afterEach(() => fake.close());

  const pullRequest = {
    branch: "recording-drift/refresh",
    base: null,
    title: "Refresh",
    draft: false,
    closeWhenClean: false,
    labels: [],
    reviewers: [],
    teamReviewers: [],
    assignees: [],
  };
  const publish = (results: CheckResult[]) =>
    publishRefresh({
      report: makeReport(results),
      filesDir: dir,
      recordings: [],
      github: createGitHubClient({ token: "ghs_test", baseUrl: fake.url, throttle: false }),
      owner: "o",
      repo: "r",
      pullRequest,
    });

  it("commits the rewrites, the renames and the removals in one commit, and no report", async () => {
    const published = await publish([
      result(`${REC}/a.json`),
      result(`${REC}/b.json`, { renamedFrom: `${REC}/old-b.json` }),
      result(`${REC}/gone.json`, { refreshed: false, removed: true }),
    ]);

    expect(published).toMatchObject({ operation: "created", branch: "recording-drift/refresh" });
    expect(fake.listFiles("recording-drift/refresh")).toEqual([`${REC}/a.json`, `${REC}/b.json`]);
    expect(fake.readFile("recording-drift/refresh", `${REC}/b.json`)).toBe('{"b": 1}\n');
    expect(fake.requests.filter((r) => r.operationId === "git/create-commit")).toHaveLength(1);
    expect(fake.pulls[0]?.body).toMatch(/^- \*\*What this is:\*\* /);
  });

  it("a refused report makes no request to GitHub", async () => {
    const publishing = publish([result(`${REC}/a.json`), result(".github/workflows/recordings/x.json")]);

    await expect(publishing).rejects.toThrow(ReportInputError);
    expect(fake.requests).toEqual([]);
  });
});
