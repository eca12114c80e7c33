// Living under a provider's rate limit: 400 distinct chat requests against a simulator that
// accepts R requests in any second and answers 429 with `retry-after: 1` beyond that. The
// replay (default retries: 3 attempts, the server's wait honoured) must finish every request,
// with zero failures, in at most 1.25 × N / R. The simulator runs in a child process, as in
// bench/replay.ts, so its CPU time is not charged to the replay's event loop.
//
//   npm run bench:rate-limit [-- --rate 50 --concurrency 16 --attempts 3]
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseConfig } from "../src/config.ts";
import { replayAll } from "../src/replay/replay.ts";
import type { ReplayTarget } from "../src/replay/types.ts";
import { chatVariants, loadFixture, replayTargetFor } from "../test/support/simulator/fixtures.ts";
import { simulatorOptions } from "../test/support/simulator/replay-setup.ts";
import { startSimulator } from "../test/support/simulator.ts";
import { emitResult } from "./result.ts";

const TARGETS = 400;
const LATENCY_MS = 20;
const TARGET_RATIO = 1.25;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}
const RATE = option("rate", 50);
const CONCURRENCY = option("concurrency", 16);
/** Attempts per request (the config's `retries.attempts`; default 3). */
const ATTEMPTS = option("attempts", 3);

const chat = loadFixture("06931312f62d0b59939d9a2d8cf674611bde5725285ce77ffaae46af1dba9065.json");
const recordings = chatVariants(chat, TARGETS);

interface SimulatorReport {
  url: string;
  requests: number;
  limited: number;
  unmatched: number;
}

async function serveFromChild(): Promise<void> {
  const sim = await startSimulator({
    recordings,
    latencyMs: LATENCY_MS,
    rateLimit: { perSecond: RATE, retryAfterSeconds: 1 },
  });
  process.send?.({ url: sim.url, requests: 0, limited: 0, unmatched: 0 } satisfies SimulatorReport);
  process.once("message", async () => {
    const answered = sim.requests.filter((r) => r.file !== null).length;
    const report: SimulatorReport = {
      url: sim.url,
      requests: sim.requests.length,
      limited: sim.requests.length - answered - sim.unmatched.length,
      unmatched: sim.unmatched.length,
    };
    await sim.close();
    process.send?.(report, () => process.disconnect());
  });
}

async function main(): Promise<void> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ["--serve", ...process.argv.slice(2)], {
    execArgv: ["--import", "tsx"],
  });
  const next = () => new Promise<SimulatorReport>((resolve) => child.once("message", resolve));
  const { url } = await next();
  const targets = recordings.map((r) => replayTargetFor(r) as ReplayTarget);
  const sim = { url } as Parameters<typeof simulatorOptions>[0];
  const config = parseConfig({ concurrency: CONCURRENCY, retries: { attempts: ATTEMPTS } }, "bench");
  try {
    const started = performance.now();
    let captured = 0;
    const failures = new Map<string, number>();
    for await (const result of replayAll(targets, simulatorOptions(sim, targets, { config }))) {
      if (result.outcome.kind === "captured") captured++;
      else failures.set(result.outcome.reason, (failures.get(result.outcome.reason) ?? 0) + 1);
    }
    const wallMs = performance.now() - started;
    child.send("report");
    const report = await next();
    const idealMs = (TARGETS / RATE) * 1000;
    const ratio = wallMs / idealMs;
    const failed = TARGETS - captured;
    console.log(
      `targets ${TARGETS}, limit ${RATE}/s (429 with retry-after: 1 beyond it), latency ${LATENCY_MS} ms, concurrency ${CONCURRENCY}, ${ATTEMPTS} attempts per request`,
    );
    console.log(
      `requests sent ${report.requests} (${report.limited} answered 429, ${report.unmatched} unmatched), captured ${captured}, failed ${failed}`,
    );
    for (const [reason, count] of failures) console.log(`  failed ${count}×: ${reason}`);
    console.log(
      `wall ${(wallMs / 1000).toFixed(2)} s, N / R = ${(idealMs / 1000).toFixed(2)} s, ratio ${ratio.toFixed(2)} (target <= ${TARGET_RATIO}, zero failures)`,
    );
    emitResult({
      name: `rate-limited simulator (${RATE}/s, ${ATTEMPTS} attempts), wall / (N / R)`,
      measured: `${ratio.toFixed(2)}, ${failed} failed`,
      target: `<= ${TARGET_RATIO}, 0 failed`,
      met: ratio <= TARGET_RATIO && failed === 0 && report.unmatched === 0,
      detail: `${TARGETS} requests, ${report.limited} answered 429`,
    });
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

await (process.argv.includes("--serve") ? serveFromChild() : main());
