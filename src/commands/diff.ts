// `recording-drift diff --base GIT_REF|DIR [PATH ...]`: the pull request check. No provider is
// called and no secret is read. Each recording the change added, modified or moved is verified
// (valid, round trip, named by its request hash, no credentials), and each modified or moved one
// is judged against its base version (compare-versions.ts), so a reviewer sees which changed
// meaningfully and which only in noise. A moved recording is paired with the deleted one that
// held the same call of the same test; a deleted recording nothing replaces is reported.
//
// Verdicts, in `check`'s report format: unchanged / minor / drifted as `check`; failed: the new
// version has a problem that fails the check (invalid, misnamed, a credential; as `verify`);
// skipped: nothing to compare with (an added or a deleted file). File-level findings go in each
// result's `problems`; those the base version already had are marked so and do not fail it.
import path from "node:path";
import { z } from "zod";
import { type Config, loadBaseConfig } from "../config.ts";
import { findRecordingFiles, readText, toPosix, writeFileAtomic } from "../recording/files.ts";
import { type Recording, readRecording } from "../recording/recording.ts";
import { scanSecrets } from "../recording/secret-scan.ts";
import {
  type CheckReport,
  type CheckResult,
  formatReportJson,
  isBlocking,
  makeReport,
  type RecordingProblem,
} from "../report/check-report.ts";
import { formatMarkdown } from "../report/markdown.ts";
import { type CompareOptionsFor, compareOptionsResolver } from "./compare-options.ts";
import { compareVersions } from "./compare-versions.ts";
import { type BaseTree, type BaseVersion, openBase } from "./diff-base.ts";
import { OptionsError, replayOptionsSchema } from "./options.ts";
import { failedByProblems, recordingProblems } from "./recording-problems.ts";
import { verifyFile, verifyText } from "./verify.ts";

const DIFF_FAIL_ON = ["drifted", "invalid", "never"] as const;

const shared = replayOptionsSchema.shape;
const diffOptionsSchema = z.object({
  base: z
    .string({ error: "--base: expected a git ref or a directory" })
    .min(1, "--base: expected a git ref or a directory"),
  paths: shared.paths,
  config: shared.config,
  threshold: shared.threshold,
  json: shared.json,
  markdown: shared.markdown,
  // A broken or unsafe recording should stop a pull request by default; drift is for reviewers.
  failOn: z
    .enum(DIFF_FAIL_ON, { error: `--fail-on: expected one of ${DIFF_FAIL_ON.join(", ")}` })
    .default("invalid"),
});

export type DiffCommandOptions = z.output<typeof diffOptionsSchema>;

export function parseDiffOptions(raw: Record<string, unknown>): DiffCommandOptions {
  const result = diffOptionsSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new OptionsError(result.error.issues.map((i) => i.message).join("\n"));
}

export interface DiffOptions {
  /**
   * A git revision, or a directory holding the base tree (laid out as the working directory), or
   * that base already opened.
   */
  base: string | BaseTree;
  paths: string[];
  cwd: string;
  config: Config;
  threshold: number | null;
}

export async function diff(options: DiffOptions): Promise<CheckReport> {
  const base = typeof options.base === "string" ? await openBase(options.base, options.cwd) : options.base;
  const { files } = await findRecordingFiles(options.paths, options.cwd);
  const optionsFor = compareOptionsResolver(options.config.compare, options.threshold);
  const results: CheckResult[] = [];
  const added: Array<{ file: string; shown: string; headText: string | null }> = [];
  for (const file of files) {
    const shown = toPosix(path.relative(options.cwd, file));
    if (!base.touches(shown)) continue;
    const headText = await readText(file).catch(() => null);
    const before = await base.read(shown);
    if (before === null) added.push({ file, shown, headText });
    else if (before.text !== headText)
      results.push(await judgeChange(file, shown, headText, before, optionsFor));
  }
  // A recording that moved (renamed, or re-recorded under a new hash) is a deletion plus an
  // addition; it is paired by what it records, the same call of the same test.
  type Gone = { text: string; path: string; testId: string | null };
  const unpaired: Gone[] = [];
  const gone = new Map<string, Gone[]>();
  for (const shown of await base.deleted(options.paths)) {
    const version = await base.read(shown);
    if (version === null) continue;
    const read = readRecording(version.text, shown);
    const entry = { ...version, testId: read.ok ? read.recording.testId : null };
    const key = read.ok ? callOf(read.recording) : null;
    if (key === null) unpaired.push(entry);
    else gone.set(key, [...(gone.get(key) ?? []), entry]);
  }
  for (const { file, shown, headText } of added) {
    const read = headText === null ? null : readRecording(headText, file);
    const key = read?.ok ? callOf(read.recording) : null;
    const candidates = key === null ? undefined : gone.get(key);
    // Two deleted recordings of the same call are ambiguous: neither is paired.
    const before = candidates?.length === 1 ? candidates.pop() : undefined;
    results.push(await judgeChange(file, shown, headText, before ?? null, optionsFor));
  }
  for (const version of [...unpaired, ...[...gone.values()].flat()]) results.push(deletedResult(version));
  return makeReport(results);
}

/**
 * Which call of which test a recording holds: the test id, the endpoint, the model and how far
 * into the conversation the request is; null without a test id (nothing to pair by).
 */
