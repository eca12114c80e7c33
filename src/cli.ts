// The command line: parse argv into one validated options object per command and call it.
// No logic lives here beyond exit codes: 0 done, 1 the command's own failure, 2 usage error.
import { parseArgs } from "node:util";
import { diffExitCode, diffTitle, parseDiffOptions, runDiff } from "./commands/diff.ts";
import { parseMergeOptions, ReportInputError, runMerge } from "./commands/merge.ts";
import { OptionsError, parseReplayOptions } from "./commands/options.ts";
import { DEFAULT_BRANCH, DEFAULT_TITLE, parsePublishOptions, runPublish } from "./commands/publish.ts";
import { exitCodeFor, runReplay } from "./commands/run-replay.ts";
import { verify } from "./commands/verify.ts";
import { ConfigError } from "./config.ts";
import { createGitHubClient } from "./github/client.ts";
import { writeFileAtomic } from "./recording/files.ts";
import { formatMarkdown } from "./report/markdown.ts";
import { formatVerifyText } from "./report/verify-text.ts";

const REPLAY_OPTIONS = `  --config FILE          config file (default .github/recording-drift.yml when present)
  --provider HOST=URL    base URL for recordings of HOST (repeatable)
  --concurrency N        requests in flight at once (default 8)
  --filter GLOB          only recordings whose test id or path matches (** crosses /)
  --max-requests N       request budget; recordings beyond it are skipped
  --shard K/N            only the K-th of N parts of the recordings (by a hash of each path)
  --samples K            replay each request K times to tell nondeterminism from drift
  --threshold X          text similarity (0..1) below which a text change is drift (default 0.9)
  --json FILE            write the JSON report
  --markdown FILE        write the Markdown report
  --fail-on WHAT         exit 1 when any recording is drifted|failed (default never)`;

const USAGE = `usage: recording-drift <command> [options]

commands:
  verify [PATH|GLOB ...] [--json FILE]
      check recordings are valid, round-trip byte for byte and are named by their request hash
  check [PATH|GLOB ...] [options]
      replay each recording against its live provider and report drift
  refresh [PATH|GLOB ...] [options] [--update drifted|changed|all|rejected|accepted] [--dry-run]
       [--prune-unreachable] [--re-record-command CMD]
      check, then rewrite the selected recordings with the live answers
  diff --base GIT_REF|DIR [PATH|GLOB ...] [--config FILE] [--threshold X] [--json FILE]
       [--markdown FILE] [--fail-on drifted|invalid|never (default invalid)]
      verify the recordings added or changed since the base (a git ref's merge base with HEAD,
      or a directory) and compare each with its base version; no provider calls, no secrets
  merge REPORT.json ... [--json FILE] [--markdown FILE] [--fail-on drifted|failed|never]
      combine the JSON reports of a sharded run (or of disjoint recordings) into one
  publish REPORT.json ... --refreshed-files DIR --repo OWNER/NAME [--token TOKEN] [--branch B]
       [--base B] [--title T] [--labels L,...] [--draft] [--close-when-clean] [--json FILE]
       [--markdown FILE] [--fail-on drifted|failed|never]
      merge the shards' reports and open or update the refresh pull request with the recordings
      they refreshed, read from DIR (laid out like the repository); the token comes from
      GITHUB_TOKEN when --token is not given, the API from GITHUB_API_URL
      (default branch ${DEFAULT_BRANCH}, title "${DEFAULT_TITLE}")

options of check and refresh:
${REPLAY_OPTIONS}
  --update WHAT          refresh drifted (default), changed (minor and drifted) or all replayed;
                         rejected (stored successes now refused) and accepted (stored refusals
                         now answered) are rewritten only when named
  --dry-run              list what refresh would rewrite; write nothing
  --prune-unreachable    delete recordings whose name is not their request's hash (no test can
                         find them; check and refresh skip them)
  --re-record-command CMD
                         for tests whose chain cannot be refreshed: delete their recordings, run
                         CMD (test ids in the file $RECORDING_DRIFT_TESTS names; llama-stack:
                         pytest @"$RECORDING_DRIFT_TESTS" --inference-mode record-if-missing),
                         then verify and compare what it wrote`;

export class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  switch (command) {
    case "verify":
      return runVerify(rest);
    case "check":
    case "refresh":
      return runReplayCommand(command, rest);
    case "diff":
      return runDiffCommand(rest);
    case "merge":
      return runMergeCommand(rest);
    case "publish":
      return runPublishCommand(rest);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function runVerify(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: "string" } });
  if (values.help) return help();
  const report = await verify({ paths: positionals, cwd: process.cwd() });
  process.stdout.write(formatVerifyText(report));
  if (values.json) {
    const { problems: _problems, ...json } = report;
    await writeFileAtomic(values.json, `${JSON.stringify(json, null, 2)}\n`);
  }
  const { invalid, total, withSecrets } = report.summary;
  return invalid > 0 || withSecrets > 0 || total === 0 ? 1 : 0;
}

