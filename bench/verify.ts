// `npm run bench:verify -- DIR`: the whole of `verify` (find, read, parse, validate, write back,
// compare, hash, scan) against reading the same files and a plain `JSON.parse`, in one process.
// Both read with the same read-ahead, so neither gains from disk overlap the other lacks. Each
// side runs several times alternately and the fastest run counts. A second line gives the
// in-memory ratio: per-file verification against JSON.parse on texts already read.
import { promises as fs } from "node:fs";
import pLimit from "p-limit";
import { verify, verifyText } from "../src/commands/verify.ts";
import { findRecordingFiles } from "../src/recording/files.ts";
import { emitResult } from "./result.ts";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: npm run bench:verify -- DIR");
  process.exit(2);
}
const ROUNDS = 5;
const READ_AHEAD = 8;

const { files } = await findRecordingFiles([dir], process.cwd());
let bytes = 0;
async function plainParse(): Promise<void> {
  const limit = pLimit(READ_AHEAD);
  const sizes = await Promise.all(
    files.map((file) =>
      limit(async () => {
        const text = await fs.readFile(file, "utf8");
        JSON.parse(text);
        return text.length;
      }),
    ),
  );
  bytes = sizes.reduce((a, b) => a + b, 0);
}
async function fullVerify(): Promise<void> {
  const report = await verify({ paths: [dir as string], cwd: process.cwd() });
  if (report.summary.total !== files.length) throw new Error("verify saw a different set of files");
}

async function time(fn: () => unknown): Promise<number> {
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

const texts = await Promise.all(files.map((file) => fs.readFile(file, "utf8")));
let bestParseCpu = Number.POSITIVE_INFINITY;
let bestVerifyCpu = Number.POSITIVE_INFINITY;
for (let i = 0; i < ROUNDS; i++) {
  bestParseCpu = Math.min(
    bestParseCpu,
    await time(() => {
      for (const text of texts) JSON.parse(text);
    }),
  );
  bestVerifyCpu = Math.min(
    bestVerifyCpu,
    await time(() => {
      texts.forEach((text, j) => {
        verifyText(text, files[j] as string, "");
      });
    }),
  );
}

console.log(`files: ${files.length}, ${(bytes / 1e6).toFixed(1)} MB`);
console.log(
  `read + JSON.parse: ${bestParse.toFixed(0)} ms, verify: ${bestVerify.toFixed(0)} ms (best of ${ROUNDS})`,
);
console.log(`ratio: ${(bestVerify / bestParse).toFixed(2)} (target <= 3)`);
console.log(
  `in memory: JSON.parse ${bestParseCpu.toFixed(0)} ms, verify ${bestVerifyCpu.toFixed(0)} ms, ratio ${(bestVerifyCpu / bestParseCpu).toFixed(2)}`,
);
emitResult({
  name: "verify / (read + JSON.parse)",
  measured: (bestVerify / bestParse).toFixed(2),
  target: "<= 3",
  met: bestVerify / bestParse <= 3,
  detail: `${files.length} files, ${(bytes / 1e6).toFixed(0)} MB; in memory ${(bestVerifyCpu / bestParseCpu).toFixed(2)}`,
});
