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
  };
  results: VerifyResult[];
  /** Paths or patterns that yielded no file, or directories that could not be read. */
  problems: FindProblem[];
}
