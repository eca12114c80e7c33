// Untrusted text through every writer: a fork's file name carrying workflow commands through
// `verify`, `diff` and the action's `pr-check`; a provider message with `\r` and `::` through
// `check`; mentions, closing keywords, backticks and HTML through the Markdown report. Nothing of
// it may start a line with `::`, carry a control character, notify, close or render as HTML.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type CheckResult, makeReport } from "../src/report/check-report.ts";
import { formatMarkdown } from "../src/report/markdown.ts";
import { inertText, logLines, logText } from "../src/report/untrusted-text.ts";
import { makeRunnerFiles, runActionInProcess, stepEnvironment } from "./support/action-env.ts";
import { setupCheck } from "./support/check-setup.ts";
import { runCli } from "./support/run-cli.ts";
import { FIXTURES, makeTempDir } from "./support/temp-dir.ts";

const CHAT =
  "llama-stack/tests/integration/agents/recordings/007a9180a7aa38e17c1135ebf1f75e0d5ce1ea58e2261deba8c41e51196078ec.json";
/** A name a fork can give a file: each line of it a workflow command. */
const HOSTILE_NAME =
  "evil\n::error file=a,line=1::pwned\n::add-mask::hidden\n::stop-commands::tok\r##[warning]legacy.json";
const HOSTILE_FILE = `recordings/${HOSTILE_NAME}`;

/** Any control character but the newline that ends a line; U+2028/2029 too. */
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u2028\u2029]/;

/** Every line of a CLI's output: none a workflow command, none with a control character. */
function expectInertLines(...outputs: string[]): void {
  for (const output of outputs)
    for (const line of output.split("\n")) {
      expect(line).not.toMatch(/^\s*::/);
      expect(line).not.toContain("##[");
      expect(line).not.toMatch(CONTROL);
    }
}

const root = makeTempDir("recording-drift-untrusted-");
const head = path.join(root, "head");
const base = path.join(root, "base");

beforeAll(() => {
  mkdirSync(path.join(head, "recordings"), { recursive: true });
  mkdirSync(path.join(base, "recordings"), { recursive: true });
  cpSync(path.join(FIXTURES, CHAT), path.join(head, HOSTILE_FILE));
});

describe("a file name holding workflow commands", () => {
  it("verify prints it escaped on one line", async () => {
    const run = await runCli(["verify", "."], { cwd: head });
    expect(run.code).toBe(1); // the file is misnamed: it fails verify
    expect(run.stdout).toContain("evil%0A::error file=a,line=1::pwned%0A::add-mask::hidden");
    expect(run.stdout).toContain("%0D#%23[warning]legacy.json");
    expectInertLines(run.stdout, run.stderr);
  });

  it("diff prints it on one line, in stdout and in a code span in the Markdown report", async () => {
    const markdown = path.join(root, "diff.md");
    const run = await runCli(["diff", "--base", base, "--markdown", markdown], { cwd: head });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("recordings/evil ⏎ ::error file=a,line=1::pwned ⏎ ::add-mask::hidden");
    expect(readFileSync(markdown, "utf8")).toContain(
      "`recordings/evil ⏎ ::error file=a,line=1::pwned ⏎ ::add-mask::hidden",
    );
    expectInertLines(run.stdout, run.stderr, readFileSync(markdown, "utf8"));
  });

  it("pr-check logs and annotates it without running any of its commands", async () => {
    const files = makeRunnerFiles();
    const env = stepEnvironment({ workspace: head, inputs: { mode: "pr-check", base } }, files);
    const run = await runActionInProcess(env, files);
    expect(run.failure).toBe(
      "1 changed recording fails the check: 1 misnamed (see the annotations and the job summary)",
    );
    // The only commands are the action's own: groups and annotations on the hostile file.
    const commands = [...run.stdout.matchAll(/^\s*::([a-z-]+)/gm)].map((m) => m[1]);
    expect(new Set(commands)).toEqual(new Set(["group", "endgroup", "error"]));
    expect(run.masked).toEqual([]);
    expect(run.annotations.length).toBeGreaterThan(0);
    for (const annotation of run.annotations) expect(annotation.file).toMatch(/^recordings\/evil%0A/);
    for (const line of run.stdout.split("\n")) {
      if (/^::(group|endgroup|error)[ :]/.test(line)) continue;
      expect(line).not.toMatch(/^\s*::/);
      expect(line).not.toContain("##[");
      expect(line).not.toMatch(CONTROL);
    }
    expectInertLines(run.summary);
  });
});

