// How close the scheduler gets to the ideal: 400 distinct chat requests against the simulator
// with a fixed 100 ms latency at concurrency 16 should take N × latency / concurrency. The
// simulator runs in a child process, as a real provider runs elsewhere: its CPU time is not
// charged to the replay's event loop.
// Run: npm run bench:replay

import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { check } from "../src/commands/check.ts";
import { parseConfig } from "../src/config.ts";
import { expectedFileName } from "../src/recording/file-name.ts";
import { parseJson } from "../src/recording/json-read.ts";
import { readRecording } from "../src/recording/recording.ts";
import { writeRecordingText } from "../src/recording/write-recording.ts";
import type { ReplayTarget } from "../src/replay/types.ts";
import { chatVariants, loadFixture, replayTargetFor } from "../test/support/simulator/fixtures.ts";
import { simulatorOptions } from "../test/support/simulator/replay-setup.ts";
import { startSimulator } from "../test/support/simulator.ts";
import { emitResult } from "./result.ts";

const TARGETS = 400;
const LATENCY_MS = 100;
const CONCURRENCY = 16;

const chat = loadFixture("06931312f62d0b59939d9a2d8cf674611bde5725285ce77ffaae46af1dba9065.json");
const recordings = chatVariants(chat, TARGETS);

interface SimulatorReport {
  url: string;
  unmatched: number;
  maxInFlight: number;
}

/** Child side: serve the recordings until asked for the report, then stop. */
async function serveFromChild(): Promise<void> {
  const sim = await startSimulator({ recordings, latencyMs: LATENCY_MS });
  process.send?.({ url: sim.url, unmatched: 0, maxInFlight: 0 } satisfies SimulatorReport);
  process.once("message", async () => {
    const report: SimulatorReport = {
      url: sim.url,
      unmatched: sim.unmatched.length,
      maxInFlight: sim.maxInFlight,
    };
    await sim.close();
    process.send?.(report, () => process.disconnect());
  });
}

async function main(): Promise<void> {
  // The child runs this same TypeScript file, so it needs tsx's loader too.
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ["--serve"], {
    execArgv: ["--import", "tsx"],
  });
  const next = () => new Promise<SimulatorReport>((resolve) => child.once("message", resolve));
  const { url } = await next();
  const targets = recordings.map((r) => replayTargetFor(r) as ReplayTarget);
  const sim = { url } as Parameters<typeof simulatorOptions>[0];
  const config = parseConfig({ concurrency: CONCURRENCY }, "bench");
  // The whole `check` command over recording files: reading, replaying, comparing, reporting.
  const dir = mkdtempSync(path.join(os.tmpdir(), "recording-drift-bench-"));
  // Each under the name its request hashes to, as the recorder names it (else it is unreachable).
  for (const r of recordings) {
    const text = writeRecordingText(parseJson(JSON.stringify(r.json)));
    const read = readRecording(text, "recording.json");
    if (!read.ok) throw new Error(read.errors.join("; "));
    writeFileSync(path.join(dir, expectedFileName(read.recording) as string), text);
  }
  const { providerOverrides, env } = simulatorOptions(sim, targets, { config });
  try {
    const started = performance.now();
    const checked = await check({
      paths: [dir],
      cwd: dir,
      config,
      providerOverrides: [...(providerOverrides ?? [])],
      filter: null,
      maxRequests: null,
      samples: 1,
      threshold: null,
      env: env ?? {},
    });
    const captured = checked.summary.unchanged;
    const wallMs = performance.now() - started;
    child.send("report");
    const report = await next();
    if (captured !== TARGETS || report.unmatched > 0) {
      throw new Error(`only ${captured}/${TARGETS} unchanged, ${report.unmatched} unmatched`);
    }
    const idealMs = (TARGETS * LATENCY_MS) / CONCURRENCY;
    console.log(
      `targets ${TARGETS}, latency ${LATENCY_MS} ms, concurrency ${CONCURRENCY} (max in flight ${report.maxInFlight})`,
    );
    const efficiency = (idealMs / wallMs) * 100;
    console.log(
      `wall ${wallMs.toFixed(0)} ms, ideal ${idealMs.toFixed(0)} ms, efficiency ${efficiency.toFixed(1)} %`,
    );
    emitResult({
      name: "replay efficiency, fixed latency",
      measured: `${efficiency.toFixed(1)} %`,
      target: ">= 90 %",
      met: efficiency >= 90,
      detail: `${TARGETS} requests, ${LATENCY_MS} ms each, concurrency ${CONCURRENCY}: ${wallMs.toFixed(0)} ms for an ideal ${idealMs.toFixed(0)} ms`,
    });
  } finally {
    if (child.exitCode === null) child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

await (process.argv.includes("--serve") ? serveFromChild() : main());
