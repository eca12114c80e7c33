// Spreads `verify`'s files over worker threads, one per core: parsing, validating, writing back
// and hashing 3,000 recordings is CPU work that one thread does at ~7x the cost of JSON.parse.
// Batches are handed out as workers finish, so one slow file does not hold up a whole share.
import { existsSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { VerifyResult } from "./verify.ts";
import type { VerifyBatch } from "./verify-worker.ts";

const BATCH = 64;
/** Below this many files a worker's start-up costs more than it saves. */
const MIN_FILES = 256;

/**
 * Results in the order of `files`, or null when workers are not worth it or not available (one
 * core, few files, or no worker script beside this module, as when a test imports the source).
 */
export async function verifyInWorkers(
  files: ReadonlyArray<{ file: string; shownAs: string }>,
): Promise<VerifyResult[] | null> {
  const count = Math.min(os.availableParallelism(), 4, Math.ceil(files.length / BATCH));
  const script = workerScript();
  if (count < 2 || files.length < MIN_FILES || script === null) return null;
  const workers = pool(count, script);
  const results: VerifyResult[] = new Array(files.length);
  let next = 0;
  const runWorker = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      let start = 0;
      const done = (error?: unknown) => {
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.unref();
        if (error === undefined) resolve();
        else reject(error);
      };
      const send = () => {
        if (next >= files.length) return done();
        start = next;
        next = Math.min(next + BATCH, files.length);
        worker.postMessage({ files: files.slice(start, next) } satisfies VerifyBatch);
      };
      const onMessage = (batch: VerifyResult[]) => {
        batch.forEach((result, i) => {
          results[start + i] = result;
        });
        send();
      };
      const onError = (error: unknown) => {
        workersByScript.delete(script.url.href);
        done(error);
      };
      // Referenced while it works for us, so the process waits for its answers.
      worker.ref();
      worker.on("message", onMessage);
      worker.on("error", onError);
      send();
    });
  await Promise.all(workers.map(runWorker));
  return results;
}

/**
 * Workers are started once per process and kept, unreferenced between runs so that an idle one
 * never keeps the process alive: a worker's start-up (loading the bundle) is paid once.
 */
const workersByScript = new Map<string, Worker[]>();

function pool(count: number, script: { url: URL; fromSource: boolean }): Worker[] {
  const workers = workersByScript.get(script.url.href) ?? [];
  while (workers.length < count) {
    const worker = script.fromSource
      ? // Run from source (tests, benchmarks): register tsx inside the worker, then load the entry.
        new Worker(
          `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(script.url.href)}); })`,
          { eval: true },
        )
      : new Worker(script.url);
    worker.unref();
    workers.push(worker);
  }
  workersByScript.set(script.url.href, workers);
  return workers.slice(0, count);
}

/** The worker script: the bundle's `verify-worker.js` beside this bundle, or the source file. */
function workerScript(): { url: URL; fromSource: boolean } | null {
  const fromSource = import.meta.url.endsWith(".ts");
  const url = new URL(fromSource ? "./verify-worker.ts" : "./verify-worker.js", import.meta.url);
  return existsSync(fileURLToPath(url)) ? { url, fromSource } : null;
}
