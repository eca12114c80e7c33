// `recording-drift verify`: is every recording valid, does it round-trip byte for byte through
// our reader and Python-identical writer, and is its file name still its request hash.
import path from "node:path";
import { checkFileName, type HashResult } from "../recording/file-name.ts";
import { errorMessage, type FindProblem, findRecordingFiles, readText, toPosix } from "../recording/files.ts";
import { readRecording } from "../recording/recording.ts";
import type { RecordingKind } from "../recording/schema.ts";
import { type SecretFinding, scanSecretsInFile } from "../recording/secret-scan.ts";
import { writeRecordingText } from "../recording/write-recording.ts";

export interface VerifyOptions {
  paths: string[];
  cwd: string;
}

export interface VerifyResult {
  file: string;
  kind: RecordingKind | null;
  valid: boolean;
  errors: string[];
  roundTrip: "identical" | "different" | null;
  hash: HashResult;
  /** Credential-looking strings, by JSON path (the secret itself is never repeated). */
  secrets: SecretFinding[];
}

export interface VerifyReport {
  summary: {
    total: number;
    valid: number;
    invalid: number;
    roundTripIdentical: number;
    hashMismatch: number;
    /** Files with credential-looking strings. */
    withSecrets: number;
  };
  results: VerifyResult[];
  /** Paths or patterns that yielded no file, or directories that could not be read. */
  problems: FindProblem[];
}

export async function verify(options: VerifyOptions): Promise<VerifyReport> {
  const { files, problems } = await findRecordingFiles(options.paths, options.cwd);
  const results: VerifyResult[] = [];
  for (const file of files) results.push(await verifyFile(file, toPosix(path.relative(options.cwd, file))));
  return { summary: summarize(results), results, problems };
}

export async function verifyFile(file: string, shownAs: string): Promise<VerifyResult> {
  const invalid = (errors: string[]): VerifyResult => ({
    file: shownAs,
    kind: null,
    valid: false,
    errors,
    roundTrip: null,
    hash: "n/a",
    secrets: [],
  });
  let text: string;
  try {
    text = await readText(file);
  } catch (error) {
    return invalid([`cannot read: ${errorMessage(error)}`]);
  }
  if (text.length === 0) return invalid(["empty file"]);
  const read = readRecording(text, file);
  if (!read.ok) return invalid(read.errors);
  const { recording } = read;
  return {
    file: shownAs,
    kind: recording.kind,
    valid: true,
    errors: [],
    roundTrip: writeRecordingText(recording.data) === text ? "identical" : "different",
    hash: checkFileName(recording, file),
    secrets: scanSecretsInFile(text, recording.data),
  };
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
  };
}
