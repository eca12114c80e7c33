// The action's inputs, read once and validated with the same zod schemas as the CLI's options,
// so an input and its flag accept exactly the same values. Defaults equal action.yml's, so a
// plain `node dist/index.js` with a few INPUT_* variables behaves as the runner would.
import os from "node:os";
import path from "node:path";
import * as core from "@actions/core";
import { z } from "zod";
import { type DiffCommandOptions, parseDiffOptions } from "../commands/diff.ts";
import { FAIL_ON, OptionsError, parseReplayOptions, type ReplayCommandOptions } from "../commands/options.ts";
import { nameList } from "../commands/publish.ts";
import { readPullRequestEvent } from "./event.ts";

const MODES = ["refresh", "check", "pr-check", "verify", "publish"] as const;
/** The defaults action.yml declares (a test keeps the two equal). */
const INPUT_DEFAULTS = {
  mode: "verify",
  branch: "recording-drift/refresh",
  title: "Refresh drifted LLM recordings",
  draft: "false",
  "close-when-clean": "false",
  "fail-on-empty": "true",
  "max-failed-share": "0.5",
  "prune-unreachable": "false",
} as const;

const flag = (name: string) =>
  z
    .enum(["true", "True", "TRUE", "false", "False", "FALSE"], {
      error: `input ${name}: expected true or false`,
    })
    .transform((value) => value.toLowerCase() === "true");

const pullRequestSchema = (mode: "refresh" | "publish") =>
  z.object({
    token: z
      .string()
      .min(1, `input token: required by mode ${mode} (the default is the workflow's GITHUB_TOKEN)`),
    branch: z.string(),
    base: z.string().nullable(),
    title: z.string(),
    labels: nameList,
    reviewers: nameList,
    teamReviewers: nameList,
    assignees: nameList,
    /** Only files under these paths, directories or globs are committed (the `recordings` input). */
    recordings: z.array(z.string()),
    draft: flag("draft"),
    closeWhenClean: flag("close-when-clean"),
  });

type PullRequestInputs = z.output<ReturnType<typeof pullRequestSchema>>;

const publishSchema = z.object({
  reports: z
    .array(z.string())
    .min(
      1,
      "input reports: required by mode publish (the shards' JSON reports: paths, directories or globs)",
    ),
  refreshedFiles: z
    .string({
      error:
        "input refreshed-files: required by mode publish (the directory of the shards' refreshed recordings)",
    })
    .min(
      1,
      "input refreshed-files: required by mode publish (the directory of the shards' refreshed recordings)",
    ),
  failOn: z.enum(FAIL_ON, { error: `input fail-on: expected one of ${FAIL_ON.join(", ")}` }).default("never"),
});

interface Common {
  /** The repository checkout: recordings and the config are found from here. */
  workspace: string;
  /** Where the JSON report is written (the `report-json` output). */
  reportJson: string;
}

export type ActionInputs = Common &
  (
    | { mode: "refresh"; replay: ReplayCommandOptions; pullRequest: PullRequestInputs }
    | ({ mode: "publish"; pullRequest: PullRequestInputs } & z.output<typeof publishSchema>)
    | { mode: "check"; replay: ReplayCommandOptions }
    | { mode: "pr-check"; diff: DiffCommandOptions }
    | { mode: "verify"; paths: string[] }
  );

/** An input's value, or its default; `undefined` when empty and without one (zod's default applies). */
function input(name: string): string | undefined {
  const value = core.getInput(name);
  if (value !== "") return value;
  return (INPUT_DEFAULTS as Record<string, string>)[name];
}

export function readInputs(env: NodeJS.ProcessEnv = process.env): ActionInputs {
  return inputErrors(() => {
    const mode = z
      .enum(MODES, { error: `input mode: expected one of ${MODES.join(", ")}` })
      .parse(input("mode"));
    const common: Common = {
      workspace: env.GITHUB_WORKSPACE || process.cwd(),
      reportJson: path.join(env.RUNNER_TEMP || os.tmpdir(), "recording-drift-report.json"),
    };
    const paths = core.getMultilineInput("recordings");
    if (mode === "verify") return { ...common, mode, paths };
    if (mode === "publish") return readPublishInputs(common);
    if (mode === "pr-check") {
      const diff = parseDiffOptions({
        base: input("base") ?? pullRequestBase(env),
        paths,
        config: input("config"),
        threshold: input("threshold"),
        failOn: input("fail-on"),
        json: common.reportJson,
      });
      return { ...common, mode, diff };
    }
    const replay = parseReplayOptions({
      paths,
      config: input("config"),
      providers: core.getMultilineInput("providers"),
      concurrency: input("concurrency"),
      filter: input("filter"),
      failOnEmpty: flag("fail-on-empty").parse(input("fail-on-empty")),
      maxFailedShare: input("max-failed-share"),
      maxRequests: input("max-requests"),
      samples: input("samples"),
      extraSamples: input("extra-samples"),
      threshold: input("threshold"),
      failOn: input("fail-on"),
      update: input("update"),
      pruneUnreachable: flag("prune-unreachable").parse(input("prune-unreachable")),
      reRecordCommand: input("re-record-command"),
      json: common.reportJson,
      shard: input("shard"),
    });
    if (mode === "check") return { ...common, mode, replay };
    return { ...common, mode, replay, pullRequest: readPullRequestInputs(mode) };
  });
}

function readPublishInputs(common: Common): ActionInputs {
  const publish = publishSchema.parse({
    reports: core.getMultilineInput("reports"),
    refreshedFiles: input("refreshed-files"),
    failOn: input("fail-on"),
  });
  return { ...common, mode: "publish", ...publish, pullRequest: readPullRequestInputs("publish") };
}

function readPullRequestInputs(mode: "refresh" | "publish"): PullRequestInputs {
  return pullRequestSchema(mode).parse({
    token: core.getInput("token"),
    branch: input("branch"),
    base: input("base") ?? null,
    title: input("title"),
    labels: core.getInput("labels"),
    reviewers: core.getInput("reviewers"),
    teamReviewers: core.getInput("team-reviewers"),
    assignees: core.getInput("assignees"),
    recordings: core.getMultilineInput("recordings"),
    draft: input("draft"),
    closeWhenClean: input("close-when-clean"),
  });
}

/** pr-check compares with the pull request's base commit (checked out with fetch-depth: 0). */
function pullRequestBase(env: NodeJS.ProcessEnv): string {
  const sha = readPullRequestEvent(env)?.baseSha;
  if (sha) return sha;
  if (env.GITHUB_BASE_REF) return `origin/${env.GITHUB_BASE_REF}`;
  throw new OptionsError("input base: required by mode pr-check outside pull_request events");
}

/** Errors name the input, not the CLI flag: `--max-requests: …` reads `input max-requests: …`. */
function inputErrors<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    const message =
      error instanceof z.ZodError
        ? error.issues.map((issue) => issue.message).join("\n")
        : error instanceof OptionsError
          ? error.message
          : null;
    if (message === null) throw error;
    throw new OptionsError(
      message.replace(/--provider\b/g, "input providers").replace(/--([a-z-]+)/g, "input $1"),
    );
  }
}
