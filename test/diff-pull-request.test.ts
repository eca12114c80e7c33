// `recording-drift diff` on a synthetic pull request in a real git repository: each way a
// contributor can change a recording gets its own verdict or problem, without any provider.
import { cpSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CheckReport, CheckResult } from "../src/report/check-report.ts";
import { runCli } from "./support/run-cli.ts";
import { BASE_MOVED, git, makeSyntheticPullRequest, PASTED_TOKEN, PR_FILES } from "./support/synthetic-pr.ts";
import { FIXTURES, makeTempDir } from "./support/temp-dir.ts";

const root = makeTempDir("recording-drift-diff-");
const repo = path.join(root, "repo");

beforeAll(() => makeSyntheticPullRequest(repo));

async function diffReport(...args: string[]) {
  const json = path.join(root, `report-${Math.random().toString(36).slice(2)}.json`);
  const markdown = json.replace(/\.json$/, ".md");
  const run = await runCli(["diff", ...args, "--json", json, "--markdown", markdown], { cwd: repo });
  const report = run.code === 2 ? null : (JSON.parse(readFileSync(json, "utf8")) as CheckReport);
  return { run, report, markdown: report ? readFileSync(markdown, "utf8") : "" };
}

// Most tests read the same run against `main`: run it once.
let againstMain: ReturnType<typeof diffReport> | undefined;
const diffAgainstMain = () => {
  againstMain ??= diffReport("--base", "main");
  return againstMain;
};

function resultFor(report: CheckReport | null, file: string): CheckResult {
  const result = report?.results.find((r) => r.file === file);
  if (!result) throw new Error(`no result for ${file}`);
  return result;
}

