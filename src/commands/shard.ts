// `--shard K/N`: which recordings one job of a matrix of N replays. A recording belongs to shard
// (h mod N) + 1, where h is the first 8 bytes of the SHA-256 of its path relative to the working
// directory, with `/` separators. Each file is placed on its own, so every job of the matrix
// agrees on the partition without seeing the others: every recording is in exactly one shard.
import { createHash } from "node:crypto";
import type { CheckReport } from "../report/check-report.ts";

export interface Shard {
  /** 1-based: this job's shard, 1..count. */
  index: number;
  count: number;
}

/** The JSON report of a sharded `check`/`refresh`: `shard` ("K/N") says which part it covers. */
export interface ShardReport extends CheckReport {
  shard?: string;
}

/** The 1-based shard of a path (relative to the working directory, `/`-separated). */
export function shardOf(relativePath: string, count: number): number {
  const digest = createHash("sha256").update(relativePath, "utf8").digest();
  return Number(digest.readBigUInt64BE(0) % BigInt(count)) + 1;
}

export function inShard(relativePath: string, shard: Shard): boolean {
  return shardOf(relativePath, shard.count) === shard.index;
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** `K/N` with 1 <= K <= N, or null when the text is not one. */
export function parseShard(text: string): Shard | null {
  const match = /^\s*(\d{1,6})\s*\/\s*(\d{1,6})\s*$/.exec(text);
  if (!match) return null;
  const shard = { index: Number(match[1]), count: Number(match[2]) };
  return shard.index >= 1 && shard.index <= shard.count ? shard : null;
}
