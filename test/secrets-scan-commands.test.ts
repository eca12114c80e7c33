// The credential scanner through every command that runs it: `verify`, `diff` and the action's
// `pr-check`, one recording per credential kind the scanner knows. Each is reported with its
// file, its kind and its JSON path; none is ever printed, in any output or report.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CheckReport } from "../src/report/check-report.ts";
import { makeRunnerFiles, runActionInProcess, stepEnvironment } from "./support/action-env.ts";
import { CREDENTIAL_SAMPLES } from "./support/credential-samples.ts";
import { runCli } from "./support/run-cli.ts";
import { FIXTURES, makeTempDir } from "./support/temp-dir.ts";

const SECRETS = CREDENTIAL_SAMPLES;

const CHAT =
  "llama-stack/tests/integration/agents/recordings/007a9180a7aa38e17c1135ebf1f75e0d5ce1ea58e2261deba8c41e51196078ec.json";
const slug = (kind: string) => kind.toLowerCase().replace(/[^a-z]+/g, "-");
/** The same recording under one directory per kind (its name stays its request hash). */
const fileFor = (kind: string) => `${slug(kind)}/recordings/${path.basename(CHAT)}`;

const root = makeTempDir("recording-drift-scan-");
const head = path.join(root, "head");
const base = path.join(root, "base");

beforeAll(() => {
  const clean = readFileSync(path.join(FIXTURES, CHAT), "utf8");
  const answer = '"content": "safe"';
  expect(clean).toContain(answer);
  for (const [kind, secret] of Object.entries(SECRETS)) {
    for (const dir of [head, base])
      mkdirSync(path.dirname(path.join(dir, fileFor(kind))), { recursive: true });
    cpSync(path.join(FIXTURES, CHAT), path.join(base, fileFor(kind)));
    // Pasted into the stored answer, JSON-escaped: the file stays valid and round-trips.
    const pasted = clean.replace(answer, `"content": "${JSON.stringify(secret).slice(1, -1)} safe"`);
    writeFileSync(path.join(head, fileFor(kind)), pasted);
  }
});

const ANSWER_PATH = "$.response.body.__data__.choices[0].message.content";

function expectNoSecret(...outputs: string[]): void {
  for (const output of outputs)
    for (const secret of Object.values(SECRETS)) {
      // The shortest distinctive part of each: its body after the well-known prefix.
      expect(output).not.toContain(secret.slice(-24));
    }
}

describe("verify", () => {
  it("flags every credential kind with its file and JSON path, exits 1, prints none", async () => {
    const json = path.join(root, "verify.json");
    const run = await runCli(["verify", ".", "--json", json], { cwd: head });
    expect(run.code).toBe(1);
    const report = readFileSync(json, "utf8");
    const results = (
      JSON.parse(report) as {
        results: Array<{ file: string; secrets: Array<{ path: string; kind: string }> }>;
      }
    ).results;
    for (const kind of Object.keys(SECRETS)) {
      const result = results.find((r) => r.file.endsWith(fileFor(kind)));
      expect(result?.secrets, kind).toEqual([expect.objectContaining({ kind, path: ANSWER_PATH })]);
      expect(run.stdout).toMatch(
        new RegExp(`${slug(kind)}/recordings/.*\\(${kind}, .*\\) at \\$\\.response`),
      );
    }
    expectNoSecret(run.stdout, run.stderr, report);
  });
});

describe("diff --base DIR", () => {
  it("reports every credential as a problem on its line with its JSON path, and prints none", async () => {
    const json = path.join(root, "diff.json");
    const markdown = path.join(root, "diff.md");
    const run = await runCli(["diff", "--base", base, "--json", json, "--markdown", markdown], { cwd: head });
    expect(run.code).toBe(1);
    const reportText = readFileSync(json, "utf8");
    const report = JSON.parse(reportText) as CheckReport;
    expect(report.results).toHaveLength(Object.keys(SECRETS).length);
    for (const kind of Object.keys(SECRETS)) {
      const result = report.results.find((r) => r.file === fileFor(kind));
      expect(result?.problems, kind).toEqual([
        expect.objectContaining({ kind: "credential", severity: "error", line: expect.any(Number) }),
      ]);
      expect(result?.problems?.[0]?.message).toContain(`${kind} at ${ANSWER_PATH}`);
      // The diff itself would show the secret: it is withheld.
      expect(result?.diff ?? null).toBeNull();
    }
    expectNoSecret(run.stdout, run.stderr, reportText, readFileSync(markdown, "utf8"));
  });
});

describe("the action's pr-check", () => {
  it("annotates credentials on their file and line up to GitHub's 10, counts the rest exactly, fails the step, and shows none", async () => {
    const files = makeRunnerFiles();
    const env = stepEnvironment({ workspace: head, inputs: { mode: "pr-check", base } }, files);
    const run = await runActionInProcess(env, files);
    expect(run.failure).toMatch(
      /^\d+ changed recordings fail the check: \d+ with credential-looking strings /,
    );
    const onFiles = run.annotations.filter((a) => a.level === "error" && a.file);
    // GitHub shows 10 errors: the step's failure, one summary of the rest, and 8 on files.
    expect(onFiles).toHaveLength(8);
    for (const annotation of onFiles) {
      const kind = Object.keys(SECRETS).find((k) => fileFor(k) === annotation.file) as string;
      expect(annotation.message).toContain(`${kind} at ${ANSWER_PATH}`);
    }
    const rest = Object.keys(SECRETS).length - onFiles.length;
    expect(run.stdout).toContain(
      `::error::${rest} more errors not annotated: ${rest} credential — see the job summary`,
    );
    for (const kind of Object.keys(SECRETS)) expect(run.summary, kind).toContain(fileFor(kind));
    expectNoSecret(run.stdout, run.summary, readFileSync(run.outputs["report-json"] as string, "utf8"));
  });
});
