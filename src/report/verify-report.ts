// What `verify` reports per file and in all: the shape of its JSON report.
import type { HashResult } from "../recording/file-name.ts";
import type { FindProblem } from "../recording/files.ts";
import type { RecordingKind } from "../recording/schema.ts";
import type { SecretFinding } from "../recording/secret-scan.ts";

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
    /** Files that fail verification: invalid, misnamed or holding credential-looking strings. */
    failed: number;
  };
  results: VerifyResult[];
  /** Paths or patterns that yielded no file, or directories that could not be read. */
  problems: FindProblem[];
}

/**
 * Whether a file fails verification. A misnamed file fails too: no test can find it, so its test
 * either fails on replay or the file is dead weight (`refresh --prune-unreachable` removes it).
 * Round-trip differences are worth a look only (a warning).
 */
export function failsVerification(result: VerifyResult): boolean {
  return !result.valid || result.hash === "mismatch" || result.secrets.length > 0;
}