describe("a provider's error message with \\r and workflow commands", () => {
  it("reaches check's stdout and stderr on one line, inert", async () => {
    const setup = await setupCheck({ liveify: "wire" }, ["00cf12ddd414"]);
    const message = "bad\r::error::pwned\n::add-mask::hidden @user fixes #1 <b>x</b>";
    setup.sim.fault({ kind: "error-event", afterChunks: 1, error: { error: { message } } });
    const config = path.join(root, "config.yml");
    writeFileSync(config, "retries: { attempts: 1 }\n");
    const args = ["check", setup.dir, "--config", config];
    for (const provider of setup.options.providerOverrides) args.push("--provider", provider);
    const run = await runCli(args, { cwd: setup.dir });
    // The one recording failed: nothing was checked (exit 4), and the line saying why quotes it.
    expect(run.code).toBe(4);
    expect(run.stderr).toContain("recording-drift: nothing could be checked: 1 failed (");
    // As written (a terminal renders no HTML), with mentions and references inert.
    expect(run.stdout).toContain(
      "bad␍::error::pwned ⏎ ::add-mask::hidden @\u200Duser f\u200Dixes #\u200D1 <b>x</b>",
    );
    expectInertLines(run.stdout, run.stderr);
  });
});

describe("Markdown from answers, file names and model strings", () => {
  const result: CheckResult = {
    file: "recordings/a`b``c<img src=x>.json",
    testId: "tests/x.py::test_`y`",
    endpoint: "/v1/chat/completions",
    model: "gpt`</code><script>alert(1)</script>",
    provider: "api.openai.com",
    verdict: "drifted",
    similarity: 0.1,
    reasons: ["answer text changed: @user and @org/team, fixes https://github.com/o/r/issues/1 <img src=x>"],
    diff: [
      { op: "removed", text: "old" },
      { op: "added", text: "Closes #12, resolved o/r#3 — cc @octocat <details open>" },
    ],
  };
  const markdown = formatMarkdown(makeReport([result]));

  it("puts no live mention, closing keyword, issue reference or HTML into the report", () => {
    expect(markdown).not.toMatch(/@[A-Za-z0-9]/);
    expect(markdown).not.toMatch(/\b(close[sd]?|fix(e[sd])?|resolve[sd]?)\b/i);
    expect(markdown).not.toMatch(/#\d/);
    // Outside fenced blocks and code spans, where HTML is shown as written.
    const outsideCode = markdown
      .replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, "")
      .replace(/(`+).*?\1/g, "")
      .replace(/<\/?sub>/g, "");
    expect(outsideCode).not.toMatch(/(?<!\\)<[a-z/]/);
    expect(markdown).toContain("@\u200Dorg/team");
    expect(markdown).toContain("f\u200Dixes https\\://github.com/o/r/issues/1");
  });

  it("fences file names, test ids and models longer than any backtick run inside", () => {
    expect(markdown).toContain("##### `` test_`y` ``");
    expect(markdown).toContain("recording ```a`b``c<img src=x>.json```");
    expect(markdown).toContain("model ``gpt`</code><script>alert(1)</script>``");
  });
});

describe("the escaping rules", () => {
  it("log text: GitHub's workflow-command escapes, a leading :: and the legacy ##[ prefix", () => {
    expect(logText("50%\r\n")).toBe("50%25%0D%0A");
    expect(logText("::error::x")).toBe("%3A:error::x");
    expect(logText("  ::x")).toBe("  %3A:x");
    expect(logText("a ##[error]b")).toBe("a #%23[error]b");
    expect(logText("\u001b[31mred\u0085\u2028")).toBe("%1B[31mred%C2%85%E2%80%A8");
  });

  it("a message of several lines: each line inert, none a command", () => {
    expect(logLines("config.yml: a: bad\n::error::x\r\nok")).toBe("config.yml: a: bad\n%3A:error::x%0D\nok");
  });

  it("Markdown node text: on one line, controls visible, references inert", () => {
    expect(inertText("a\r\nb\tc\u0000")).toBe("a ⏎ b␉c␀");
    expect(inertText("@octocat fixes #12")).toBe("@\u200Doctocat f\u200Dixes #\u200D12");
  });
});
