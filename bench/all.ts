// `npm run bench [-- CORPUS_DIR]`: every benchmark, one after the other, each in its own process
// (so none inherits another's heap or warm JIT), then one table of what each measured against
// its target and the machine it ran on. The corpus-based ones (verify, memory, shard balance)
// need the corpus path and are skipped, saying so, without it.
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { type BenchResult, RESULT_PREFIX } from "./result.ts";

const BENCH = import.meta.dirname;
const corpus = process.argv[2];

interface Bench {
  script: string;
  /** Arguments; null when the benchmark needs a corpus and none was given. */
  args: string[] | null;
}

const BENCHES: Bench[] = [
  { script: "verify.ts", args: corpus ? [corpus] : null },
  { script: "replay.ts", args: [] },
  { script: "rate-limit.ts", args: [] },
  { script: "breakers.ts", args: [] },
  { script: "memory.ts", args: corpus ? [corpus, "--factor", "10"] : null },
  { script: "memory-bomb.ts", args: [] },
  { script: "signal.ts", args: [] },
  { script: "compare.ts", args: [] },
  { script: "shard-balance.ts", args: corpus ? [corpus] : null },
  { script: "publish-scale.ts", args: [] },
  { script: "report-cut.ts", args: [] },
];

/** Runs one benchmark with its output passed through; returns its result lines. */
function run(script: string, args: string[]): Promise<{ code: number | null; results: BenchResult[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(BENCH, script), ...args], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const results: BenchResult[] = [];
    let pending = "";
    child.stdout.on("data", (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        if (line.startsWith(RESULT_PREFIX)) results.push(JSON.parse(line.slice(RESULT_PREFIX.length)));
        else process.stdout.write(`  ${line}\n`);
      }
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, results }));
  });
}

const rows: Array<BenchResult & { script: string }> = [];
const skipped: string[] = [];
for (const bench of BENCHES) {
  if (bench.args === null) {
    skipped.push(bench.script);
    console.log(`\n== ${bench.script}: skipped (needs the corpus: npm run bench -- CORPUS_DIR)`);
    continue;
  }
  console.log(`\n== ${bench.script} ${bench.args.join(" ")}`);
  const { code, results } = await run(bench.script, bench.args);
  if (code !== 0 || results.length === 0) {
    rows.push({ script: bench.script, name: bench.script, measured: `exit ${code}`, target: "", met: false });
  }
  for (const result of results) rows.push({ script: bench.script, ...result });
}

const cpus = os.cpus();
console.log(
  `\nMachine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.arch()}`,
);
const table = [
  ["benchmark", "measured", "target", "met", "details"],
  ...rows.map((r) => [
    r.name,
    r.measured,
    r.target,
    r.met === null ? "" : r.met ? "yes" : "NO",
    r.detail ?? "",
  ]),
];
const widths = (table[0] as string[]).map((_, i) => Math.max(...table.map((row) => (row[i] ?? "").length)));
const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i] as number)).join(" | ")} |`;
console.log(line(table[0] as string[]));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const row of table.slice(1)) console.log(line(row));
if (skipped.length > 0) console.log(`skipped without a corpus path: ${skipped.join(", ")}`);
