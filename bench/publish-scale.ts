// Publishing at GitHub's scale: N changed recordings (a third rewritten, a tenth deleted, a
// fifteenth renamed, the rest new; 11.5 KB each, the corpus's median) go from a refreshed-files
// directory through `publishRefresh`, as the action's publish job runs it, to the fake GitHub,
// which enforces GitHub's secondary limits (80 content-creating requests a minute, 500 an hour)
// and refuses over-large trees. GitHub's clock runs 100 times fast: the client paces writes one
// (scaled) second apart and the fake's minute lasts 600 ms. The publisher runs in a child
// process, so its peak memory is its own. Prints requests, 403s, wall time, the time the write
// pacing alone takes on GitHub, and peak memory.
//
//   npx tsx bench/publish-scale.ts [N ...]     (default 3000 30000)
import { fork } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { publishRefresh } from "../src/commands/publish.ts";
import { createGitHubClient } from "../src/github/client.ts";
import type { CheckResult } from "../src/report/check-report.ts";
import { makeReport } from "../src/report/check-report.ts";
import { createFakeGitHub } from "../test/support/fake-github.ts";
import { emitResult } from "./result.ts";

/** Milliseconds per GitHub second: the scaled clock. */
const SECOND_MS = 10;
const FILE_BYTES = 11_500;

interface Job {
  url: string;
  dir: string;
}
interface Measured {
  wallMs: number;
  peakRssMb: number;
  operation: string;
}

const recording = (i: number) =>
  `tests/integration/area${i % 11}/recordings/${String(i).padStart(6, "0")}.json`;
function body(i: number, version: string): string {
  const head = `{\n  "test_id": "tests/integration/test_${i % 997}.py::test[${version}]",\n  "text": "`;
  return `${head}${"x".repeat(FILE_BYTES - head.length - 4)}"\n}\n`;
}

/** The base's files and, on disk under `dir`, the refreshed files and the report naming them. */
function prepare(n: number, dir: string): Record<string, string> {
  const base: Record<string, string> = { "README.md": "# bench\n" };
  const results: CheckResult[] = [];
  const plain = { testId: null, endpoint: null, model: null, provider: null, similarity: 0.2, reasons: [] };
  const write = (file: string, content: string) => {
    mkdirSync(path.dirname(path.join(dir, "files", file)), { recursive: true });
    writeFileSync(path.join(dir, "files", file), content);
  };
  const rewritten = Math.floor(n / 3);
  const deleted = Math.floor(n / 10);
  const renamed = Math.floor(n / 30); // a deletion and an addition each: n / 15 paths
  let i = 0;
  for (let k = 0; k < rewritten; k++, i++) {
    base[recording(i)] = body(i, "old");
    write(recording(i), body(i, "new"));
    results.push({ ...plain, file: recording(i), verdict: "drifted", refreshed: true });
  }
  for (let k = 0; k < deleted; k++, i++) {
    base[recording(i)] = body(i, "old");
    results.push({ ...plain, file: recording(i), verdict: "skipped", removed: true });
  }
  for (let k = 0; k < renamed; k++, i++) {
    base[recording(i)] = body(i, "old");
    const to = recording(i + 1_000_000);
    write(to, body(i, "renamed"));
    results.push({ ...plain, file: to, verdict: "drifted", refreshed: true, renamedFrom: recording(i) });
  }
  for (let changed = rewritten + deleted + 2 * renamed; changed < n; changed++, i++) {
    write(recording(i), body(i, "new"));
    results.push({ ...plain, file: recording(i), verdict: "drifted", refreshed: true });
  }
  writeFileSync(path.join(dir, "report.json"), JSON.stringify(makeReport(results)));
  return base;
}

async function publishInChild(): Promise<void> {
  const job = await new Promise<Job>((resolve) => process.once("message", (m) => resolve(m as Job)));
  const { readReport } = await import("../src/commands/merge.ts");
  const { report } = await readReport(path.join(job.dir, "report.json"));
  const started = performance.now();
  const result = await publishRefresh({
    report,
    filesDir: path.join(job.dir, "files"),
    recordings: [],
    github: createGitHubClient({
      token: "ghs_bench",
      baseUrl: job.url,
      retryAfterBaseMs: SECOND_MS,
      log: () => {},
    }),
    owner: "o",
    repo: "r",
    pullRequest: {
      branch: "recording-drift/refresh",
      base: null,
      title: "Refresh",
      draft: false,
      closeWhenClean: false,
      labels: ["recordings"],
      reviewers: [],
      teamReviewers: [],
      assignees: [],
    },
  });
  const measured: Measured = {
    wallMs: performance.now() - started,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    operation: result.operation,
  };
  process.send?.(measured, () => process.disconnect());
}

async function measure(n: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "recording-drift-publish-bench-"));
  try {
    const base = prepare(n, dir);
    const fake = await createFakeGitHub({
      owner: "o",
      repo: "r",
      files: base,
      limits: { minuteMs: 60 * SECOND_MS },
    });
    try {
      const child = fork(fileURLToPath(import.meta.url), ["--publish"], { execArgv: ["--import", "tsx"] });
      const done = new Promise<Measured>((resolve, reject) => {
        child.once("message", (m) => resolve(m as Measured));
        child.once("exit", (code) => reject(new Error(`publisher exited with ${code}`)));
      });
      child.send({ url: fake.url, dir } satisfies Job);
      const measured = await done;
      const writes = fake.contentRequests;
      const refused = fake.requests.filter((r) => r.status === 403).length;
      return { n, writes, refused, ...measured };
    } finally {
      await fake.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number);
  let met = true;
  const rows: string[] = [];
  for (const n of sizes.length > 0 ? sizes : [3000, 30_000]) {
    const m = await measure(n);
    const budget = Math.ceil(n / 100) + 10;
    met &&= m.writes <= budget && m.refused === 0 && m.operation === "created";
    console.log(
      `${n} files: ${m.operation}, ${m.writes} content-creating requests (budget ${budget}), ${m.refused} answered 403, ` +
        `wall ${(m.wallMs / 1000).toFixed(1)} s on the 100× clock (write pacing on GitHub: ${m.writes} s), peak RSS ${m.peakRssMb.toFixed(0)} MB`,
    );
    rows.push(`${n}: ${m.writes} writes, ${m.peakRssMb.toFixed(0)} MB`);
  }
  emitResult({
    name: "publishing changed recordings through the limit-enforcing fake GitHub",
    measured: rows.join("; "),
    target: "<= ceil(N / 100) + 10 writes, no 403",
    met,
    detail: `files of ${FILE_BYTES} bytes; 80 writes/min and 500/h enforced`,
  });
}

await (process.argv.includes("--publish") ? publishInChild() : main());
