// Whole-corpus runs against the provider simulator (not part of `npm test`: they need the corpus).
//
//   npx tsx scripts/corpus-check.ts check CORPUS_DIR
//     serves every recording as a live API would (fresh ids, created, fingerprints, obfuscation,
//     re-split streams) and runs `check`: every replayable recording must come back unchanged,
//     every other one skipped with a named reason.
//   npx tsx scripts/corpus-check.ts refresh CORPUS_DIR
//     copies the corpus, serves each recording's own content the way the wire carries it (fresh
//     ids and created, declared fields' nulls omitted, integral floats as integers, wire key order) and runs
//     `refresh --update all`: every file must come back byte-identical.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { check } from "../src/commands/check.ts";
import { refresh } from "../src/commands/refresh.ts";
import { defaultConfig } from "../src/config.ts";
import { type CheckReport, makeReport } from "../src/report/check-report.ts";
import { listJson, simulatorOverridesFor } from "../test/support/check-setup.ts";
import { TEST_ENV } from "../test/support/simulator/replay-setup.ts";
import { startSimulator } from "../test/support/simulator.ts";

const [mode, corpus] = process.argv.slice(2);
if ((mode !== "check" && mode !== "refresh") || !corpus) {
  console.error("usage: npx tsx scripts/corpus-check.ts check|refresh CORPUS_DIR");
  process.exit(2);
}

const workDir =
  mode === "refresh" ? mkdtempSync(path.join(os.tmpdir(), "recording-drift-corpus-")) : path.resolve(corpus);
if (mode === "refresh") cpSync(corpus, workDir, { recursive: true });
const files = listJson(workDir);
const originals = new Map(files.map((file) => [file, readFileSync(path.join(workDir, file), "utf8")]));
const recordings = files.map((file) => ({ file, json: JSON.parse(originals.get(file) as string) }));
// Several recordings can hold the same wire request (model-list snapshots of one host taken on
// different days; a file re-recorded under a new name beside its old copy). A provider answers a
// request one way, so each round serves at most one recording per request.
const rounds: Array<typeof recordings> = [];
const seen = new Map<string, number>();
for (const recording of recordings) {
  const request = recording.json.request as Record<string, unknown>;
  const url = String(request.url ?? "");
  const key = JSON.stringify([
    url.replace(/^(\w+:\/\/[^/]+).*/, "$1"),
    request.method,
    wireBody(request) ?? request.endpoint,
  ]);
  const round = seen.get(key) ?? 0;
  seen.set(key, round + 1);
  if (rounds[round] === undefined) rounds[round] = [];
  rounds[round].push(recording);
}
/** Roughly what the SDK puts on the wire: `extra_body` merged in, the other SDK-only keys gone. */
function wireBody(request: Record<string, unknown>): unknown {
  const body = (request.body ?? request.payload) as Record<string, unknown> | undefined;
  if (!body || typeof body !== "object") return body;
  const { extra_body, extra_headers: _h, extra_query: _q, timeout: _t, ...rest } = body;
  return { ...rest, ...(extra_body as object | undefined) };
}
const started = Date.now();
const results: CheckReport["results"] = [];
let unmatched = 0;
for (const round of rounds) {
  const sim = await startSimulator({
    recordings: round,
    seed: 7,
    liveify: mode === "refresh" ? "wire" : true,
  });
  const options = {
    paths: round.map((r) => path.join(workDir, r.file)),
    cwd: workDir,
    config: { ...defaultConfig(), concurrency: 16 },
    providerOverrides: simulatorOverridesFor(sim, round),
    filter: null,
    maxRequests: null,
    samples: 1,
    threshold: null,
    env: TEST_ENV,
  };
  const roundReport =
    mode === "refresh" ? await refresh({ ...options, update: "all", dryRun: false }) : await check(options);
  results.push(...roundReport.results);
  unmatched += sim.unmatched.length;
  await sim.close();
}
const report = makeReport(results);

console.log(
  `${mode} over ${files.length} recordings (${rounds.length} rounds) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
console.log(JSON.stringify(report.summary));
const skipReasons = new Map<string, number>();
for (const r of report.results.filter((r) => r.verdict === "skipped")) {
  const reason = (r.reasons[0] ?? "")
    .replace(/\/api\/\w+/, "/api/…")
    .replace(/name it [\w-]+\.json/, "name it …");
  skipReasons.set(reason, (skipReasons.get(reason) ?? 0) + 1);
}
console.log("skipped:", Object.fromEntries(skipReasons));
const unexpected = report.results.filter((r) => r.verdict !== "unchanged" && r.verdict !== "skipped");
for (const r of unexpected.slice(0, 20)) console.log(`  ${r.verdict} ${r.file}: ${r.reasons.join("; ")}`);
console.log(`not unchanged (and not skipped): ${unexpected.length}; unmatched requests: ${unmatched}`);
let exit = unexpected.length > 0 || unmatched > 0 ? 1 : 0;
if (mode === "refresh") {
  const changed = files.filter(
    (file) => readFileSync(path.join(workDir, file), "utf8") !== originals.get(file),
  );
  const refreshed = report.results.filter((r) => r.refreshed).length;
  console.log(
    `refreshed ${refreshed} files; byte-identical afterwards: ${files.length - changed.length} / ${files.length}`,
  );
  for (const file of changed.slice(0, 20)) console.log(`  differs: ${file}`);
  if (changed.length > 0) exit = 1;
  rmSync(workDir, { recursive: true, force: true });
}
process.exit(exit);
