// The commands of the command line, one table entry each: arguments, options, help, and the
// run that hands the raw values to the command's zod schema and prints its report. To add an
// option: add it to the schema, then one line to the command's `options` here.
import { diffExitCode, diffTitle, parseDiffOptions, runDiff } from "../commands/diff.ts";
import { parseMergeOptions, runMerge } from "../commands/merge.ts";
import { parseReplayOptions } from "../commands/options.ts";
import { DEFAULT_BRANCH, DEFAULT_TITLE, parsePublishOptions, runPublish } from "../commands/publish.ts";
import { readJournal } from "../commands/read-journal.ts";
import { emptyRunFailure, exitCodeFor, runReplay } from "../commands/run-replay.ts";
import { verify } from "../commands/verify.ts";
import { createGitHubClient } from "../github/client.ts";
import { writeFileAtomic } from "../recording/files.ts";
import { formatJournalText } from "../report/journal-text.ts";
import { logText } from "../report/untrusted-text.ts";
import { formatVerifyText, formatVerifyWarnings } from "../report/verify-text.ts";
import type { CliIo, CommandSpec, OptionSpec, RawOptions } from "./command-spec.ts";
import { EXIT_EMPTY_RUN, PROGRAM } from "./program.ts";
import { MARKDOWN_REPORT, NO_COLOR, printReport, reportOutput } from "./report-output.ts";
import { statusLine } from "./status-line.ts";

const RECORDINGS = {
  syntax: "[paths...]",
  key: "paths",
  description: "recording files, directories or globs (default **/recordings/**/*.json)",
};
const REPORTS = { syntax: "[reports...]", key: "reports", description: "JSON reports (files or globs)" };

const JSON_REPORT: OptionSpec = { flags: "--json <file>", description: "write the JSON report" };
const CONFIG: OptionSpec = {
  flags: "--config <file>",
  description: "config file (default .github/recording-drift.yml when present)",
};
const THRESHOLD: OptionSpec = {
  flags: "--threshold <x>",
  description: "also call drifted a text whose word similarity (0..1) is below X (default: the facts decide)",
};
const FAIL_ON: OptionSpec = {
  flags: "--fail-on <what>",
  description: "exit 1 when any recording is drifted|failed (default never)",
};

const REPLAY_OPTIONS: OptionSpec[] = [
  CONFIG,
  {
    flags: "--provider <host=url>",
    key: "providers",
    repeatable: true,
    description: "base URL for the recordings of HOST (repeatable)",
  },
  { flags: "--concurrency <n>", description: "requests in flight at once (default 8)" },
  {
    flags: "--filter <glob>",
    description: "only recordings whose path (** crosses /) or test id (* crosses /) matches",
  },
  {
    flags: "--fail-on-empty",
    description: `a run that checked nothing, or failed more than --max-failed-share, exits ${EXIT_EMPTY_RUN} (default)`,
  },
  { flags: "--no-fail-on-empty", description: "report such a run, exit as --fail-on says" },
  {
    flags: "--max-failed-share <x>",
    description:
      "failures above this share (0..1) of the recordings attempted make a run empty (default 0.5)",
  },
  { flags: "--max-requests <n>", description: "request budget; recordings beyond it are skipped" },
  {
    flags: "--shard <k/n>",
    description: "only the K-th of N parts of the recordings (by a hash of each path)",
  },
  { flags: "--samples <k>", description: "replay each request K times to tell nondeterminism from drift" },
  {
    flags: "--extra-samples <n>",
    description: "when only an answer's text drifted, draw N more samples of it (default 2, 0: never)",
  },
  THRESHOLD,
  JSON_REPORT,
  MARKDOWN_REPORT,
  FAIL_ON,
  NO_COLOR,
];

const PROVIDER = "--provider 0.0.0.0:11434=http://localhost:11434/v1";

async function runReplayCommand(command: "check" | "refresh", given: RawOptions, io: CliIo): Promise<number> {
  const { raw, output } = reportOutput(given, io);
  const options = parseReplayOptions(raw);
  // On a terminal, progress is one line redrawn in place; other lines are written above it.
  const status = io.terminal.stderr ? statusLine(io.stderr, io.terminal.columns) : null;
  const log = status ? status.log : (line: string) => io.stderr(`${line}\n`);
  const outcome = await runReplay(command, options, {
    cwd: io.cwd,
    env: io.env,
    log,
    warn: (line) => log(`warning: ${line}`),
    ...(status ? { status: status.show } : {}),
  });
  printReport(io, outcome.report, output);
  // With `--markdown -` stdout is the Markdown report alone: anything else goes to stderr.
  const note = output.markdown ? io.stderr : io.stdout;
  if (outcome.wouldRefresh.length > 0) {
    note(`\nwould refresh (dry run):\n${outcome.wouldRefresh.map((f) => `  ${logText(f)}\n`).join("")}`);
  }
  if (outcome.interruptedBy) return outcome.interruptedBy === "SIGINT" ? 130 : 143;
  const empty = emptyRunFailure(outcome.report, options);
  if (empty !== null) {
    io.stderr(`${PROGRAM}: ${empty}\n`);
    return EXIT_EMPTY_RUN;
  }
  return exitCodeFor(outcome.report, options.failOn);
}