describe("diff --base main on a pull request of recordings", () => {
  it("reports exactly the recordings the branch added or changed, not the base's own later changes", async () => {
    const { report } = await diffAgainstMain();
    expect(report?.results.map((r) => r.file)).toEqual(Object.values(PR_FILES).sort());
    expect(report?.results.some((r) => r.file === BASE_MOVED)).toBe(false);
    expect(report?.summary).toEqual({
      total: 6,
      unchanged: 1,
      minor: 0,
      nondeterministic: 0,
      drifted: 1,
      rejected: 0,
      failed: 3,
      skipped: 1,
    });
  });

  it("judges a change of fingerprints and obfuscation only as noise", async () => {
    const { report } = await diffAgainstMain();
    expect(resultFor(report, PR_FILES.noise)).toMatchObject({
      verdict: "unchanged",
      reasons: ["changed only in noise (ids, fingerprints, obfuscation)"],
      problems: [],
    });
  });

  it("judges a changed answer text as drifted, with its word diff", async () => {
    const { report, markdown } = await diffAgainstMain();
    const result = resultFor(report, PR_FILES.text);
    expect(result.verdict).toBe("drifted");
    expect(result.problems).toEqual([]);
    expect(result.reasons.join(" ")).toMatch(/text/);
    expect(result.diff?.some((run) => run.op === "added" && run.text.includes("Goodbye"))).toBe(true);
    // Headed by its test's name (the part after the test file).
    expect(markdown).toContain(`##### \`${result.testId?.split("::").slice(1).join("::")}\``);
  });

  it("fails a hand-edited test_id as a misnamed file on the test_id line, the change after why", async () => {
    const { report } = await diffAgainstMain();
    const result = resultFor(report, PR_FILES.testId);
    expect(result.verdict).toBe("failed");
    expect(result.reasons[0]).toMatch(/^the file name is not the request's hash/);
    expect(result.reasons[1]).toMatch(/^test_id: "tests\/.*" → "tests\/renamed_/);
    expect(result.problems).toEqual([
      expect.objectContaining({ kind: "misnamed", severity: "error", line: 2 }),
    ]);
    expect(result.problems?.[0]?.message).toMatch(/the recorder would name it [0-9a-f]{64}\.json/);
  });

  it("reports an invalid file as failed, with the line the JSON breaks on", async () => {
    const { report } = await diffAgainstMain();
    const result = resultFor(report, PR_FILES.invalid);
    expect(result.verdict).toBe("failed");
    expect(result.problems).toEqual([expect.objectContaining({ kind: "invalid", severity: "error" })]);
    expect(result.problems?.[0]?.line).toBeGreaterThan(1);
    expect(result.problems?.[0]?.message).toMatch(/^invalid recording: invalid JSON: line \d+/);
  });

  it("reports a pasted credential on its line and never repeats it", async () => {
    const { run, report, markdown } = await diffAgainstMain();
    const result = resultFor(report, PR_FILES.credential);
    expect(result.verdict).toBe("failed");
    expect(result.reasons).toEqual([
      result.problems?.[0]?.message,
      "details withheld: a version holds a credential-looking string (see problems)",
    ]);
    expect(result.diff).toBeNull();
    const text = readFileSync(path.join(repo, PR_FILES.credential), "utf8");
    const line = text.split("\n").findIndex((l) => l.includes(PASTED_TOKEN)) + 1;
    expect(result.problems).toEqual([
      expect.objectContaining({ kind: "credential", severity: "error", line }),
    ]);
    expect(result.problems?.[0]?.message).toMatch(
      /^GitHub Token at \$\.response\.body\.__data__\.choices\[0\]/,
    );
    for (const output of [JSON.stringify(report), markdown, run.stdout, run.stderr]) {
      expect(output).not.toContain(PASTED_TOKEN);
    }
  });

  it("verifies an added (untracked) recording without comparing it", async () => {
    const { report } = await diffAgainstMain();
    expect(resultFor(report, PR_FILES.added)).toMatchObject({
      verdict: "skipped",
      reasons: ["added: verified only, no base version to compare with"],
      problems: [],
    });
  });

  it("lists every problem in the Markdown report, errors first", async () => {
    const { markdown } = await diffAgainstMain();
    expect(markdown).toMatch(/^## recording-drift diff against main\n/);
    expect(markdown).toContain("### Problems (3)");
    for (const file of [PR_FILES.testId, PR_FILES.invalid, PR_FILES.credential]) {
      expect(markdown).toMatch(new RegExp(`- \`${file.replaceAll(".", "\\.")}\` line \\d+: `));
    }
    // By kind, errors first.
    expect(markdown).toMatch(
      /❌ 1 file — credential-looking strings\n[\s\S]*❌ 1 file — invalid: [\s\S]*❌ 1 file — misnamed: /,
    );
  });

  it("exits 1 on broken files by default, 0 with --fail-on never", async () => {
    expect((await diffAgainstMain()).run.code).toBe(1);
    expect((await diffReport("--base", "main", "--fail-on", "never")).run.code).toBe(0);
  });

  it("limits itself to the given paths; exits 0 when they only drifted, 1 with --fail-on drifted", async () => {
    const common = "tests/integration/common";
    const clean = await diffReport("--base", "main", common, PR_FILES.text);
    expect(clean.report?.results.map((r) => r.file)).toEqual([PR_FILES.text, PR_FILES.noise].sort());
    expect(clean.run.code).toBe(0);
    expect((await diffReport("--base", "main", "--fail-on", "drifted", common, PR_FILES.text)).run.code).toBe(
      1,
    );
    expect((await diffReport("--base", "main", "--fail-on", "drifted", common)).run.code).toBe(0);
  });

  it("takes a directory holding the base tree instead of a git ref", async () => {
    const baseDir = path.join(root, "base-tree");
    mkdirSync(baseDir);
    git(
      repo,
      "worktree",
      "add",
      "--quiet",
      "--detach",
      baseDir,
      git(repo, "merge-base", "main", "HEAD").trim(),
    );
    const byDir = await diffReport("--base", baseDir);
    const byRef = await diffAgainstMain();
    expect(byDir.report).toEqual(byRef.report);
  });

  it("refuses a base that is neither a directory nor a git revision, as a usage error", async () => {
    const { run } = await diffReport("--base", "no-such-branch");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /--base no-such-branch: "no-such-branch" is neither a directory nor a git revision/,
    );
  });

  it("reports nothing and exits 0 when no recording changed", async () => {
    const { run, report } = await diffReport(
      "--base",
      "HEAD",
      "tests/integration/common/recordings/0b2c69a5bb37ad55d47d36c33e068b00867d4d5f68e16bc1884b71075b316c72.json",
    );
    expect(report?.summary.total).toBe(0);
    expect(run.code).toBe(0);
  });
});

describe("diff outside a git repository", () => {
  it("still works against a base directory", async () => {
    const plain = path.join(root, "plain");
    const base = path.join(root, "plain-base");
    for (const dir of [plain, base]) {
      cpSync(path.join(repo, "tests/integration/inference/recordings"), path.join(dir, "recordings"), {
        recursive: true,
      });
    }
    cpSync(
      path.join(FIXTURES, "llama-stack", PR_FILES.text),
      path.join(base, "recordings", path.basename(PR_FILES.text)),
    );
    const run = await runCli(
      ["diff", "--base", base, "--fail-on", "drifted", `recordings/${path.basename(PR_FILES.text)}`],
      {
        cwd: plain,
      },
    );
    // The headline and the counts table (drifted 1, total 1), as text.
    expect(run.stdout).toContain("⚠️ 1 recording drifted (1 answer)");
    expect(run.stdout).toMatch(/^ *drifted +total *$/m);
    expect(run.code).toBe(1);
  });
});
