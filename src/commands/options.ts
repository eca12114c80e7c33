// The options of the replaying commands, validated once with zod whether they came from argv
// (strings) or from action inputs (strings): each error names the option.
import { z } from "zod";
import { DEFAULT_MAX_FAILED_SHARE } from "../report/run-health.ts";
import { parseShard, type Shard } from "./shard.ts";

const positiveInt = (name: string) =>
  z.coerce
    .number({ error: `${name}: expected a positive integer` })
    .int(`${name}: expected a positive integer`)
    .min(1, `${name}: expected a positive integer`);

export const FAIL_ON = ["drifted", "failed", "never"] as const;
/**
 * `--update`: drifted, changed (minor too) and all never rewrite a flip between success and
 * refusal; `rejected` rewrites stored successes the provider now refuses (4xx), `accepted` stored
 * refusals it now answers. Each flip is rewritten only when named.
 */
export const UPDATE = ["drifted", "changed", "all", "rejected", "accepted"] as const;

const SHARD_ERROR = "--shard: expected K/N with 1 <= K <= N, e.g. 2/4";
/** `--shard K/N`: the K-th of N parts of the recordings (see shard.ts). */
export const shardSchema = z.string({ error: SHARD_ERROR }).transform((text, context): Shard => {
  const shard = parseShard(text);
  if (shard === null) {
    context.issues.push({ code: "custom", message: SHARD_ERROR, input: text });
    return z.NEVER;
  }
  return shard;
});

export const replayOptionsSchema = z.object({
  paths: z.array(z.string()).default([]),
  config: z.string().nullable().default(null),
  providers: z
    .array(z.string().regex(/^[^=\s]+=https?:\/\/\S+$/, "--provider: expected HOST=URL with an http(s) URL"))
    .default([]),
  concurrency: positiveInt("--concurrency").nullable().default(null),
  filter: z.string().min(1, "--filter: expected a glob").nullable().default(null),
  /** `--fail-on-empty` (default): a run that checked nothing, or failed too often, fails. */
  failOnEmpty: z.boolean().default(true),
  /** `--max-failed-share`: failures above this share of the recordings attempted make it empty. */
  maxFailedShare: z.coerce
    .number({ error: "--max-failed-share: expected a number between 0 and 1" })
    .min(0, "--max-failed-share: expected a number between 0 and 1")
    .max(1, "--max-failed-share: expected a number between 0 and 1")
    .default(DEFAULT_MAX_FAILED_SHARE),
  maxRequests: positiveInt("--max-requests").nullable().default(null),
  samples: positiveInt("--samples").default(1),
  extraSamples: z.coerce
    .number({ error: "--extra-samples: expected a whole number, 0 or more" })
    .int("--extra-samples: expected a whole number, 0 or more")
    .min(0, "--extra-samples: expected a whole number, 0 or more")
    .default(2),
  threshold: z.coerce
    .number({ error: "--threshold: expected a number between 0 and 1" })
    .min(0, "--threshold: expected a number between 0 and 1")
    .max(1, "--threshold: expected a number between 0 and 1")
    .nullable()
    .default(null),
  json: z.string().nullable().default(null),
  markdown: z.string().nullable().default(null),
  failOn: z.enum(FAIL_ON, { error: `--fail-on: expected one of ${FAIL_ON.join(", ")}` }).default("never"),
  update: z.enum(UPDATE, { error: `--update: expected one of ${UPDATE.join(", ")}` }).default("drifted"),
  dryRun: z.boolean().default(false),
  /** `--prune-unreachable`: refresh deletes recordings whose name is not their request's hash. */
  pruneUnreachable: z.boolean().default(false),
  /** `--re-record-command CMD`: run for the tests a refresh cannot rebuild (see re-record.ts). */
  reRecordCommand: z.string().min(1, "--re-record-command: expected a command").nullable().default(null),
  /** `--journal FILE`: where refresh journals its file changes (default beside `--json`, see refresh-journal.ts). */
  journal: z.string().min(1, "--journal: expected a file").nullable().default(null),
  shard: shardSchema.nullable().default(null),
});

export type ReplayCommandOptions = z.output<typeof replayOptionsSchema>;

export class OptionsError extends Error {
  override name = "OptionsError";
}

/** Validates raw options; throws an OptionsError listing every bad option. */
export function parseReplayOptions(raw: Record<string, unknown>): ReplayCommandOptions {
  const result = replayOptionsSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new OptionsError(result.error.issues.map((i) => i.message).join("\n"));
}
