// Bounded memory under answer bombs (issue 15): the peak RSS of a replay whose provider sends
// (a) a gzip body that inflates to 1 GiB, (b) a chat stream that never ends, (c) one stream
// event of 1 GiB. Each replay is what users run, the bundled CLI (built into a temporary
// directory), `check` of one Ollama fixture with the default limits (64 MiB per answer and per
// event), in a fresh process whose own peak RSS is read as it exits (report-peak-rss.mjs). The
// provider (test/support/hostile-provider.ts) runs in this process and makes its bytes as it
// sends them. Target: <= 300 MB each, the recording failed with the limit named. A fourth run
// has two endless streams in flight at once: the limits hold per answer, so memory grows with
// the answers in flight (up to `concurrency`).
//
//   npm run bench:memory-bomb [-- --bytes 1073741824]
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CheckReport } from "../src/report/check-report.ts";
import {
  copyFixtures,
  type Hostility,
  OLLAMA_CHAT,
  OLLAMA_OTHER_STREAM,
  OLLAMA_STREAM,
  ollamaProvider,
  startHostileProvider,
} from "../test/support/hostile-provider.ts";
import { TEST_ENV } from "../test/support/simulator/replay-setup.ts";
import { emitResult } from "./result.ts";
import { buildTempBundle } from "./temp-bundle.ts";

const TARGET_MB = 300;
const GIB = 1024 ** 3;
const PEAK_RSS_HOOK = path.join(import.meta.dirname, "report-peak-rss.mjs");

/** Runs `node cli.js ARGS` in `dir`; its peak RSS in MB and how long it took. */
async function peakOf(cli: string, args: string[], dir: string): Promise<{ mb: number; seconds: number }> {
  const peakFile = path.join(dir, "peak-rss");
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", PEAK_RSS_HOOK, cli, ...args], {
    cwd: dir,
    env: { ...process.env, ...TEST_ENV, PEAK_RSS_FILE: peakFile },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await new Promise((resolve, reject) => child.on("close", resolve).on("error", reject));
  return { mb: Number(readFileSync(peakFile, "utf8")) / 1024, seconds: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const bytesAt = process.argv.indexOf("--bytes");
  const bytes = bytesAt === -1 ? GIB : Number(process.argv[bytesAt + 1]);
  if (!Number.isInteger(bytes) || bytes <= 0) {
    console.error("usage: npm run bench:memory-bomb [-- --bytes N]");
    process.exit(2);
  }
  const size = `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const scenarios: Array<{ name: string; fixtures: string[]; hostility: Hostility }> = [
    {
      name: `gzip body inflating to ${size}`,
      fixtures: [OLLAMA_CHAT],
      hostility: { kind: "gzip-bomb", bytes },
    },
    { name: "endless stream", fixtures: [OLLAMA_STREAM], hostility: { kind: "endless-stream" } },
    {
      name: `one stream event of ${size}`,
      fixtures: [OLLAMA_STREAM],
      hostility: { kind: "huge-event", bytes },
    },
    {
      name: "two endless streams at once",
      fixtures: [OLLAMA_STREAM, OLLAMA_OTHER_STREAM],
      hostility: { kind: "endless-stream" },
    },
  ];
  const bundle = buildTempBundle();
  const work = mkdtempSync(path.join(os.tmpdir(), "recording-drift-bomb-"));
  try {
    const idle = await peakOf(bundle.cli, ["--version"], work);
    console.log(`the CLI loaded, doing nothing (--version): peak RSS ${idle.mb.toFixed(0)} MB`);
    for (const [i, { name, fixtures, hostility }] of scenarios.entries()) {
      const dir = path.join(work, String(i));
      copyFixtures(dir, fixtures);
      const provider = await startHostileProvider(hostility);
      try {
        const args = ["check", ".", "--provider", ollamaProvider(provider.url), "--json", "report.json"];
        const run = await peakOf(bundle.cli, args, dir);
        const report = JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")) as CheckReport;
        const failed = report.results.every((r) => r.verdict === "failed");
        const met = run.mb <= TARGET_MB && failed && report.results.length === fixtures.length;
        const outcomes = report.results.map((r) => `${r.verdict}: ${r.reasons.join("; ")}`);
        console.log(
          `${name}: peak RSS ${run.mb.toFixed(0)} MB, ${(run.mb / TARGET_MB).toFixed(2)} of the ${TARGET_MB} MB target, in ${run.seconds.toFixed(1)} s; ${outcomes.join(" | ")}`,
        );
        emitResult({
          name: `peak memory, ${name}`,
          measured: `${run.mb.toFixed(0)} MB`,
          target: `<= ${TARGET_MB} MB, failed`,
          met,
          detail: `${idle.mb.toFixed(0)} MB for the CLI doing nothing; ${failed ? "failed" : "NOT failed"}`,
        });
      } finally {
        await provider.close();
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    bundle.remove();
  }
}

await main();
