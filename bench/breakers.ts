// Providers that refuse everything must not hold a run hostage (issue 13):
//   a 401 on every request: requests that reach the provider / concurrency (target <= 2: only
//     the requests under way when the first refusal comes back);
//   a 429 storm (`retry-after: 1`) on 20,000 recordings: wall time / the rate-limit budget
//     (target <= 1.25: the run ends when the budget is spent, not after 20,000 × retries).
//
//   npm run bench:breakers [-- --budget-ms 5000 --concurrency 16]
import { parseConfig } from "../src/config.ts";
import { replayAll } from "../src/replay/replay.ts";
import type { ReplayTarget } from "../src/replay/types.ts";
import { loadFixture, replayTargetFor } from "../test/support/simulator/fixtures.ts";
import { collect, simulatorOptions } from "../test/support/simulator/replay-setup.ts";
import { startSimulator } from "../test/support/simulator.ts";
import { emitResult } from "./result.ts";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}
const BUDGET_MS = option("budget-ms", 5000);
const CONCURRENCY = option("concurrency", 16);

const chat = loadFixture("06931312f62d0b59939d9a2d8cf674611bde5725285ce77ffaae46af1dba9065.json");
const target = replayTargetFor(chat) as ReplayTarget;
/** `count` recordings of one request (the simulator answers each the same). */
const copies = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ ...target, file: `${i}-${target.file}` }));

async function refusedKey(): Promise<void> {
  const sim = await startSimulator({ recordings: [chat], latencyMs: 20 });
  sim.fault({ kind: "status", status: 401 });
  const targets = copies(1000);
  const config = parseConfig({ concurrency: CONCURRENCY }, "bench");
  const results = await collect(replayAll(targets, simulatorOptions(sim, targets, { config })));
  await sim.close();
  const reached = sim.requests.length;
  const ratio = reached / CONCURRENCY;
  const unsent = results.filter((r) => r.attempts === 0).length;
  console.log(
    `401 on every request: 1000 recordings, concurrency ${CONCURRENCY}: ${reached} reached the provider, ${unsent} failed unsent`,
  );
  emitResult({
    name: `401 storm, 1000 recordings: requests reaching the provider / concurrency (${CONCURRENCY})`,
    measured: ratio.toFixed(2),
    target: "<= 2",
    met: ratio <= 2 && results.every((r) => r.outcome.kind === "failed"),
    detail: `${reached} requests, ${unsent} failed unsent`,
  });
}

async function rateLimitStorm(): Promise<void> {
  const sim = await startSimulator({ recordings: [chat] });
  sim.fault({ kind: "status", status: 429, retryAfter: "1" });
  const targets = copies(20_000);
  const config = parseConfig(
    { concurrency: CONCURRENCY, retries: { "rate-limit-budget-ms": BUDGET_MS } },
    "bench",
  );
  const started = performance.now();
  const results = await collect(replayAll(targets, simulatorOptions(sim, targets, { config })));
  const wallMs = performance.now() - started;
  await sim.close();
  const ratio = wallMs / BUDGET_MS;
  console.log(
    `429 storm (retry-after 1): 20,000 recordings, budget ${BUDGET_MS} ms: over in ${wallMs.toFixed(0)} ms after ${sim.requests.length} requests`,
  );
  emitResult({
    name: `429 storm, 20,000 recordings: wall / rate-limit budget (${BUDGET_MS} ms)`,
    measured: ratio.toFixed(2),
    target: "<= 1.25",
    met: ratio <= 1.25 && results.every((r) => r.outcome.kind === "failed"),
    detail: `${sim.requests.length} requests`,
  });
}

await refusedKey();
await rateLimitStorm();
