// `recording-drift merge REPORT.json ...`: the JSON reports of the jobs of a sharded run (or any
// reports of disjoint recordings) as one report: results sorted by file, counts added up. A file
// in two reports, a report whose counts disagree with its results, a malformed report and a
// shard missing from a sharded run are errors that name the file (exit 2), never a quiet merge.

import path from "node:path";
import { z } from "zod";
import { CHANGE_KINDS } from "../compare/verdict.ts";
import { errorMessage, findRecordingFiles, readText, writeFileAtomic } from "../recording/files.ts";
import { formatJsonPath } from "../recording/json-path.ts";
import { JsonSyntaxError, parseJson } from "../recording/json-read.ts";
import {
  type CheckReport,
  type CheckResult,
  makeReport,
  summarize,
  VERDICTS,
} from "../report/check-report.ts";
import { formatMarkdown } from "../report/markdown.ts";
import { OptionsError, replayOptionsSchema } from "./options.ts";
import { writeReportJson } from "./run-replay.ts";
import { formatShard, parseShard, type Shard, type ShardReport } from "./shard.ts";

/** A report that cannot be read or merged: exit 2, like a usage error. */
export class ReportInputError extends Error {
  override name = "ReportInputError";
}

const count = z.int({ error: "expected a count" }).min(0, { error: "expected a count" });
const text = z.string({ error: "expected a string" });

const resultSchema = z.looseObject({
  file: text.min(1, { error: "expected a file path" }),
  testId: text.nullable(),
  endpoint: text.nullable(),
  model: text.nullable(),
  provider: text.nullable(),
  verdict: z.enum(VERDICTS, { error: `expected one of ${VERDICTS.join(", ")}` }),
  similarity: z.number({ error: "expected a number" }).nullable(),
  reasons: z.array(text, { error: "expected an array of strings" }),
  changes: z
    .array(
      z.object({
        kind: z.enum(CHANGE_KINDS, { error: `expected one of ${CHANGE_KINDS.join(", ")}` }),
        severity: z.enum(["minor", "nondeterministic", "drifted", "rejected", "failed"]),
        text,
      }),
      { error: "expected an array of changes" },
    )
    .optional(),
  diff: z
    .array(z.object({ op: z.enum(["equal", "removed", "added"]), text }), { error: "expected a word diff" })
    .nullable()
    .optional(),
  nondeterministic: z
    .object({ samples: count, minSimilarity: z.number().nullable(), varied: z.array(text) })
    .nullable()
    .optional(),
  consistent: z.boolean({ error: "expected true, false or null" }).nullable().optional(),
  refreshed: z.boolean({ error: "expected true or false" }).optional(),
  renamedFrom: text.min(1, { error: "expected a file path" }).optional(),
  removed: z.boolean({ error: "expected true or false" }).optional(),
  unreachable: z.boolean({ error: "expected true or false" }).optional(),
  downstream: z.array(text, { error: "expected an array of file paths" }).optional(),
  ignoredNoise: z.record(text, count, { error: "expected counts by kind of noise" }).optional(),
  needsReRecord: text.optional(),
  problems: z
    .array(
      z.object({
        kind: z.enum(["invalid", "misnamed", "credential", "reformatted", "deleted"]),
        severity: z.enum(["error", "warning"]),
        message: text,
        line: count,
        atBase: z.boolean().optional(),
      }),
    )
    .optional(),
});

const reportSchema = z.object(
  {
    shard: text
      .refine((value) => parseShard(value) !== null, { error: "expected K/N with 1 <= K <= N" })
      .optional(),
    partition: text.optional(),
    summary: z.object(
      {
        total: count,
        unchanged: count,
        minor: count,
        // Reports written before this verdict existed have no count for it.
        nondeterministic: count.default(0),
        drifted: count,
        // Reports written before `rejected` existed have no count for it.
        rejected: count.default(0),
        failed: count,
        skipped: count,
      },
      { error: "expected the summary counts" },
    ),
    results: z.array(resultSchema, { error: "expected an array of results" }),
    providers: z
      .array(z.object({ host: text, sentTo: z.array(text) }), { error: "expected a list of providers" })
      .optional(),
    warnings: z.array(text, { error: "expected an array of strings" }).optional(),
  },
  { error: "expected a check report object" },
);

export interface SourcedReport {
  /** Where the report came from, as the user named it: used in every error. */
  source: string;
  report: ShardReport;
}

/** Reads and validates one JSON report (`check`/`refresh`/`diff`/`merge --json`). */
export async function readReport(file: string, source: string = file): Promise<SourcedReport> {
  let content: string;
  try {
    content = await readText(file);
  } catch (error) {
    throw new ReportInputError(`${source}: cannot read: ${errorMessage(error)}`);
  }
  return { source, report: parseReport(content, source) };
}

export function parseReport(content: string, source: string): ShardReport {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    throw new ReportInputError(`${source}: not valid JSON: ${syntaxError(content, error)}`);
  }
  const parsed = reportSchema.safeParse(value);
  if (!parsed.success) {
    const lines = parsed.error.issues
      .slice(0, 5)
      .map(
        (issue) =>
          `${source}: ${formatJsonPath(issue.path)}: ${issue.message.replace(/^Invalid input: /, "")}`,
      );
    throw new ReportInputError(lines.join("\n"));
  }
  const report = parsed.data as ShardReport;
  const counted = summarize(report.results);
  for (const key of ["total", ...VERDICTS] as const) {
    if (report.summary[key] !== counted[key]) {
      const what = key === "total" ? "results" : `results are ${key}`;
      throw new ReportInputError(
        `${source}: $.summary.${key} is ${report.summary[key]}, but ${counted[key]} ${what}`,
      );
    }
  }
  return report;
}