export const COMMANDS: CommandSpec[] = [
  {
    name: "verify",
    argument: RECORDINGS,
    summary: "check recordings are valid, round-trip byte for byte and are named by their request hash",
    description:
      "Reads every recording and checks, without calling any provider, that it is valid, that writing it " +
      "back gives its exact bytes, that its file name is the hash of its request, and that it holds no " +
      "credential-looking string. Exit 1 when any is invalid, misnamed or holds a credential, or no " +
      "recording is found.",
    options: [JSON_REPORT],
    examples: ["recording-drift verify", "recording-drift verify tests/integration --json verify.json"],
    run: async (raw, io) => {
      const paths = (raw.paths as string[] | undefined) ?? [];
      const report = await verify({ paths, cwd: io.cwd });
      io.stderr(formatVerifyWarnings(report));
      io.stdout(formatVerifyText(report));
      if (typeof raw.json === "string") {
        const { problems: _problems, ...json } = report;
        await writeFileAtomic(raw.json, `${JSON.stringify(json, null, 2)}\n`);
      }
      return report.summary.failed > 0 || report.summary.total === 0 ? 1 : 0;
    },
  },
  {
    name: "check",
    argument: RECORDINGS,
    summary: "replay each recording against its live provider and report drift",
    description:
      "Sends each recording's request to its live provider and judges the answer against the stored " +
      "one: unchanged, minor (noise), drifted, failed or skipped. Writes nothing but the reports.",
    options: REPLAY_OPTIONS,
    examples: [
      `recording-drift check tests/integration/inference ${PROVIDER}`,
      `recording-drift check --filter 'tests/integration/inference/*::test_openai_chat*' --fail-on drifted`,
      "recording-drift check --shard 2/4 --json report-2.json",
    ],
    run: (raw, io) => runReplayCommand("check", raw, io),
  },
  {
    name: "refresh",
    argument: RECORDINGS,
    summary: "check, then rewrite the selected recordings with the live answers",
    description:
      "Runs check, then rewrites the recordings --update selects with the live answers, byte for byte as " +
      "the Python recorder would have written them. Each file is replaced whole or not at all.",
    options: [
      ...REPLAY_OPTIONS,
      {
        flags: "--update <what>",
        description:
          "refresh drifted (default), changed (minor and drifted) or all replayed; rejected (stored " +
          "successes now refused) and accepted (stored refusals now answered) only when named",
      },
      { flags: "--dry-run", description: "list what refresh would rewrite; write nothing" },
      {
        flags: "--prune-unreachable",
        description: "delete recordings whose name is not their request's hash (no test can find them)",
      },
      {
        flags: "--re-record-command <cmd>",
        description:
          "run CMD for the tests that need a re-record ($RECORDING_DRIFT_TESTS names the file of their test ids)",
      },
      {
        flags: "--journal <file>",
        description:
          "journal each file change here before making it (default <report>.journal.jsonl beside --json)",
      },
    ],
    examples: [
      `recording-drift refresh tests/integration/inference ${PROVIDER}`,
      "recording-drift refresh --update changed --dry-run",
      `recording-drift refresh --re-record-command 'pytest @"$RECORDING_DRIFT_TESTS" --inference-mode record-if-missing'`,
    ],
    run: (raw, io) => runReplayCommand("refresh", raw, io),
  },
  {
    name: "journal",
    argument: {
      syntax: "<file>",
      key: "file",
      description: "the journal of a refresh (a .journal.jsonl file)",
    },
    summary: "say what a refresh changed, from its journal, even when it did not finish",
    description:
      "Reads the journal a refresh writes as it changes files and lists the files it changed and, when " +
      "the run did not finish (a crash, a kill, a full disk), the changes in flight and whether each " +
      "landed. Exit 1 when the run did not finish.",
    options: [],
    examples: ["recording-drift journal report.journal.jsonl"],
    run: async (raw, io) => {
      const state = await readJournal(String(raw.file), io.cwd);
      io.stdout(formatJournalText(state));
      return state.complete ? 0 : 1;
    },
  },
  {
    name: "diff",
    argument: RECORDINGS,
    summary: "verify and compare the recordings changed since a base; no provider calls, no secrets",
    description:
      "Verifies the recordings added or changed since the base (a git ref's merge base with HEAD, or a " +
      "directory) and compares each with its base version, as a pull request check.",
    options: [
      { flags: "--base <ref|dir>", description: "the git ref or directory to compare with (required)" },
      CONFIG,
      THRESHOLD,
      JSON_REPORT,
      MARKDOWN_REPORT,
      {
        flags: "--fail-on <what>",
        description: "exit 1 when any recording is drifted|invalid, or never (default invalid)",
      },
      NO_COLOR,
    ],
    examples: [
      "recording-drift diff --base origin/main",
      "recording-drift diff --base main --fail-on drifted --markdown diff.md",
    ],
    run: async (given, io) => {
      const { raw, output } = reportOutput(given, io);
      const options = parseDiffOptions(raw);
      const report = await runDiff(options, io.cwd);
      printReport(io, report, output, diffTitle(options.base));
      return diffExitCode(report, options.failOn);
    },
  },
  {
    name: "merge",
    argument: REPORTS,
    summary: "combine the JSON reports of a sharded run into one",
    description: "Combines the JSON reports of a sharded run (or of disjoint recordings) into one report.",
    options: [JSON_REPORT, MARKDOWN_REPORT, FAIL_ON, NO_COLOR],
    examples: ["recording-drift merge report-*.json --markdown report.md --fail-on drifted"],
    run: async (given, io) => {
      const { raw, output } = reportOutput(given, io);
      const options = parseMergeOptions(raw);
      const report = await runMerge(options, io.cwd);
      printReport(io, report, output);
      return exitCodeFor(report, options.failOn);
    },
  },
  {
    name: "publish",
    argument: REPORTS,
    summary: "merge the shards' reports and open or update the refresh pull request",
    description:
      "Merges the shards' reports and opens or updates the refresh pull request with the recordings " +
      "they refreshed, read from --refreshed-files (laid out like the repository), and the deletions " +
      "of those renamed or removed; only .json files under the --recordings globs (default " +
      "**/recordings/**/*.json) are committed, never .github/. The token comes " +
      "from GITHUB_TOKEN when --token is not given, the repository from GITHUB_REPOSITORY, the API " +
      `from GITHUB_API_URL (default branch ${DEFAULT_BRANCH}, title "${DEFAULT_TITLE}").`,
    options: [
      { flags: "--refreshed-files <dir>", description: "the shards' refreshed recordings (required)" },
      { flags: "--repo <owner/name>", description: "the repository (default GITHUB_REPOSITORY)" },
      { flags: "--token <token>", description: "GitHub token (default GITHUB_TOKEN)" },
      { flags: "--branch <name>", description: `the tool's branch (default ${DEFAULT_BRANCH})` },
      { flags: "--base <name>", description: "the branch to merge into (default the repository's)" },
      { flags: "--title <title>", description: "pull request title" },
      { flags: "--labels <list>", description: "comma-separated labels" },
      { flags: "--reviewers <list>", description: "comma-separated reviewers (user logins)" },
      { flags: "--team-reviewers <list>", description: "comma-separated team reviewers (team slugs)" },
      { flags: "--assignees <list>", description: "comma-separated assignees" },
      {
        flags: "--recordings <glob>",
        repeatable: true,
        description: "where recordings may be committed (repeatable; default **/recordings/**/*.json)",
      },
      { flags: "--draft", description: "open the pull request as a draft" },
      { flags: "--close-when-clean", description: "close the open pull request when nothing drifted" },
      JSON_REPORT,
      MARKDOWN_REPORT,
      FAIL_ON,
      NO_COLOR,
    ],
    examples: ["recording-drift publish reports/*.json --refreshed-files refreshed --repo owner/name"],
    run: async (given, io) => {
      const { raw, output } = reportOutput(given, io);
      const options = parsePublishOptions({
        ...raw,
        repo: raw.repo ?? (io.env.GITHUB_REPOSITORY || undefined),
        token: raw.token ?? (io.env.GITHUB_TOKEN || undefined),
      });
      const outcome = await runPublish(options, {
        cwd: io.cwd,
        github: (token) => createGitHubClient({ token, log: (line) => io.stderr(`${line}\n`) }),
      });
      printReport(io, outcome.report, output, { title: options.title });
      const { operation, url } = outcome.pullRequest;
      (output.markdown ? io.stderr : io.stdout)(
        operation === "none"
          ? "\nNo pull request: nothing to refresh\n"
          : `\nPull request ${operation}: ${url}\n`,
      );
      return exitCodeFor(outcome.report, options.failOn);
    },
  },
];
