// A worker thread of `verify`: checks the batches of files the main thread sends it and sends
// back their results. One runs per core, so verifying a large tree uses the whole machine.
import { parentPort } from "node:worker_threads";
import pLimit from "p-limit";
import { type VerifyResult, verifyFile } from "./verify.ts";

export interface VerifyBatch {
  files: Array<{ file: string; shownAs: string }>;
}

const READ_AHEAD = 8;

parentPort?.on("message", async (batch: VerifyBatch) => {
  const limit = pLimit(READ_AHEAD);
  const results: VerifyResult[] = await Promise.all(
    batch.files.map(({ file, shownAs }) => limit(() => verifyFile(file, shownAs))),
  );
  parentPort?.postMessage(results);
});