function callOf(recording: Recording): string | null {
  if (recording.testId === null) return null;
  const body = (recording.request.body ?? recording.request.payload) as Record<string, unknown> | undefined;
  const turns = Array.isArray(body?.messages)
    ? body.messages.length
    : Array.isArray(body?.input)
      ? body.input.length
      : 0;
  return JSON.stringify([recording.testId, recording.endpoint, recording.model, turns]);
}

/** Problems the base version already had: reported as such, and they do not fail the change. */
function markPreexisting(problems: RecordingProblem[], before: BaseVersion): RecordingProblem[] {
  if (before === null || problems.length === 0) return problems;
  const old = readRecording(before.text, before.path);
  const kinds = new Set(
    recordingProblems(
      verifyText(before.text, before.path, before.path),
      before.text,
      old.ok ? old.recording : null,
    ).map((problem) => problem.kind),
  );
  return problems.map((problem) =>
    kinds.has(problem.kind)
      ? { ...problem, atBase: true, message: `already at the base: ${problem.message}` }
      : problem,
  );
}

function deletedResult(version: { path: string; testId: string | null }): CheckResult {
  const test = version.testId === null ? "its test" : `test ${version.testId}`;
  return {
    file: version.path,
    testId: version.testId,
    endpoint: null,
    model: null,
    provider: null,
    verdict: "skipped",
    similarity: null,
    reasons: [`deleted: ${test} no longer finds its recording (unless the test went too)`],
    problems: [
      {
        kind: "deleted",
        severity: "warning",
        message: `deleted: ${test} no longer finds its recording`,
        line: 1,
      },
    ],
  };
}

async function judgeChange(
  file: string,
  shown: string,
  headText: string | null,
  before: BaseVersion,
  optionsFor: CompareOptionsFor,
): Promise<CheckResult> {
  const verified = await verifyFile(file, shown);
  const read = verified.valid && headText !== null ? readRecording(headText, file) : null;
  const head = read?.ok ? read.recording : null;
  const result: CheckResult = {
    file: shown,
    testId: head?.testId ?? null,
    endpoint: head?.endpoint ?? null,
    model: head?.model ?? null,
    provider: null,
    verdict: "skipped",
    similarity: null,
    reasons: [],
    problems: markPreexisting(recordingProblems(verified, headText, head), before),
  };
  // An invalid file the base already had stays skipped: it does not fail the change.
  if (head === null)
    return failedByProblems({ ...result, reasons: [`invalid recording: ${verified.errors.join("; ")}`] });
  if (before === null)
    return failedByProblems({
      ...result,
      reasons: ["added: verified only, no base version to compare with"],
    });
  const old = readRecording(before.text, before.path);
  if (!old.ok) {
    return failedByProblems({
      ...result,
      reasons: ["the base version is not a valid recording: nothing to compare with"],
    });
  }
  const judged = compareVersions(old.recording, head, optionsFor(head.testId, null));
  // Reasons and the word diff quote the changed values: never a credential's.
  if (verified.secrets.length > 0 || scanSecrets(old.recording.data).length > 0) {
    const withheld = "details withheld: a version holds a credential-looking string (see problems)";
    judged.reasons = [withheld];
    // What kind of change it was says nothing of the values: kept for ranking and counts.
    judged.changes = judged.changes.map((change) => ({ ...change, text: withheld }));
    judged.diff = null;
  }
  if (before.path !== shown) judged.reasons.unshift(`renamed from ${before.path}`);
  return failedByProblems({ ...result, ...judged });
}

/** What the CLI and the action share: load the config from the base, diff, write the reports. */
export async function runDiff(options: DiffCommandOptions, cwd: string): Promise<CheckReport> {
  const base = await openBase(options.base, cwd);
  const configPath =
    options.config !== null && path.isAbsolute(options.config)
      ? path.relative(cwd, options.config)
      : options.config;
  const { config } = await loadBaseConfig(configPath, (relative) => base.file(toPosix(relative)));
  const report = await diff({
    base,
    paths: options.paths,
    cwd,
    config,
    threshold: options.threshold,
  });
  if (options.json) await writeFileAtomic(path.resolve(cwd, options.json), formatReportJson(report));
  if (options.markdown) {
    await writeFileAtomic(
      path.resolve(cwd, options.markdown),
      formatMarkdown(report, diffTitle(options.base)),
    );
  }
  return report;
}

/** The report's title, and that it is of a change a reviewer merges. */
export function diffTitle(base: string): { title: string; merging: true } {
  return { title: `recording-drift diff against ${base}`, merging: true };
}

/** 1 when `--fail-on` names something the diff found: `invalid` counts broken, misnamed and
 * credential-holding files; `drifted` counts those and meaningful changes. */
export function diffExitCode(report: CheckReport, failOn: DiffCommandOptions["failOn"]): number {
  if (failOn === "never") return 0;
  const broken = report.results.some((r) => r.problems?.some(isBlocking));
  if (broken) return 1;
  // A good answer replaced by a refusal (`rejected`) changed meaningfully too.
  return failOn === "drifted" && report.summary.drifted + report.summary.rejected > 0 ? 1 : 0;
}
