// `--shard K/N` by expected cost, not by count: every job of a matrix sees the same checkout, so
// each computes the same partition from the whole list of recordings. A recording's cost is its
// requests (one; `--samples` multiplies every recording alike) times its recorded output tokens,
// or its size in token-equivalents when it records no usage. Recordings of one test id stay in
// one shard: a test's chain of requests lives within its test id. Chains are placed largest
// first, each onto the least-loaded shard (LPT), which on the corpus leaves every shard within
// 0.01 % of the mean cost for N <= 16 (bench/shard-balance.ts).
import { createHash } from "node:crypto";
import path from "node:path";
import pLimit from "p-limit";
import { readText, toPosix } from "../recording/files.ts";
import { formatShard, type Shard } from "./shard.ts";

/** One recording as the partition sees it. */
export interface ShardEntry {
  /** Path from the working directory, `/`-separated. */
  file: string;
  /** What must stay together: the test id, or the file itself when it has none. */
  chain: string;
  /** Expected cost, in output tokens (at least 1). */
  cost: number;
}

// Usage fields of OpenAI (chat, completions, responses), Anthropic, Ollama and Gemini answers.
const OUTPUT_TOKENS =
  /"(?:completion_tokens|output_tokens|eval_count|candidates_token_count|candidatesTokenCount)":\s*(\d+)/g;
// The recorder writes `test_id` first: no need to parse the whole file to find it.
const TEST_ID = /^\{\s*"test_id":\s*("(?:[^"\\]|\\.)*"|null)/;
/** Recording bytes per recorded output token: the corpus's median over the 2,588 with usage. */
export const BYTES_PER_TOKEN = 1022;
/** Files read at once while computing the partition. */
const READ_CONCURRENCY = 16;

/**
 * A recording's test id and expected cost, read from its text. Streams repeat the usage (or
 * count it up) chunk by chunk, so the largest count is the answer's.
 */
export function recordingCost(text: string): { testId: string | null; cost: number } {
  let tokens = -1;
  for (const match of text.matchAll(OUTPUT_TOKENS)) tokens = Math.max(tokens, Number(match[1]));
  const cost = tokens >= 0 ? tokens : Math.ceil(Buffer.byteLength(text, "utf8") / BYTES_PER_TOKEN);
  const id = TEST_ID.exec(text)?.[1];
  return { testId: id === undefined ? null : (JSON.parse(id) as string | null), cost: Math.max(1, cost) };
}

/** The partition's view of `files` (absolute); a file that cannot be read costs 1 on its own. */
export async function readShardEntries(files: readonly string[], cwd: string): Promise<ShardEntry[]> {
  const limit = pLimit(READ_CONCURRENCY);
  return Promise.all(
    files.map((absolute) =>
      limit(async () => {
        const file = toPosix(path.relative(cwd, absolute));
        const text = await readText(absolute).catch(() => null);
        const { testId, cost } = text === null ? { testId: null, cost: 1 } : recordingCost(text);
        return { file, chain: testId === null ? `file:${file}` : `test:${testId}`, cost };
      }),
    ),
  );
}

/** file → its 1-based shard of `count`, every chain in one shard, loads balanced by cost. */
export function partitionByCost(entries: readonly ShardEntry[], count: number): Map<string, number> {
  const chains = new Map<string, { cost: number; files: string[] }>();
  for (const entry of entries) {
    const chain = chains.get(entry.chain) ?? { cost: 0, files: [] };
    chain.cost += entry.cost;
    chain.files.push(entry.file);
    chains.set(entry.chain, chain);
  }
  // Largest first; ties by name, so every job orders them alike.
  const ordered = [...chains].sort(([a, x], [b, y]) => y.cost - x.cost || (a < b ? -1 : a > b ? 1 : 0));
  const loads = new Array<number>(count).fill(0);
  const owner = new Map<string, number>();
  for (const [, chain] of ordered) {
    let least = 0;
    for (let k = 1; k < count; k++) if ((loads[k] as number) < (loads[least] as number)) least = k;
    loads[least] = (loads[least] as number) + chain.cost;
    for (const file of chain.files) owner.set(file, least + 1);
  }
  return owner;
}

/**
 * Names the partition: a digest of the sorted paths, their chains and costs. Shards whose
 * reports carry different names were cut from different checkouts and must not be merged.
 */
export function partitionName(entries: readonly ShardEntry[], count: number): string {
  const hash = createHash("sha256").update(`${count}\n`);
  const sorted = [...entries].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const entry of sorted) hash.update(`${entry.file}\0${entry.chain}\0${entry.cost}\n`);
  return hash.digest("hex").slice(0, 16);
}

/** This shard's files (absolute) and the partition's name, from every file the run found. */
export async function selectShard(all: readonly string[], cwd: string, shard: Shard) {
  const entries = await readShardEntries(all, cwd);
  const owner = partitionByCost(entries, shard.count);
  const files = all.filter((file) => owner.get(toPosix(path.relative(cwd, file))) === shard.index);
  return { files, header: { shard: formatShard(shard), partition: partitionName(entries, shard.count) } };
}