/** One report of all the results, sorted by file; the reports must cover disjoint files. */
export function mergeReports(reports: readonly SourcedReport[]): CheckReport {
  if (reports.length === 0) throw new ReportInputError("no reports to merge");
  checkShards(reports);
  const seen = new Map<string, string>();
  const results: CheckResult[] = [];
  for (const { source, report } of reports) {
    for (const result of report.results) {
      const earlier = seen.get(result.file);
      if (earlier !== undefined) {
        throw new ReportInputError(
          earlier === source
            ? `${result.file} is in ${source} twice`
            : `${result.file} is in both ${earlier} and ${source}: merge reports of disjoint recordings (each shard once)`,
        );
      }
      seen.set(result.file, source);
      results.push(result);
    }
  }
  const sentTo = new Map<string, Set<string>>();
  for (const { report } of reports) {
    for (const { host, sentTo: urls } of report.providers ?? []) {
      sentTo.set(host, new Set([...(sentTo.get(host) ?? []), ...urls]));
    }
  }
  const providers = [...sentTo]
    .map(([host, urls]) => ({ host, sentTo: [...urls].sort() }))
    .sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  // A host that matched nothing in one shard may have matched in another: only a warning every
  // report gave holds for the whole run.
  const warnings = (reports[0]?.report.warnings ?? []).filter((warning) =>
    reports.every(({ report }) => report.warnings?.includes(warning)),
  );
  return {
    ...makeReport(results),
    ...(providers.length > 0 ? { providers } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/** A sharded run's reports: one per shard of the same N, every shard there, each file in its own. */
function checkShards(reports: readonly SourcedReport[]): void {
  const sharded = reports.filter((r) => r.report.shard !== undefined);
  if (sharded.length === 0) return;
  if (sharded.length < reports.length) {
    const plain = reports.find((r) => r.report.shard === undefined) as SourcedReport;
    const first = sharded[0] as SourcedReport;
    throw new ReportInputError(
      `${plain.source} is not a shard's report but ${first.source} is shard ${first.report.shard}: merge the reports of one sharded run`,
    );
  }
  const byIndex = new Map<number, SourcedReport>();
  let count: number | null = null;
  let first: SourcedReport | null = null;
  for (const sourced of sharded) {
    const shard = parseShard(sourced.report.shard as string) as Shard;
    if (count !== null && first !== null && shard.count !== count) {
      throw new ReportInputError(
        `${first.source} is shard ${first.report.shard} but ${sourced.source} is shard ${sourced.report.shard}: the reports come from runs with different numbers of shards`,
      );
    }
    count = shard.count;
    first ??= sourced;
    const twice = byIndex.get(shard.index);
    if (twice) {
      throw new ReportInputError(
        `${twice.source} and ${sourced.source} are both shard ${formatShard(shard)}`,
      );
    }
    byIndex.set(shard.index, sourced);
    if (sourced.report.partition !== first.report.partition) {
      throw new ReportInputError(
        `${first.source} and ${sourced.source} were partitioned from different recordings (partition ${JSON.stringify(first.report.partition ?? null)} and ${JSON.stringify(sourced.report.partition ?? null)}): were the shards run from different checkouts or directories?`,
      );
    }
  }
  const total = count as number;
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((k) => !byIndex.has(k));
  if (missing.length > 0) {
    const list = missing.map((k) => `${k}/${total}`).join(", ");
    throw new ReportInputError(
      `shard${missing.length > 1 ? "s" : ""} ${list} missing: a merged report of ${byIndex.size} of ${total} shards would leave out their recordings`,
    );
  }
}

/** Reads the reports that paths, directories or globs name (from `cwd`) and merges them. */
export async function mergeReportFiles(specs: readonly string[], cwd: string): Promise<CheckReport> {
  const { files, problems } = await findRecordingFiles(specs, cwd);
  if (problems.length > 0) {
    throw new ReportInputError(problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  }
  const reports: SourcedReport[] = [];
  for (const file of files) reports.push(await readReport(file, path.relative(cwd, file) || file));
  return mergeReports(reports);
}

const shared = replayOptionsSchema.shape;
const mergeOptionsSchema = z.object({
  reports: z.array(z.string()).min(1, "merge: expected one or more REPORT.json files"),
  json: shared.json,
  markdown: shared.markdown,
  failOn: shared.failOn,
});

export type MergeCommandOptions = z.output<typeof mergeOptionsSchema>;

export function parseMergeOptions(raw: Record<string, unknown>): MergeCommandOptions {
  const result = mergeOptionsSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new OptionsError(result.error.issues.map((i) => i.message).join("\n"));
}

/** `merge`: reads, merges and writes the reports the options name. */
export async function runMerge(options: MergeCommandOptions, cwd: string): Promise<CheckReport> {
  const report = await mergeReportFiles(options.reports, cwd);
  if (options.json) await writeReportJson(path.resolve(cwd, options.json), report);
  if (options.markdown) await writeFileAtomic(path.resolve(cwd, options.markdown), formatMarkdown(report));
  return report;
}

/** The project's reader says where (line, column); JSON.parse only at which offset. */
function syntaxError(content: string, error: unknown): string {
  try {
    parseJson(content);
  } catch (precise) {
    if (precise instanceof JsonSyntaxError) return precise.message;
  }
  return errorMessage(error);
}
