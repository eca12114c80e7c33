// Bounded memory: peak RSS of `check` over the real corpus and over a synthetic corpus FACTOR
// times its size (scripts/make-synthetic-corpus.ts), each run in a fresh child process against
// the provider simulator. The simulator runs in a process of its own, serving the real corpus
// (the copies send the same wire requests), so its memory is not counted. Each check child
// writes its JSON report (as the action always does, as `--json` does), then reports `process.resourceUsage()
// .maxRSS`. Target: peak at FACTOR× <= 1.5 × peak at 1×.
//
//   npm run bench:memory -- CORPUS_DIR [--factor 10] [--keep DIR]
//
// --keep DIR keeps the synthetic corpus in DIR, and reuses it when DIR already holds one.
import { type ChildProcess, fork } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { makeSyntheticCorpus } from "../scripts/make-synthetic-corpus.ts";
import { check } from "../src/commands/check.ts";
import { writeReportJson } from "../src/commands/run-replay.ts";
import { defaultConfig } from "../src/config.ts";
import { listJson, simulatorOverridesFor } from "../test/support/check-setup.ts";
import { TEST_ENV } from "../test/support/simulator/replay-setup.ts";
import { startSimulator } from "../test/support/simulator.ts";
import { emitResult } from "./result.ts";

const CONCURRENCY = 16;
const SELF = fileURLToPath(import.meta.url);
const TARGET_RATIO = 1.5;

interface Served {
  url: string;
  overrides: string[];
  recordings: number;
}

interface Measured {
  files: number;
  summary: Record<string, number>;
  maxRssMb: number;
  heapUsedMb: number;
  /** RSS sampled every 50 ms: the highest while checking, and while writing the report. */
  sampledMb: Record<string, number>;
  seconds: number;
}

/** Simulator child: serve the corpus until told to stop. */
async function serve(corpus: string): Promise<void> {
  const recordings = listJson(corpus).map((file) => ({
    file,
    json: JSON.parse(readFileSync(path.join(corpus, file), "utf8")),
  }));
  const sim = await startSimulator({ recordings, seed: 7, liveify: true });
  const served: Served = {
    url: sim.url,
    overrides: simulatorOverridesFor(sim, recordings),
    recordings: recordings.length,
  };
  process.send?.(served);
  process.once("message", async () => {
    await sim.close();
    process.disconnect();
  });
}

/** Check child: one `check` over `dir`, its report written, then its own peak RSS. */
async function measure(dir: string, overrides: string[]): Promise<void> {
  const started = performance.now();
  let phase = "check";
  const peaks: Record<string, number> = {};
  const sample = setInterval(() => {
    peaks[phase] = Math.max(peaks[phase] ?? 0, process.memoryUsage.rss() / 1024 / 1024);
  }, 50);
  const report = await check({
    paths: [dir],
    cwd: dir,
    config: { ...defaultConfig(), concurrency: CONCURRENCY },
    providerOverrides: overrides,
    filter: null,
    maxRequests: null,
    samples: 1,
    threshold: null,
    env: TEST_ENV,
  });
  phase = "report";
  const reportFile = path.join(os.tmpdir(), `recording-drift-memory-${process.pid}.json`);
  await writeReportJson(reportFile, report);
  rmSync(reportFile, { force: true });
  clearInterval(sample);
  const measured: Measured = {
    files: report.summary.total,
    summary: report.summary,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    heapUsedMb: process.memoryUsage().heapUsed / 1024 / 1024,
    sampledMb: peaks,
    seconds: (performance.now() - started) / 1000,
  };
  process.send?.(measured, () => process.disconnect());
}

function child(args: string[]): { process: ChildProcess; next: <T>() => Promise<T> } {
  // The children run this same TypeScript file, so they need tsx's loader too.
  const proc = fork(SELF, args, { execArgv: ["--import", "tsx"] });
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      proc.once("message", (message) => resolve(message as T));
      proc.once("exit", (code) => reject(new Error(`${args[0]} child exited with ${code}`)));
    });
  return { process: proc, next };
}

async function runCheck(dir: string, overrides: string[]): Promise<Measured> {
  const { next } = child(["--measure", dir, JSON.stringify(overrides)]);
  return next<Measured>();
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const corpus = args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
  const factorAt = args.indexOf("--factor");
  const factor = factorAt === -1 ? 10 : Number(args[factorAt + 1]);
  const keepAt = args.indexOf("--keep");
  if (!corpus || !Number.isInteger(factor) || factor < 2) {
    console.error("usage: npm run bench:memory -- CORPUS_DIR [--factor 10] [--keep DIR]");
    process.exit(2);
  }
  const root = path.resolve(corpus);
  const big =
    keepAt === -1
      ? mkdtempSync(path.join(os.tmpdir(), "recording-drift-synthetic-"))
      : path.resolve(args[keepAt + 1] as string);
  mkdirSync(big, { recursive: true });
  const sim = child(["--serve", root]);
  try {
    if (readdirSync(big).length > 0) {
      console.log(`synthetic corpus: reusing ${big} (--keep)`);
    } else {
      const started = performance.now();
      const made = await makeSyntheticCorpus(root, big, factor);
      console.log(
        `synthetic corpus: ${made.files} recordings, ${(made.bytes / 1e6).toFixed(0)} MB (${factor}×), made in ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
    }
    const served = await sim.next<Served>();
    console.log(
      `simulator (own process): ${served.recordings} recordings; check at concurrency ${CONCURRENCY}`,
    );
    const one = await runCheck(root, served.overrides);
    report("1×", one);
    const many = await runCheck(big, served.overrides);
    report(`${factor}×`, many);
    const ratio = many.maxRssMb / one.maxRssMb;
    console.log(`peak RSS ratio ${factor}× / 1×: ${ratio.toFixed(2)} (target <= ${TARGET_RATIO})`);
    emitResult({
      name: `peak memory, ${factor}× corpus / 1×`,
      measured: ratio.toFixed(2),
      target: `<= ${TARGET_RATIO}`,
      met: ratio <= TARGET_RATIO,
      detail: `${one.maxRssMb.toFixed(0)} MB at 1× (${one.files} files), ${many.maxRssMb.toFixed(0)} MB at ${factor}× (${many.files} files)`,
    });
  } finally {
    sim.process.send("stop");
    if (keepAt === -1) rmSync(big, { recursive: true, force: true });
  }
}

const mb = (value: number | undefined) => (value === undefined ? "-" : `${value.toFixed(0)} MB`);

function report(label: string, m: Measured): void {
  const { total, ...verdicts } = m.summary;
  console.log(
    `${label.padStart(4)}: ${m.files} recordings in ${m.seconds.toFixed(0)} s, peak RSS ${m.maxRssMb.toFixed(0)} MB (sampled every 50 ms: ${mb(m.sampledMb.check)} while checking, ${mb(m.sampledMb.report)} while writing the report), heap at the end ${m.heapUsedMb.toFixed(0)} MB  ${JSON.stringify(verdicts)}`,
  );
}

const mode = process.argv[2];
if (mode === "--serve") await serve(process.argv[3] as string);
else if (mode === "--measure")
  await measure(process.argv[3] as string, JSON.parse(process.argv[4] as string));
else await main();
