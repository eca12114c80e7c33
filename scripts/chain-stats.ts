// Measures the chains in a recordings tree (issue 12): how many recordings feed a later request
// of their test, how many sit in chains, and which answer pieces make the links.
// Usage: npm run corpus:chains -- [DIR] (default ../shared/corpus/llama-stack).
import path from "node:path";
import { findRecordingFiles, readText } from "../src/recording/files.ts";
import { readRecording } from "../src/recording/recording.ts";
import { findTestChains } from "../src/recording/test-chains.ts";

const root = path.resolve(process.argv[2] ?? "../shared/corpus/llama-stack");
const { files } = await findRecordingFiles([root], root);
const chains = await findTestChains(files, async (file) => {
  const read = readRecording(await readText(file), file);
  return read.ok ? read.recording : null;
});
const feeders = new Set(chains.flatMap((c) => c.links.map((l) => l.from)));
const members = chains.reduce((n, c) => n + c.files.length, 0);
const byPiece = new Map<string, number>();
for (const chain of chains)
  for (const link of chain.links)
    for (const piece of link.pieces) byPiece.set(piece, (byPiece.get(piece) ?? 0) + 1);
const longest = Math.max(0, ...chains.map((c) => c.files.length));
console.log(`${files.length} recordings, ${chains.length} tests with chains`);
console.log(`${feeders.size} recordings feed a later request; ${members} recordings sit in chains`);
console.log(
  `${chains.reduce((n, c) => n + c.links.length, 0)} links; by piece: ${[...byPiece].map(([k, v]) => `${k} ${v}`).join(", ")}`,
);
console.log(`longest chain ${longest} recordings; ${chains.filter((c) => c.cycle).length} with a cycle`);
