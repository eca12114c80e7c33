// The four reports issue 16 judges the report by, each built by the real engine: the demo, a
// 3,000-recording run with mixed outcomes, a run where nothing could be checked, and the
// pull-request check over a real re-record commit. The report snapshot tests and
// `npm run screenshots` both render them, each for every place it goes (its sinks).
// Deterministic: the simulator is seeded, and its loopback addresses are replaced by fixed names.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { FULL_REPORT } from "../../src/action/propose-refresh.ts";
import { check } from "../../src/commands/check.ts";
import { diff, diffTitle } from "../../src/commands/diff.ts";
import { DEFAULT_TITLE, pullRequestBody } from "../../src/commands/publish.ts";
import { refresh } from "../../src/commands/refresh.ts";
import { defaultConfig } from "../../src/config.ts";
import { type CheckReport, type CheckResult, makeReport } from "../../src/report/check-report.ts";
import { formatMarkdown } from "../../src/report/markdown.ts";
import {
  CHECK_RUN_OUTPUT_LIMIT,
  JOB_SUMMARY_LIMIT,
  PULL_REQUEST_BODY_LIMIT,
  type ReportLimit,
} from "../../src/report/report-limits.ts";
import { listJson, named, simulatorCheckOptions, simulatorOverridesFor } from "./check-setup.ts";
import { cloneResults } from "./cloned-results.ts";
import { changeArithmeticAnswer, withAnswerText } from "./demo-change.ts";
import { TEST_ENV } from "./simulator/replay-setup.ts";
import { type Simulator, startSimulator } from "./simulator.ts";
import { git } from "./synthetic-pr.ts";
import { FIXTURES } from "./temp-dir.ts";

/** Where a report goes on GitHub; each has its own size limit. */
export type Sink = "job-summary" | "pr-body" | "check-output";

export const SINK_LIMITS: Record<Sink, ReportLimit> = {
  "job-summary": JOB_SUMMARY_LIMIT,
  "pr-body": PULL_REQUEST_BODY_LIMIT,
  "check-output": CHECK_RUN_OUTPUT_LIMIT,
};

export interface ReportScenario {
  name: string;
  title: string;
  report: CheckReport;
  /** Where it goes, first the place a reviewer meets it first. */
  sinks: Sink[];
  /** Where the action says the full report is when a sink must be cut. */
  fullReport: string;
  /** The report is of a change a reviewer merges (a pull request's check). */
  merging?: boolean;
}

const ROOT = path.resolve(import.meta.dirname, "../..");
const HISTORY_COMMIT = path.join(ROOT, "test/fixtures/history-commit");
/** Where `check` and `pr-check` say the full report is when they cut one (report-json on a hosted runner). */
const REPORT_JSON =
  "in the file named by the report-json output (/home/runner/work/_temp/recording-drift-report.json)";

/** The Markdown the action writes to `sink` for this scenario, cut to the sink's limit. */
export function sinkMarkdown(scenario: ReportScenario, sink: Sink): string {
  const { report, title, fullReport, merging } = scenario;
  if (sink === "pr-body") return pullRequestBody(report, { date: "2026-12-02" }, fullReport);
  return formatMarkdown(report, { title, merging, limit: SINK_LIMITS[sink], fullReport });
}

/** Every scenario, built one after the other (they share the two cores with the rest). */
export async function buildScenarios(): Promise<ReportScenario[]> {
  return [
    await demoScenario(),
    await mixedRunScenario(),
    await nothingCheckedScenario(),
    await pullRequestScenario(),
  ];
}

/** `npm run demo`: the examples against the simulator, one answer changed (see scripts/demo.ts). */
export async function demoScenario(): Promise<ReportScenario> {
  const examples = path.join(ROOT, "examples");
  const recordings = readRecordings(examples);
  const sim = await startSimulator({ recordings, seed: 42 });
  try {
    changeArithmeticAnswer(sim);
    // The demo runs the CLI in the checkout, which has no config file: the default config.
    const options = { ...simulatorCheckOptions(sim, recordings, [examples], ROOT), config: defaultConfig() };
    const report = normalized(await check(options), { [sim.url]: "http://simulator.invalid" });
    return {
      name: "demo",
      title: "recording-drift check",
      report,
      sinks: ["job-summary"],
      fullReport: REPORT_JSON,
    };
  } finally {
    await sim.close();
  }
}

