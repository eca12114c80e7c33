// `recording-drift verify`: is every recording valid, does it round-trip byte for byte through
// our reader and Python-identical writer, and is its file name still its request hash.
import path from "node:path";
import pLimit from "p-limit";
import { checkFileName } from "../recording/file-name.ts";
import { errorMessage, findRecordingFiles, readText, toPosix } from "../recording/files.ts";
import { readRecording } from "../recording/recording.ts";
import { scanSecrets } from "../recording/secret-scan.ts";
import { writeRecordingText } from "../recording/write-recording.ts";
import { failsVerification, type VerifyReport, type VerifyResult } from "../report/verify-report.ts";
import { verifyInWorkers } from "./verify-workers.ts";

export interface VerifyOptions {
  paths: string[];
  cwd: string;
  /** Spread large trees over worker threads (default true). */
  workers?: boolean;
}

/** Files read ahead while earlier ones are checked: disk time overlaps the CPU work. */
const READ_AHEAD = 8;

export async function verify(options: VerifyOptions): Promise<VerifyReport> {
  const { files, problems } = await findRecordingFiles(options.paths, options.cwd);
  const named = files.map((file) => ({ file, shownAs: toPosix(path.relative(options.cwd, file)) }));
  const limit = pLimit(READ_AHEAD);
  const results =
    (options.workers === false ? null : await verifyInWorkers(named)) ??
    (await Promise.all(named.map(({ file, shownAs }) => limit(() => verifyFile(file, shownAs)))));
  return { summary: summarize(results), results, problems };
}

export async function verifyFile(file: string, shownAs: string): Promise<VerifyResult> {
  let text: string;
  try {
    text = await readText(file);
  } catch (error) {
    return invalidResult(shownAs, [`cannot read: ${errorMessage(error)}`]);
  }
  return verifyText(text, file, shownAs);
}

/** The checks on a file's text: valid, round trip, hash, credentials. */
export function verifyText(text: string, file: string, shownAs: string): VerifyResult {
  if (text.length === 0) return invalidResult(shownAs, ["empty file"]);
  const read = readRecording(text, file);
  if (!read.ok) return invalidResult(shownAs, read.errors);
  const { recording } = read;
  return {
    file: shownAs,
    kind: recording.kind,
    valid: true,
    errors: [],
    roundTrip: writeRecordingText(recording.data) === text ? "identical" : "different",
    hash: checkFileName(recording, file),
    secrets: scanSecrets(recording.data),
  };
}

function invalidResult(file: string, errors: string[]): VerifyResult {
  return { file, kind: null, valid: false, errors, roundTrip: null, hash: "n/a", secrets: [] };
}

function summarize(results: readonly VerifyResult[]): VerifyReport["summary"] {
  const valid = results.filter((r) => r.valid).length;
  return {
    total: results.length,
    valid,
    invalid: results.length - valid,
    roundTripIdentical: results.filter((r) => r.roundTrip === "identical").length,
    hashMismatch: results.filter((r) => r.hash === "mismatch").length,
    withSecrets: results.filter((r) => r.secrets.length > 0).length,
    failed: results.filter(failsVerification).length,
  };
}

export type { VerifyReport, VerifyResult } from "../report/verify-report.ts";
