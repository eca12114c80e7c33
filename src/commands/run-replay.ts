import path from "node:path";
import { loadConfig } from "../config.ts";
import { writeFileAtomic } from "../recording/files.ts";
import { type CheckReport, reportJsonChunks } from "../report/check-report.ts";
import { emptyRunMessage } from "../report/empty-run.ts";
import { formatMarkdown } from "../report/markdown.ts";
import { runHealth } from "../report/run-health.ts";
import { logText } from "../report/untrusted-text.ts";
import { check } from "./check.ts";
import type { ReplayCommandOptions } from "./options.ts";
import { refresh } from "./refresh.ts";
import { FileChanges, type JournalFile, journalPath, startJournal } from "./refresh-journal.ts";
import { progressReporter } from "./run-progress.ts";
import type { ShardReport } from "./shard.ts";

export interface RunContext {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Where progress lines go (stderr for the CLI, the log for the action). */
  log: (line: string) => void;
  /** Where warnings go (a filter that selected nothing); `log` when not given. */
  warn?: (line: string) => void;
  /**
   * A terminal's status line for progress (the CLI's stderr when it is one): shows a line in
   * place of the last, or clears it (null). Without it, progress is logged every few seconds.
   */
  status?: (line: string | null) => void;
  /** The clock progress is timed on (Date.now unless a test passes its own). */
  now?: () => number;
}

export interface RunOutcome {
  report: CheckReport;
  /** Files `refresh --dry-run` would have rewritten. */
  wouldRefresh: string[];
  /** The signal that stopped the run early, if one did. */
  interruptedBy: NodeJS.Signals | null;
}

export async function runReplay(
  command: "check" | "refresh",
  options: ReplayCommandOptions,
  context: RunContext,
): Promise<RunOutcome> {
  const { config } = await loadConfig({ cwd: context.cwd, configPath: options.config });
  // Lines quote file names, test ids and a re-record command's output: one line each, inert.
  const log = (line: string) => context.log(logText(line));
  const warn = (line: string) => (context.warn ?? context.log)(logText(line));
  if (options.concurrency !== null) config.concurrency = options.concurrency;
  const controller = new AbortController();
  let interruptedBy: NodeJS.Signals | null = null;
  const stop = (signal: NodeJS.Signals) => {
    interruptedBy = signal;
    log(`${signal}: no new requests; aborting those under way and writing the report`);
    controller.abort();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  let journal: JournalFile | null = null;
  const progress = progressReporter({ log, status: context.status, now: context.now });
  try {
    const common = {
      paths: options.paths,
      cwd: context.cwd,
      config,
      providerOverrides: options.providers,
      filter: options.filter,
      warn,
      maxRequests: options.maxRequests,
      shard: options.shard,
      samples: options.samples,
      extraSamples: options.extraSamples,
      threshold: options.threshold,
      env: context.env,
      signal: controller.signal,
      onProgress: progress.update,
    };
    const journalFile = command === "refresh" ? journalPath(options) : null;
    if (journalFile !== null)
      journal = await startJournal(path.resolve(context.cwd, journalFile), context.cwd, { warn, log });
    const result =
      command === "refresh"
        ? await refresh({
            ...common,
            update: options.update,
            dryRun: options.dryRun,
            pruneUnreachable: options.pruneUnreachable,
            reRecordCommand: options.reRecordCommand,
            log,
            changes: new FileChanges(journal),
          })
        : { ...(await check(common)), wouldRefresh: [] };
    const { wouldRefresh, ...report } = result;
    for (const warning of report.warnings ?? []) log(`warning: ${warning}`);
    // A shard's report says which shard of which partition it is, so `merge` can tell when one
    // is missing or came from another checkout.
    if (options.json) await writeReportJson(options.json, report);
    if (options.markdown) await writeFileAtomic(options.markdown, formatMarkdown(report));
    // Complete only now: a journal without its last line says the reports may be missing.
    await journal?.complete();
    return { report, wouldRefresh, interruptedBy };
  } finally {
    await journal?.close();
    progress.end();
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

/** Writes the JSON report atomically and in pieces: a large run's report is never one string. */
export async function writeReportJson(file: string, report: ShardReport): Promise<void> {
  await writeFileAtomic(file, reportJsonChunks(report));
}

/**
 * Why the run proves nothing, when `--fail-on-empty` makes that a failure: it checked no
 * recording, or more failed than `--max-failed-share` allows. A shard the partition gave no
 * recording is not empty: the run is judged by all its shards.
 */
export function emptyRunFailure(report: CheckReport, options: ReplayCommandOptions): string | null {
  if (!options.failOnEmpty || (options.shard !== null && report.summary.total === 0)) return null;
  const health = runHealth(report.summary, options.maxFailedShare);
  return health.empty ? emptyRunMessage(report, health, options.maxFailedShare) : null;
}

/** 0 unless `--fail-on` names a verdict the run produced. */
export function exitCodeFor(report: CheckReport, failOn: ReplayCommandOptions["failOn"]): number {
  // A refusal of what used to work is at least as bad as drift for a run that gates on drift.
  if (failOn === "drifted") return report.summary.drifted + report.summary.rejected > 0 ? 1 : 0;
  if (failOn === "failed") return report.summary.failed > 0 ? 1 : 0;
  return 0;
}