/**
 * A nightly refresh of 3,000 recordings: the real fixtures refreshed against the simulator with
 * drift of every kind (a changed tool-call argument, a dropped tool call, a changed number,
 * rewordings, a provider error, a model list with ids added and removed, one Ollama host down,
 * one provider without its key), then cloned to 3,000 results: 3 drifted, 112 model-list
 * changes of one provider, 41 minor, 120 failed, 310 skipped, the rest unchanged (the shape of
 * the run the issue quotes).
 */
export async function mixedRunScenario(): Promise<ReportScenario> {
  // A refresh rewrites recordings: it runs on a copy of the fixtures.
  const dir = mkdtempSync(path.join(os.tmpdir(), "recording-drift-scenario-"));
  cpSync(FIXTURES, dir, { recursive: true });
  const recordings = readRecordings(dir);
  const sim = await startSimulator({ recordings, seed: 42 });
  const refused = await refusedUrl();
  try {
    mutateMixed(sim);
    const options = simulatorCheckOptions(sim, recordings, [dir], dir);
    // One Ollama host is down; Gemini's key is not set.
    options.providerOverrides = options.providerOverrides.map((o) =>
      o.startsWith("localhost:11434=") ? `localhost:11434=${refused}/v1` : o,
    );
    const { GEMINI_API_KEY: _unset, ...env } = TEST_ENV;
    const real = (await refresh({ ...options, env, update: "drifted", dryRun: false })).results;
    const isModelList = (r: CheckResult) => r.endpoint === "/v1/models";
    const results = cloneResults(real, [
      { of: (r) => r.verdict === "drifted" && !isModelList(r), count: 3 },
      { of: (r) => r.verdict === "drifted" && isModelList(r), count: 112 },
      { of: (r) => r.verdict === "minor", count: 41 },
      { of: (r) => r.verdict === "failed", count: 120 },
      { of: (r) => r.verdict === "skipped", count: 310 },
      { of: (r) => r.verdict === "unchanged", count: 2_414 },
    ]);
    const report = normalized(makeReport(results), {
      [sim.url]: "http://simulator.invalid",
      [refused]: "http://refused.invalid",
    });
    return {
      name: "mixed-3000",
      title: DEFAULT_TITLE,
      report,
      sinks: ["pr-body", "job-summary"],
      fullReport: FULL_REPORT,
    };
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The simulator's answers changed the ways a live provider's answers drift. */
function mutateMixed(sim: Simulator): void {
  // A tool call's argument changed (Ollama, get_weather).
  sim.mutate(named("0de34091fb19"), (data) => {
    const call = (data as ChatCompletion).choices[0]?.message.tool_calls?.[0];
    if (call) call.function.arguments = '{"location":"San Francisco, CA","unit":"fahrenheit"}';
    return data;
  });
  // The model answers in words instead of calling its tool (vLLM, calculate).
  sim.mutate(named("440d2fa92833"), (data) => {
    const choice = (data as ChatCompletion).choices[0];
    if (choice) {
      choice.message.tool_calls = null;
      choice.message.content = "5 + 3 = 8.";
      choice.finish_reason = "stop";
    }
    return data;
  });
  // Another number (OpenAI).
  changeArithmeticAnswer(sim);
  // The same answers reworded (Bedrock, OpenAI).
  sim.mutate(named("0eca8ac96560"), (data) =>
    withAnswerText(data, "Humans live on **Earth**, the third planet from the Sun."),
  );
  sim.mutate(named("06931312f62d"), (data) => withAnswerText(data, "11."));
  // A provider error (Bedrock Mantle).
  sim.fault(
    {
      kind: "status",
      status: 500,
      body: { error: { message: "Internal server error", type: "server_error" } },
    },
    { recording: named("1a262fbe32d7") },
  );
  // OpenAI's model list: one model retired, two new.
  sim.mutate(
    named("models-64a2277c90f0f42576f60c1030e3a020403d34a95f56931b792d5939f4cebc57-0da7d1b1"),
    (data) => {
      const models = (data as Array<{ id: string }>).filter((m) => m.id !== "gpt-4-0613");
      return [...models, { ...models[0], id: "gpt-5.5" }, { ...models[0], id: "gpt-5.5-mini" }];
    },
  );
}

/**
 * `check` with no provider running and no key set: the real fixtures' failures (local hosts
 * refuse) and skips (no credentials, kinds never replayed), cloned to 1,337 failed and 1,825
 * skipped as in the run the issue quotes.
 */
export async function nothingCheckedScenario(): Promise<ReportScenario> {
  const recordings = readRecordings(FIXTURES);
  const refused = await refusedUrl();
  // Every local host (Ollama, vLLM, …) goes to a port nobody listens on, whatever runs here.
  const local = /^(localhost|0\.0\.0\.0|127\.0\.0\.1)(:\d+)?=/;
  const providerOverrides = simulatorOverridesFor({ url: refused } as Simulator, recordings).filter((o) =>
    local.test(o),
  );
  const real = await check({
    paths: [FIXTURES],
    cwd: FIXTURES,
    config: defaultConfig(),
    providerOverrides,
    filter: null,
    maxRequests: null,
    samples: 1,
    threshold: null,
    env: {},
  });
  const results = cloneResults(real.results, [
    { of: (r) => r.verdict === "failed", count: 1_337 },
    { of: (r) => r.verdict === "skipped", count: 1_825 },
  ]);
  return {
    name: "nothing-checked",
    title: "recording-drift check",
    report: normalized(makeReport(results), { [refused]: "http://refused.invalid" }),
    sinks: ["job-summary"],
    fullReport: REPORT_JSON,
  };
}

/**
 * The pull-request check over a real re-record commit (llama-stack 2025-10-02, 64 recordings):
 * `before/` committed on main, `after/` on a branch, `diff --base main` in the checkout.
 */
export async function pullRequestScenario(): Promise<ReportScenario> {
  const repo = mkdtempSync(path.join(os.tmpdir(), "recording-drift-scenario-"));
  try {
    git(repo, "init", "-q", "-b", "main");
    cpSync(path.join(HISTORY_COMMIT, "before"), repo, { recursive: true });
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "before");
    git(repo, "checkout", "-q", "-b", "re-record");
    cpSync(path.join(HISTORY_COMMIT, "after"), repo, { recursive: true });
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "re-record");
    const report = await diff({
      base: "main",
      paths: [],
      cwd: repo,
      config: defaultConfig(),
      threshold: null,
    });
    return {
      name: "pr-check",
      ...diffTitle("main"),
      report,
      sinks: ["job-summary", "check-output"],
      fullReport: REPORT_JSON,
    };
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

interface ChatCompletion {
  choices: Array<{
    finish_reason: string;
    message: { content: string | null; tool_calls?: Array<{ function: { arguments: string } }> | null };
  }>;
}

function readRecordings(root: string): Array<{ file: string; json: { request?: unknown } }> {
  return listJson(root).map((file) => ({
    file,
    json: JSON.parse(readFileSync(path.join(root, file), "utf8")),
  }));
}

/** A loopback URL whose port refuses connections: a simulator, closed. */
async function refusedUrl(): Promise<string> {
  const closed = await startSimulator({ recordings: [] });
  await closed.close();
  return closed.url;
}

/** The report with each loopback URL (a port that changes every run) replaced by a fixed name. */
function normalized(report: CheckReport, urls: Record<string, string>): CheckReport {
  let text = JSON.stringify(report);
  for (const [url, name] of Object.entries(urls)) text = text.replaceAll(url, name);
  return JSON.parse(text) as CheckReport;
}
