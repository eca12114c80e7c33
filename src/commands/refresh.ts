// `recording-drift refresh`: `check`, then rewrite each selected recording in place with the
// live answer, exactly as llama-stack's recorder would have written it. Only a completed
// replay is ever written, and every write is atomic: a file is old or new, never half-written.
import path from "node:path";
import pLimit from "p-limit";
import { errorMessage, findRecordingFiles, pathExists, toPosix, writeRefusal } from "../recording/files.ts";
import { type Recording, readRecording } from "../recording/recording.ts";
import { findTestChains, type TestChain } from "../recording/test-chains.ts";
import { writeRecordingText } from "../recording/write-recording.ts";
import { refreshRecording } from "../refresh/refresh-recording.ts";
import { refreshedFileName } from "../refresh/refreshed-file-name.ts";
import { type CheckReport, type CheckResult, makeReport } from "../report/check-report.ts";
import { type CheckOptions, check, type Judged, readChainMember, type Written } from "./check.ts";
import { compareOptionsResolver } from "./compare-options.ts";
import type { UPDATE } from "./options.ts";
import { reRecord } from "./re-record.ts";
import {
  type ChainPatch,
  type ChainRefreshContext,
  refreshChain,
  type StashedJudgement,
} from "./refresh-chains.ts";
import { FileChanges } from "./refresh-journal.ts";
import type { ShardReport } from "./shard.ts";
import { selectShard } from "./shard-partition.ts";

export type UpdatePolicy = (typeof UPDATE)[number];

type Journaled = RefreshOptions & { changes: FileChanges };

export interface RefreshOptions extends Omit<CheckOptions, "onJudged"> {
  update: UpdatePolicy;
  /** List what would change and write nothing. */
  dryRun: boolean;
  /** Delete recordings no test can reach (their name is not their request's hash). */
  pruneUnreachable?: boolean;
  /** `--re-record-command`: the project's recorder, run for the tests that need re-recording. */
  reRecordCommand?: string | null;
  /** Where the re-record command's output goes. */
  log?: (line: string) => void;
  /** How recordings are written and deleted: journaled when the run keeps a journal. */
  changes?: FileChanges;
}

/**
 * Whether `update` selects a judged recording. A good answer is never overwritten by a refusal
 * (`rejected`), nor an expected refusal by an answer (`accepted`), unless the policy names it.
 */
export function isSelected({ recording, live, comparison }: Judged, update: UpdatePolicy): boolean {
  const { verdict } = comparison;
  if (verdict === "failed") return false;
  if (verdict === "rejected") return update === "rejected";
  const accepted = storedRefusal(recording) && live.error === null;
  if (accepted || update === "accepted") return accepted && update === "accepted";
  if (update === "all") return true;
  if (update === "changed") return verdict === "minor" || verdict === "drifted";
  return update === "drifted" && verdict === "drifted";
}

function storedRefusal(recording: Recording): boolean {
  const status = recording.response.status;
  return recording.kind === "recorded-error" || (typeof status === "number" && status >= 400);
}

export async function refresh(
  refreshOptions: RefreshOptions,
): Promise<ShardReport & { wouldRefresh: string[] }> {
  const options = { ...refreshOptions, changes: refreshOptions.changes ?? new FileChanges() };
  const wouldRefresh: string[] = [];
  // Files selected but not written, with why: the run goes on, and their results say so.
  const notWritten = new Map<string, string>();
  // A test's chained recordings are written together after the check pass, head first.
  const chains = await chainsOf(options);
  const chained = new Set(chains.flatMap((chain) => chain.files));
  const judged = new Map<string, StashedJudgement>();
  const judgedDigests = new Map<string, string>();
  const report = await check({
    ...options,
    chains,
    onJudged: async (one) => {
      const selected = isSelected(one, options.update);
      if (chained.has(one.file)) {
        judgedDigests.set(one.file, one.digest);
        // Kept only when it will be rewritten: a chain may hold hundreds of answers.
        if (selected && one.comparison.verdict !== "unchanged")
          judged.set(one.file, { live: one.live, comparison: one.comparison });
        return { refreshed: false };
      }
      if (!selected) return { refreshed: false };
      try {
        const written = await writeRefreshed(one.file, one.recording, one.live, options);
        if (written === null) wouldRefresh.push(one.file);
        return written ?? { refreshed: false };
      } catch (error) {
        notWritten.set(shown(one.file), `not refreshed: ${errorMessage(error)}`);
        return { refreshed: false };
      }
    },
  });
  const patches = await refreshChains(chains, { judged, judgedDigests }, report, options);
  const results = await Promise.all(
    report.results.map(async (result) => {
      if (result.unreachable && options.pruneUnreachable) return pruneUnreachable(result, options);
      const patch = patches.get(result.file);
      if (patch) return patchChainMember(result, patch);
      const why = notWritten.get(result.file);
      return why === undefined ? result : { ...result, reasons: [...result.reasons, why] };
    }),
  );
  for (const patch of patches.values()) if (patch.wouldWrite) wouldRefresh.push(patch.wouldWrite);
  // The check report's shard, partition, providers and warnings stay; its results are replaced.
  return {
    ...report,
    ...makeReport(await handOff(results, options)),
    wouldRefresh: wouldRefresh.map((f) => path.relative(options.cwd, f)).sort(),
  };

  function shown(file: string): string {
    return toPosix(path.relative(options.cwd, file));
  }
}

