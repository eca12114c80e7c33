// A whole-corpus run of the chain refresh (not part of `npm test`: it needs the corpus).
//
//   npx tsx scripts/corpus-chains-refresh.ts CORPUS_DIR
//
// Copies the corpus's chained recordings and serves them from the provider simulator with every
// chain head's answer text changed (" (changed)" appended); a request rebuilt from a changed
// answer is answered as the recording it was rebuilt from. Runs `refresh --update changed`, then
// the replay harness over every test: each test must find all its recordings, or be left as it
// was and reported as needing a re-record. Prints how many of each, and why (SHOW_REASONS=1: for
// each recording). Tests that send the same wire request (a test's openai_client and
// client_with_models variants) are served in different rounds, as a provider answers one way.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { refresh } from "../src/commands/refresh.ts";
import { defaultConfig } from "../src/config.ts";
import { readRecording } from "../src/recording/recording.ts";
import { findTestChains } from "../src/recording/test-chains.ts";
import { replayHarness } from "../test/support/chain-harness.ts";
import { simulatorOverridesFor } from "../test/support/check-setup.ts";
import { TEST_ENV } from "../test/support/simulator/replay-setup.ts";
import { startSimulator } from "../test/support/simulator.ts";

const MARK = " (changed)";
const corpus = path.resolve(process.argv[2] ?? "../shared/corpus/llama-stack");
const read = async (file: string) => {
  const result = readRecording(readFileSync(file, "utf8"), file);
  return result.ok ? result.recording : null;
};
const { findRecordingFiles } = await import("../src/recording/files.ts");
const all = (await findRecordingFiles([corpus], corpus)).files;
const chains = await findTestChains(all, read);
const members = chains.flatMap((chain) => chain.files);
const heads = new Set(
  chains.flatMap((chain) => chain.files.filter((f) => !chain.links.some((l) => l.to === f))),
);

// The originals the harness plays: only the chained tests' recordings, copied twice.
const original = mkdtempSync(path.join(os.tmpdir(), "recording-drift-chains-original-"));
const work = mkdtempSync(path.join(os.tmpdir(), "recording-drift-chains-work-"));
const shown = members.map((file) => path.relative(corpus, file));
for (const file of shown) {
  for (const root of [original, work]) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    cpSync(path.join(corpus, file), path.join(root, file));
  }
}
type Chunk = { choices?: Array<{ delta?: { content?: unknown }; message?: { content?: unknown } }> };
const headNames = new Set([...heads].map((file) => path.relative(corpus, file)));
/** Roughly what goes on the wire: sibling tests (openai_client, client_with_models) send the same. */
const wireKey = (json: { request: Record<string, unknown> }) =>
  JSON.stringify([
    String(json.request.url).replace(/^(\w+:\/\/[^/]+).*/, "$1"),
    json.request.body ?? json.request.payload,
  ]);
// A provider answers one request one way: tests that send the same request go to different rounds.
const rounds: Array<{
  keys: Set<string>;
  recordings: Array<{ file: string; json: { request: Record<string, unknown> } }>;
}> = [];
for (const chain of chains) {
  const recordings = chain.files.map((file) => {
    const name = path.relative(corpus, file);
    return { file: name, json: JSON.parse(readFileSync(path.join(work, name), "utf8")) };
  });
  const keys = recordings.map((r) => wireKey(r.json));
  let round = rounds.find((r) => keys.every((key) => !r.keys.has(key)));
  if (!round) {
    round = { keys: new Set(), recordings: [] };
    rounds.push(round);
  }
  for (const key of keys) round.keys.add(key);
  round.recordings.push(...recordings);
}

const started = Date.now();
const results: Awaited<ReturnType<typeof refresh>>["results"] = [];
for (const round of rounds) {
  const sim = await startSimulator({ recordings: round.recordings, seed: 7 });
  sim.mutate(
    (file) => headNames.has(file),
    (data) => {
      const objects = (Array.isArray(data) ? data : [data]) as Chunk[];
      // The last piece of text of the first choice gets the mark.
      const parts = objects.flatMap((o) => (o.choices ?? []).slice(0, 1).map((c) => c.message ?? c.delta));
      const last = parts.filter((p) => typeof p?.content === "string" && p.content !== "").at(-1);
      if (last) last.content = `${last.content as string}${MARK}`;
      return data;
    },
  );
  sim.translate((body) => JSON.parse(JSON.stringify(body).replaceAll(MARK, "")));
  const roundReport = await refresh({
    paths: round.recordings.map((r) => path.join(work, r.file)),
    cwd: work,
    config: { ...defaultConfig(), concurrency: 16 },
    providerOverrides: simulatorOverridesFor(sim, round.recordings),
    filter: null,
    maxRequests: null,
    samples: 1,
    threshold: null,
    env: TEST_ENV,
    update: "changed",
    dryRun: false,
  });
  results.push(...roundReport.results);
  await sim.close();
}
const report = { results };
const harness = await replayHarness(original, work);

const tests = new Map<string, { refreshed: number; reason: string | null }>();
for (const result of report.results) {
  const test = tests.get(result.testId ?? result.file) ?? { refreshed: 0, reason: null };
  if (result.refreshed) test.refreshed++;
  if (result.needsReRecord)
    test.reason = result.needsReRecord.replace(/\S+\.json/g, "FILE").replace(/: .*/, "");
  tests.set(result.testId ?? result.file, test);
}
const reasons = new Map<string, number>();
for (const { reason } of tests.values()) if (reason) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
const renamed = report.results.filter((r) => r.renamedFrom).length;
console.log(
  `${chains.length} chained tests, ${members.length} recordings, ${heads.size} heads changed, ${rounds.length} rounds`,
);
console.log(
  `refresh in ${((Date.now() - started) / 1000).toFixed(1)} s: ${report.results.filter((r) => r.refreshed).length} written, ${renamed} under a new name`,
);
console.log(
  `tests refreshed: ${[...tests.values()].filter((t) => t.refreshed > 0 && !t.reason).length}; needs re-record: ${[...tests.values()].filter((t) => t.reason).length}`,
);
console.log("needs re-record, by reason:", Object.fromEntries(reasons));
console.log(
  `harness: ${harness.missing.length} requests no file answers; ${harness.files.length} files found of ${shown.length}`,
);
for (const miss of harness.missing.slice(0, 10)) console.log(`  missing: ${miss}`);
if (process.env.SHOW_REASONS) {
  for (const result of report.results.filter((r) => r.needsReRecord))
    console.log(`  ${result.file}: ${result.needsReRecord?.slice(0, 200)}`);
}
rmSync(original, { recursive: true, force: true });
rmSync(work, { recursive: true, force: true });
process.exit(harness.missing.length > 0 ? 1 : 0);
