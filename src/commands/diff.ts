// `recording-drift diff --base GIT_REF|DIR [PATH ...]`: the pull request check. No provider is
// called and no secret is read. Each recording the change added, modified or renamed is verified
// (valid, round trip, named by its request hash, no credentials), and each modified one is judged
// against its base version with the comparison `check` uses (base = stored, new = live), so a
// reviewer sees which changed meaningfully and which only in noise (fingerprints, obfuscation).
//
// Verdicts, in `check`'s report format: unchanged / minor / drifted as `check`; failed: the new
// version is not a valid recording; skipped: nothing to compare with (the change added the file,
// or its base version does not read). File-level findings go in each result's `problems`.
import { stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { compareCaptures } from "../compare/compare-captures.ts";
import { describeDifference, type JsonDifference, jsonDifferences } from "../compare/json-differences.ts";
import type { CompareOptions } from "../compare/options.ts";
import { type Verdict, verdictRank, type WordDiffRun } from "../compare/verdict.ts";
import { type Config, loadConfig } from "../config.ts";
import { changedSince, readFileAt } from "../git/base-files.ts";
import { errorMessage, findRecordingFiles, readText, toPosix, writeFileAtomic } from "../recording/files.ts";
import { toPlain } from "../recording/json-value.ts";
import { type Recording, readRecording } from "../recording/recording.ts";
import { scanSecrets } from "../recording/secret-scan.ts";
import { storedCapture } from "../recording/stored-capture.ts";
import { type CheckReport, type CheckResult, formatReportJson, makeReport } from "../report/check-report.ts";
import { formatMarkdown } from "../report/markdown.ts";
import { type CompareOptionsFor, compareOptionsResolver } from "./compare-options.ts";
import { OptionsError, replayOptionsSchema } from "./options.ts";
import { recordingProblems } from "./recording-problems.ts";
import { verifyFile } from "./verify.ts";

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
  /** A git revision, or a directory holding the base tree (laid out as the working directory). */
  base: string;
  paths: string[];
  cwd: string;
  config: Config;
  threshold: number | null;
}

/** The base version of a file: its text and where it was; `null` when the change added it. */
type BaseVersion = { text: string; path: string } | null;

interface BaseTree {
  /** Whether the file may differ from the base (the directory base reads every file to know). */
  touches(shown: string): boolean;
  read(shown: string): Promise<BaseVersion>;
}

export async function diff(options: DiffOptions): Promise<CheckReport> {
  const base = await openBase(options.base, options.cwd);
  const { files } = await findRecordingFiles(options.paths, options.cwd);
  const optionsFor = compareOptionsResolver(options.config.compare, options.threshold);
  const results: CheckResult[] = [];
  for (const file of files) {
    const shown = toPosix(path.relative(options.cwd, file));
    if (!base.touches(shown)) continue;
    const headText = await readText(file).catch(() => null);
    const before = await base.read(shown);
    if (before !== null && before.text === headText) continue;
    results.push(await judgeChange(file, shown, headText, before, optionsFor));
  }
  return makeReport(results);
}

async function openBase(base: string, cwd: string): Promise<BaseTree> {
  const dir = path.resolve(cwd, base);
  if (await isDirectory(dir)) {
    return {
      touches: () => true,
      read: async (shown) => {
        try {
          return { text: await readText(path.join(dir, shown)), path: shown };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
          throw new Error(`--base ${base}: ${shown}: ${errorMessage(error)}`);
        }
      },
    };
  }
  const changes = await changedSince(cwd, base).catch((error: unknown) => {
    throw new OptionsError(`--base ${base}: ${errorMessage(error)}`);
  });
  const basePaths = new Map(changes.files.map((f) => [f.path, f.basePath]));
  return {
    touches: (shown) => basePaths.has(shown),
    read: async (shown) => {
      const from = basePaths.get(shown) ?? null;
      return from === null ? null : { text: await readFileAt(cwd, changes.commit, from), path: from };
    },
  };
}