/** The chains among the run's recordings (a test's recordings all sit in one shard). */
async function chainsOf(options: RefreshOptions): Promise<TestChain[]> {
  const { files } = await findRecordingFiles(options.paths, options.cwd);
  const { shard } = options;
  const mine = shard ? (await selectShard(files, options.cwd, shard)).files : files;
  return findTestChains(mine, readChainMember);
}

/**
 * Every chain refreshed whole (see refresh-chains.ts); what changes in its members' results. Tests
 * are independent, so their chains go in parallel, each head first; a stopped run starts none.
 */
async function refreshChains(
  chains: readonly TestChain[],
  judgements: Pick<ChainRefreshContext, "judged" | "judgedDigests">,
  report: CheckReport,
  options: Journaled,
): Promise<Map<string, ChainPatch>> {
  const patches = new Map<string, ChainPatch>();
  if (options.signal?.aborted) return patches;
  // What the check pass left of `--max-requests` (each replayed recording spent `samples`).
  const spent = report.results.filter((r) => r.verdict !== "skipped").length * options.samples;
  const context = {
    options,
    optionsFor: compareOptionsResolver(options.config.compare, options.threshold),
    ...judgements,
    budget: { left: (options.maxRequests ?? Number.POSITIVE_INFINITY) - spent, limit: options.maxRequests },
  };
  const limit = pLimit(options.config.concurrency);
  for (const chainPatches of await Promise.all(
    chains.map((chain) => limit(() => refreshChain(chain, context))),
  ))
    for (const [file, patch] of chainPatches) patches.set(file, patch);
  return patches;
}

/**
 * Writes the refreshed recording under the name the recorder would give it (a model list whose
 * ids changed gets a new digest; the old file is removed), or returns null on a dry run.
 */
async function writeRefreshed(
  file: string,
  recording: Recording,
  live: Judged["live"],
  options: Journaled,
): Promise<Written | null> {
  const refusal = await writeRefusal(file, options.cwd);
  if (refusal !== null) throw new Error(refusal);
  const refreshed = refreshRecording(recording, live, path.basename(file));
  const target = refreshedFileName(recording, refreshed, file);
  const text = writeRecordingText(refreshed);
  // Written only if it reads back: a live answer the reader refuses (nested too deep)
  // would leave a recording no tool, ours or llama-stack's, could load.
  const reread = readRecording(text, target);
  if (!reread.ok) throw new Error(`the refreshed recording would not read back: ${reread.errors[0]}`);
  if (target !== file && (await pathExists(target))) {
    throw new Error(`its new name ${path.basename(target)} is taken by another file`);
  }
  if (options.dryRun) return null;
  if (target === file) {
    await options.changes.write(file, text);
    return { refreshed: true };
  }
  await options.changes.rename(file, target, text);
  const relative = (f: string) => toPosix(path.relative(options.cwd, f));
  return { refreshed: true, file: relative(target), renamedFrom: relative(file) };
}

/** With `--re-record-command`, the tests that need re-recording go to the project's recorder. */
async function handOff(results: CheckResult[], options: RefreshOptions): Promise<CheckResult[]> {
  const tests = new Set(
    results.flatMap((r) => (r.needsReRecord !== undefined && r.testId ? [r.testId] : [])),
  );
  if (!options.reRecordCommand || options.dryRun || tests.size === 0) return results;
  const outcome = await reRecord(tests, {
    command: options.reRecordCommand,
    paths: options.paths,
    cwd: options.cwd,
    config: options.config,
    threshold: options.threshold,
    env: options.env,
    log: options.log ?? (() => undefined),
  });
  if ("failure" in outcome) {
    return results.map((r) =>
      r.needsReRecord === undefined ? r : { ...r, reasons: [...r.reasons, outcome.failure] },
    );
  }
  return [...results.filter((r) => !outcome.replaced.has(r.file)), ...outcome.results];
}

function patchChainMember(result: CheckResult, patch: ChainPatch): CheckResult {
  const { wouldWrite: _wouldWrite, needsReRecord, note, ...fields } = patch;
  if (note !== undefined) return { ...result, ...fields, reasons: [...result.reasons, note] };
  if (needsReRecord === undefined) return { ...result, ...fields };
  return {
    ...result,
    refreshed: false,
    needsReRecord,
    reasons: [...result.reasons, `needs re-record: ${needsReRecord}`],
  };
}

/** Deletes an unreachable recording (`--prune-unreachable`); a dry run only says it would. */
async function pruneUnreachable(result: CheckResult, options: Journaled): Promise<CheckResult> {
  const file = path.resolve(options.cwd, result.file);
  try {
    const refusal = await writeRefusal(file, options.cwd);
    if (refusal !== null) throw new Error(refusal);
    if (options.dryRun)
      return { ...result, reasons: [...result.reasons, "would be deleted (--prune-unreachable)"] };
    await options.changes.remove(file);
    return { ...result, removed: true, reasons: [...result.reasons, "deleted (--prune-unreachable)"] };
  } catch (error) {
    return { ...result, reasons: [...result.reasons, `not deleted: ${errorMessage(error)}`] };
  }
}