async function runReplayCommand(command: "check" | "refresh", args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    config: { type: "string" },
    provider: { type: "string", multiple: true },
    concurrency: { type: "string" },
    filter: { type: "string" },
    "max-requests": { type: "string" },
    samples: { type: "string" },
    threshold: { type: "string" },
    json: { type: "string" },
    markdown: { type: "string" },
    "fail-on": { type: "string" },
    shard: { type: "string" },
    ...(command === "refresh"
      ? {
          update: { type: "string" },
          "dry-run": { type: "boolean" },
          "prune-unreachable": { type: "boolean" },
          "re-record-command": { type: "string" },
        }
      : {}),
  });
  if (values.help) return help();
  const options = parseReplayOptions({
    paths: positionals,
    config: values.config,
    providers: values.provider,
    concurrency: values.concurrency,
    filter: values.filter,
    maxRequests: values["max-requests"],
    samples: values.samples,
    threshold: values.threshold,
    json: values.json,
    markdown: values.markdown,
    failOn: values["fail-on"],
    update: values.update,
    dryRun: values["dry-run"],
    pruneUnreachable: values["prune-unreachable"],
    reRecordCommand: values["re-record-command"],
    shard: values.shard,
  });
  const outcome = await runReplay(command, options, {
    cwd: process.cwd(),
    env: process.env,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(formatMarkdown(outcome.report));
  if (outcome.wouldRefresh.length > 0) {
    process.stdout.write(
      `\nwould refresh (dry run):\n${outcome.wouldRefresh.map((f) => `  ${f}\n`).join("")}`,
    );
  }
  if (outcome.interruptedBy) return outcome.interruptedBy === "SIGINT" ? 130 : 143;
  return exitCodeFor(outcome.report, options.failOn);
}

async function runDiffCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    base: { type: "string" },
    config: { type: "string" },
    threshold: { type: "string" },
    json: { type: "string" },
    markdown: { type: "string" },
    "fail-on": { type: "string" },
  });
  if (values.help) return help();
  const options = parseDiffOptions({
    base: values.base,
    paths: positionals,
    config: values.config,
    threshold: values.threshold,
    json: values.json,
    markdown: values.markdown,
    failOn: values["fail-on"],
  });
  const report = await runDiff(options, process.cwd());
  process.stdout.write(formatMarkdown(report, diffTitle(options.base)));
  return diffExitCode(report, options.failOn);
}

async function runMergeCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    json: { type: "string" },
    markdown: { type: "string" },
    "fail-on": { type: "string" },
  });
  if (values.help) return help();
  const options = parseMergeOptions({
    reports: positionals,
    json: values.json,
    markdown: values.markdown,
    failOn: values["fail-on"],
  });
  const report = await runMerge(options, process.cwd());
  process.stdout.write(formatMarkdown(report));
  return exitCodeFor(report, options.failOn);
}

async function runPublishCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    "refreshed-files": { type: "string" },
    repo: { type: "string" },
    token: { type: "string" },
    branch: { type: "string" },
    base: { type: "string" },
    title: { type: "string" },
    labels: { type: "string" },
    draft: { type: "boolean" },
    "close-when-clean": { type: "boolean" },
    json: { type: "string" },
    markdown: { type: "string" },
    "fail-on": { type: "string" },
  });
  if (values.help) return help();
  const options = parsePublishOptions({
    reports: positionals,
    refreshedFiles: values["refreshed-files"],
    repo: values.repo ?? (process.env.GITHUB_REPOSITORY || undefined),
    token: values.token ?? (process.env.GITHUB_TOKEN || undefined),
    branch: values.branch,
    base: values.base,
    title: values.title,
    labels: values.labels
      ?.split(",")
      .map((label) => label.trim())
      .filter(Boolean),
    draft: values.draft,
    closeWhenClean: values["close-when-clean"],
    json: values.json,
    markdown: values.markdown,
    failOn: values["fail-on"],
  });
  const outcome = await runPublish(options, {
    cwd: process.cwd(),
    github: (token) => createGitHubClient({ token, log: (line) => process.stderr.write(`${line}\n`) }),
  });
  process.stdout.write(formatMarkdown(outcome.report, { title: options.title }));
  const { operation, url } = outcome.pullRequest;
  process.stdout.write(
    operation === "none"
      ? "\nNo pull request: nothing to refresh\n"
      : `\nPull request ${operation}: ${url}\n`,
  );
  return exitCodeFor(outcome.report, options.failOn);
}

type OptionSpec = Record<string, { type: "string" | "boolean"; multiple?: boolean }>;

function parse<T extends OptionSpec>(args: string[], options: T) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: "boolean" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function help(): number {
  process.stdout.write(`${USAGE}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (
      error instanceof UsageError ||
      error instanceof OptionsError ||
      error instanceof ConfigError ||
      error instanceof ReportInputError
    ) {
      process.stderr.write(`recording-drift: ${error.message}\n`);
      if (error instanceof UsageError) process.stderr.write(`${USAGE}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(
      `recording-drift: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
