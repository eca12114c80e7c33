// Whole-corpus runs against the provider simulator (not part of `npm test`: they need the corpus).
//
//   npx tsx scripts/corpus-check.ts check CORPUS_DIR
//     serves every recording as a live API would (fresh ids, created, fingerprints, obfuscation,
//     re-split streams) and runs `check`: every replayable recording must come back unchanged,
//     every other one skipped with a named reason.
//   npx tsx scripts/corpus-check.ts no-keys CORPUS_DIR
//     runs `check` with no keys set and no `--provider`, every request refused on this side of
//     the network: counts the requests that would have left for each host (none may go to a
//     non-local one) and the skip reasons.
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
import { formatIgnoredNoise } from "../src/report/ignored-noise-line.ts";
import { listJson, roundsByWireRequest, simulatorCheckOptions } from "../test/support/check-setup.ts";
import { startSimulator } from "../test/support/simulator.ts";

const [mode, corpus] = process.argv.slice(2);
if ((mode !== "check" && mode !== "refresh" && mode !== "no-keys") || !corpus) {
  console.error("usage: npx tsx scripts/corpus-check.ts check|refresh|no-keys CORPUS_DIR");
  process.exit(2);
}
if (mode === "no-keys") process.exit(await checkWithoutKeys(path.resolve(corpus)));

const workDir =
  mode === "refresh" ? mkdtempSync(path.join(os.tmpdir(), "recording-drift-corpus-")) : path.resolve(corpus);
if (mode === "refresh") cpSync(corpus, workDir, { recursive: true });
const files = listJson(workDir);
const originals = new Map(files.map((file) => [file, readFileSync(path.join(workDir, file), "utf8")]));
const recordings = files.map((file) => ({ file, json: JSON.parse(originals.get(file) as string) }));
const rounds = roundsByWireRequest(recordings);
const started = Date.now();
const results: CheckReport["results"] = [];
let unmatched = 0;
for (const round of rounds) {
  const sim = await startSimulator({
    recordings: round,
    seed: 7,
    liveify: mode === "refresh" ? "wire" : true,
    checkAuth: true,
  });
  const paths = round.map((r) => path.join(workDir, r.file));
  const options = simulatorCheckOptions(sim, round, paths, workDir, 16);
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
if (mode === "check") console.log(formatIgnoredNoise(report.results) ?? "ignored as noise: nothing");
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

async function checkWithoutKeys(dir: string): Promise<number> {
  const attempted = new Map<string, number>();
  globalThis.fetch = (input) => {
    const host = new URL(input instanceof Request ? input.url : String(input)).host;
    attempted.set(host, (attempted.get(host) ?? 0) + 1);
    return Promise.reject(new TypeError("fetch failed"));
  };
  const config = defaultConfig();
  config.retries.attempts = 1;
  const report = await check({
    paths: [dir],
    cwd: dir,
    config,
    providerOverrides: [],
    filter: null,
    maxRequests: null,
    samples: 1,
    threshold: null,
    env: {},
  });
  const reasons = new Map<string, number>();
  for (const r of report.results) {
    const reason = `${r.verdict}: ${(r.reasons[0] ?? "").replace(/\/api\/\w+/, "/api/…")}`;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  console.log(JSON.stringify(report.summary));
  console.log("requests attempted by host:", Object.fromEntries(attempted));
  console.log("results:", Object.fromEntries([...reasons].sort((a, b) => b[1] - a[1])));
  const local = /^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\])(:\d+)?$/;
  const remote = [...attempted.keys()].filter((host) => !local.test(host));
  console.log(`requests to non-local hosts: ${remote.reduce((n, h) => n + (attempted.get(h) ?? 0), 0)}`);
  return remote.length > 0 ? 1 : 0;
}
