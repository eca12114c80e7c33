// `--shard K/N`: which recordings one job of a matrix of N replays. The partition is computed
// from the whole list of recordings, balanced by each one's expected cost (shard-partition.ts),
// so every job of the matrix, seeing the same checkout, agrees on it: every recording is in
// exactly one shard, and every test id's recordings in the same one.
import type { CheckReport } from "../report/check-report.ts";

export interface Shard {
  /** 1-based: this job's shard, 1..count. */
  index: number;
  count: number;
}

/** The JSON report of a sharded `check`/`refresh`: which part it covers, of which partition. */
export interface ShardReport extends CheckReport {
  /** "K/N". */
  shard?: string;
  /** The partition's name (`partitionName`): equal in the reports of one sharded run. */
  partition?: string;
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
