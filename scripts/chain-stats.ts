// Measures the chains in a recordings tree (issue 12): how many recordings feed a later request
// of their test, how many sit in chains, and which answer pieces make the links.
// Usage: npm run corpus:chains -- [DIR] (default ../shared/corpus/llama-stack).
import path from "node:path";
import { findRecordingFiles, readText } from "../src/recording/files.ts";
import { readRecording } from "../src/recording/recording.ts";
import { answerPieces, findTestChains } from "../src/recording/test-chains.ts";
import { unlocatedPieces } from "../src/refresh/chain-rebuild.ts";

const root = path.resolve(process.argv[2] ?? "../shared/corpus/llama-stack");
const { files } = await findRecordingFiles([root], root);
const read = async (file: string) => {
  const result = readRecording(await readText(file), file);
  return result.ok ? result.recording : null;
};
const chains = await findTestChains(files, read);
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

// If every answer's text changed, could each later request be rebuilt? Only if each feeder's
// text is found where the request embeds it (else the test needs a re-record).
let rebuildable = 0;
for (const chain of chains) {
  let ok = true;
  for (const link of chain.links) {
    const [from, to] = [await read(link.from), await read(link.to)];
    const texts = (from && answerPieces(from)?.texts) || [];
    const replacements = texts.filter((t) => t !== "").map((t) => ({ old: t, new: `${t} (changed)` }));
    if (!to || unlocatedPieces(to.request, replacements).length > 0) ok = false;
  }
  if (ok) rebuildable++;
}
console.log(
  `if every answer text changed: ${rebuildable} of ${chains.length} tests rebuildable mechanically`,
);
