// `recording-drift refresh`: `check`, then rewrite each selected recording in place with the
// live answer, exactly as llama-stack's recorder would have written it. Only a completed
// replay is ever written, and every write is atomic: a file is old or new, never half-written.
import path from "node:path";
import { writeFileAtomic } from "../recording/files.ts";
import { writeRecordingText } from "../recording/write-recording.ts";
import { refreshRecording } from "../refresh/refresh-recording.ts";
import type { CheckReport } from "../report/check-report.ts";
import { type CheckOptions, check, type Judged } from "./check.ts";

export type UpdatePolicy = "drifted" | "changed" | "all";

export interface RefreshOptions extends Omit<CheckOptions, "onJudged"> {
  update: UpdatePolicy;
  /** List what would change and write nothing. */
  dryRun: boolean;
}

export function isSelected(verdict: Judged["comparison"]["verdict"], update: UpdatePolicy): boolean {
  if (verdict === "failed") return false;
  if (update === "all") return true;
  if (update === "changed") return verdict === "minor" || verdict === "drifted";
  return verdict === "drifted";
}

export async function refresh(options: RefreshOptions): Promise<CheckReport & { wouldRefresh: string[] }> {
  const wouldRefresh: string[] = [];
  const report = await check({
    ...options,
    onJudged: async ({ file, recording, live, comparison }) => {
      if (!isSelected(comparison.verdict, options.update)) return false;
      const text = writeRecordingText(refreshRecording(recording, live, path.basename(file)));
      if (options.dryRun) {
        wouldRefresh.push(file);
        return false;
      }
      await writeFileAtomic(file, text);
      return true;
    },
  });
  return { ...report, wouldRefresh: wouldRefresh.map((f) => path.relative(options.cwd, f)).sort() };
}
