// `npm run bench:verify -- DIR`: the whole of `verify` (find, read, parse, validate, write back,
// hash) against reading the same files and a plain `JSON.parse`, in one process. Each side runs
// several times alternately and the fastest run counts, so a noisy neighbour hurts both alike.
import { promises as fs } from "node:fs";
import { verify } from "../src/commands/verify.ts";
import { findRecordingFiles } from "../src/recording/files.ts";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: npm run bench:verify -- DIR");
  process.exit(2);
}
const ROUNDS = 5;

const { files } = await findRecordingFiles([dir], process.cwd());
let bytes = 0;
async function plainParse(): Promise<void> {
  bytes = 0;
  for (const file of files) {
    const text = await fs.readFile(file, "utf8");
    bytes += text.length;
    JSON.parse(text);
  }
}
async function fullVerify(): Promise<void> {
  const report = await verify({ paths: [dir as string], cwd: process.cwd() });
  if (report.summary.total !== files.length) throw new Error("verify saw a different set of files");
}

async function time(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

let bestParse = Number.POSITIVE_INFINITY;
let bestVerify = Number.POSITIVE_INFINITY;
for (let i = 0; i < ROUNDS; i++) {
  bestParse = Math.min(bestParse, await time(plainParse));
  bestVerify = Math.min(bestVerify, await time(fullVerify));
}
const ratio = bestVerify / bestParse;
console.log(`files: ${files.length}, ${(bytes / 1e6).toFixed(1)} MB`);
console.log(`read + JSON.parse: ${bestParse.toFixed(0)} ms (best of ${ROUNDS})`);
console.log(`verify:            ${bestVerify.toFixed(0)} ms (best of ${ROUNDS})`);
console.log(`ratio: ${ratio.toFixed(2)} (target <= 3)`);
