// The one line each benchmark ends with, for `npm run bench` (bench/all.ts) to gather into its
// table: `BENCH_RESULT {json}` on stdout. The human-readable lines above it stay as they were.

export interface BenchResult {
  /** The row's name in the table. */
  name: string;
  /** The measured figure, as shown (e.g. "2.41", "96.3 %"). */
  measured: string;
  /** The target, as shown (e.g. "<= 3"). */
  target: string;
  /** Whether the target is met; null when there is no target (a measurement only). */
  met: boolean | null;
  /** What else the table should say (sizes, counts). */
  detail?: string;
}

export const RESULT_PREFIX = "BENCH_RESULT ";

export function emitResult(result: BenchResult): void {
  console.log(`${RESULT_PREFIX}${JSON.stringify(result)}`);
}
