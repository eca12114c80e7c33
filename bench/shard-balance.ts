// How evenly `--shard K/N` splits a real corpus by expected cost: the recordings' paths as
// `check` sees them from the directory it runs in (the repository root), partitioned as every
// job of a matrix partitions them (by cost, each test id's recordings together), and each
// shard's cost and count printed for several N. The target is every shard within 5 % of the
// mean cost for N <= 16.
//
//   npx tsx bench/shard-balance.ts CORPUS_DIR [N ...]
import path from "node:path";
import { partitionByCost, readShardEntries } from "../src/commands/shard-partition.ts";
import { findRecordingFiles } from "../src/recording/files.ts";
import { emitResult } from "./result.ts";

const [corpus, ...counts] = process.argv.slice(2);
if (!corpus) {
  console.error("usage: npx tsx bench/shard-balance.ts CORPUS_DIR [N ...]");
  process.exit(2);
}
const cwd = path.resolve(corpus);
const { files } = await findRecordingFiles([], cwd);
const started = performance.now();
const entries = await readShardEntries(files, cwd);
const readMs = performance.now() - started;
const shardCounts = counts.length > 0 ? counts.map(Number) : [2, 3, 4, 8, 12, 16];
const totalCost = entries.reduce((sum, e) => sum + e.cost, 0);
const chains = new Set(entries.map((e) => e.chain)).size;

console.log(
  `${entries.length} recordings in ${chains} chains under ${corpus}, cost ${totalCost} output tokens; read in ${readMs.toFixed(0)} ms`,
);
let worstInTarget = 0;
for (const count of shardCounts) {
  const owner = partitionByCost(entries, count);
  const costs = new Array<number>(count).fill(0);
  const sizes = new Array<number>(count).fill(0);
  for (const entry of entries) {
    const k = (owner.get(entry.file) as number) - 1;
    costs[k] = (costs[k] as number) + entry.cost;
    sizes[k] = (sizes[k] as number) + 1;
  }
  const mean = totalCost / count;
  const worst = Math.max(...costs.map((cost) => Math.abs(cost - mean) / mean));
  if (count <= 16) worstInTarget = Math.max(worstInTarget, worst);
  console.log(
    `N=${String(count).padStart(2)}: mean cost ${mean.toFixed(0)}, min ${Math.min(...costs)}, max ${Math.max(...costs)}, worst ${(worst * 100).toFixed(2)} % from the mean; recordings per shard ${Math.min(...sizes)}..${Math.max(...sizes)}`,
  );
}
emitResult({
  name: "shard balance by cost on the corpus, N = 2..16",
  measured: `${(worstInTarget * 100).toFixed(2)} %`,
  target: "<= 5 %",
  met: worstInTarget <= 0.05,
  detail: `worst shard's cost from the mean, ${entries.length} recordings in ${chains} chains`,
});