function isDirectory(dir: string): Promise<boolean> {
  return stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
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
    problems: recordingProblems(verified, headText, head),
  };
  if (head === null) {
    return { ...result, verdict: "failed", reasons: [`invalid recording: ${verified.errors.join("; ")}`] };
  }
  if (before === null)
    return { ...result, reasons: ["added: verified only, no base version to compare with"] };
  const old = readRecording(before.text, before.path);
  if (!old.ok)
    return { ...result, reasons: ["the base version is not a valid recording: nothing to compare with"] };
  const judged = compareVersions(old.recording, head, optionsFor(head.testId, null));
  // Reasons and the word diff quote the changed values: never a credential's.
  if (verified.secrets.length > 0 || scanSecrets(old.recording.data).length > 0) {
    judged.reasons = ["details withheld: a version holds a credential-looking string (see problems)"];
    judged.diff = null;
  }
  if (before.path !== shown) judged.reasons.unshift(`renamed from ${before.path}`);
  return { ...result, ...judged };
}

interface Judged {
  verdict: Verdict;
  similarity: number | null;
  reasons: string[];
  diff: WordDiffRun[] | null;
}

/** The base version against the new one: test id, request, then the answer's meaning. */
function compareVersions(before: Recording, after: Recording, options: CompareOptions): Judged {
  const judged: Judged = { verdict: "unchanged", similarity: null, reasons: [], diff: null };
  const raise = (verdict: Verdict, reason: string) => {
    if (verdictRank(verdict) > verdictRank(judged.verdict)) judged.verdict = verdict;
    judged.reasons.push(reason);
  };
  if (before.testId !== after.testId) {
    raise("minor", `test_id: ${JSON.stringify(before.testId)} → ${JSON.stringify(after.testId)}`);
  }
  // The test id is judged above (passthrough requests carry it too); a changed request asks
  // the provider something else, which is a meaningful change whatever the answer.
  const request = jsonDifferences(withoutTestId(before.request), withoutTestId(after.request));
  if (request.length > 0) raise("drifted", `request changed: ${describeSome(request)}`);
  if (after.replay !== null && before.replay === after.replay) {
    const comparison = compareCaptures(
      storedCapture(toPlain(before.data), after.replay),
      [storedCapture(toPlain(after.data), after.replay)],
      options,
    );
    if (verdictRank(comparison.verdict) > verdictRank(judged.verdict)) judged.verdict = comparison.verdict;
    judged.reasons.push(...comparison.reasons);
    judged.similarity = comparison.similarity;
    judged.diff = comparison.diff;
  } else {
    // No semantic view for this kind (tool invocations, google-genai, Ollama's own API): any
    // change to the stored answer counts.
    const response = jsonDifferences(toPlain(before.response), toPlain(after.response));
    if (response.length > 0) raise("drifted", `response changed: ${describeSome(response)}`);
  }
  if (judged.verdict === "unchanged")
    judged.reasons.push("changed only in noise (ids, fingerprints, obfuscation)");
  return judged;
}

function withoutTestId(request: Recording["request"]): unknown {
  const { test_id: _testId, ...rest } = toPlain(request) as Record<string, unknown>;
  return rest;
}

const SHOWN_DIFFERENCES = 3;

function describeSome(differences: JsonDifference[]): string {
  const shown = differences.slice(0, SHOWN_DIFFERENCES).map(describeDifference).join("; ");
  const more = differences.length - SHOWN_DIFFERENCES;
  return more > 0 ? `${shown}; … (${more} more)` : shown;
}

/** What the CLI and the action share: load the config, diff, write the reports. */
export async function runDiff(options: DiffCommandOptions, cwd: string): Promise<CheckReport> {
  const { config } = await loadConfig({ cwd, configPath: options.config });
  const report = await diff({
    base: options.base,
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

export function diffTitle(base: string): { title: string } {
  return { title: `recording-drift diff against ${base}` };
}

/** 1 when `--fail-on` names something the diff found: `invalid` counts broken, misnamed and
 * credential-holding files; `drifted` counts those and meaningful changes. */
export function diffExitCode(report: CheckReport, failOn: DiffCommandOptions["failOn"]): number {
  if (failOn === "never") return 0;
  const broken = report.results.some((r) => r.problems?.some((p) => p.severity === "error"));
  if (broken) return 1;
  // A good answer replaced by a refusal (`rejected`) changed meaningfully too.
  return failOn === "drifted" && report.summary.drifted + report.summary.rejected > 0 ? 1 : 0;
}
