// How evenly `--shard K/N` splits a real corpus: the recordings' paths as `check` sees them
// from the directory it runs in (the repository root), counted per shard for several N. The
// target is every shard within 10 % of the mean. A hash partition's shards vary by about
// sqrt(n / N) around the mean n / N, so the small corpus's spread grows with N.
//
//   npx tsx bench/shard-balance.ts CORPUS_DIR [N ...]
import path from "node:path";
import { shardOf } from "../src/commands/shard.ts";
import { findRecordingFiles, toPosix } from "../src/recording/files.ts";
import { emitResult } from "./result.ts";

const [corpus, ...counts] = process.argv.slice(2);
if (!corpus) {
  console.error("usage: npx tsx bench/shard-balance.ts CORPUS_DIR [N ...]");
  process.exit(2);
}
const cwd = path.resolve(corpus);
const { files } = await findRecordingFiles([], cwd);
const paths = files.map((file) => toPosix(path.relative(cwd, file)));
const shardCounts = counts.length > 0 ? counts.map(Number) : [2, 3, 4, 8, 16];

console.log(`${paths.length} recordings under ${corpus}`);
let worstInTarget = 0;
for (const count of shardCounts) {
  const sizes = new Array<number>(count).fill(0);
  for (const file of paths) {
    const k = shardOf(file, count) - 1;
    sizes[k] = (sizes[k] as number) + 1;
  }
  const mean = paths.length / count;
  const worst = Math.max(...sizes.map((size) => Math.abs(size - mean) / mean));
  if (count <= 8) worstInTarget = Math.max(worstInTarget, worst);
  console.log(
    `N=${String(count).padStart(2)}: mean ${mean.toFixed(0)}, min ${Math.min(...sizes)}, max ${Math.max(...sizes)}, worst ${(worst * 100).toFixed(1)} % from the mean  [${sizes.join(", ")}]`,
  );
}
emitResult({
  name: "shard balance on the corpus, N = 2..8",
  measured: `${(worstInTarget * 100).toFixed(1)} %`,
  target: "<= 10 %",
  met: worstInTarget <= 0.1,
  detail: `worst shard's distance from the mean, ${paths.length} recordings`,
});
