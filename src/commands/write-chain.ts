// Writing a refreshed chain as one: every new file is written before any old one is removed, and
// a failed write puts back the ones before it, so a test's chain is never left half-refreshed. A
// member whose bytes changed since they were read is not written over, nor is the rest of its chain.
import path from "node:path";
import type { Comparison } from "../compare/verdict.ts";
import { contentDigest, fileDigest, pathExists, readText, writeRefusal } from "../recording/files.ts";
import type { CheckResult } from "../report/check-report.ts";
import type { FileChanges } from "./refresh-journal.ts";

export interface PlannedWrite {
  file: string;
  target: string;
  text: string;
  /** The verdict of a rebuilt request's replay (the check pass judged the stored request). */
  comparison: Comparison | null;
  /** The sha256 of `file` as the refresh read it: it is written over only while it holds that. */
  digest: string;
}

/** A chain member edited on disk during the run (by hand, by another run): its chain is left alone. */
export class ChangedDuringRun extends Error {
  override name = "ChangedDuringRun";
  constructor(readonly file: string) {
    super(`${file} changed on disk during the run`);
  }
}

/** What changes in a chain member's result, keyed by its shown (old) path. */
export type ChainPatch = Partial<
  Pick<
    CheckResult,
    "file" | "refreshed" | "renamedFrom" | "verdict" | "similarity" | "reasons" | "changes" | "needsReRecord"
  >
> & {
  wouldWrite?: string;
  /** Said of every member when the chain was left as it was for a reason of this run's. */
  note?: string;
};

/**
 * Writes a chain's new files, then removes the files they replace. A write that fails undoes the
 * ones before it (new names deleted, rewritten files restored), so no chain is left half-refreshed.
 */
export async function writeChain(
  writes: readonly PlannedWrite[],
  options: { cwd: string; dryRun: boolean; changes: FileChanges },
  shown: (file: string) => string,
): Promise<Map<string, ChainPatch>> {
  const patches = new Map<string, ChainPatch>();
  const { changes } = options;
  for (const write of writes) {
    const refusal = await writeRefusal(write.file, options.cwd);
    if (refusal !== null) throw new Error(refusal);
    if ((await fileDigest(write.file)) !== write.digest) throw new ChangedDuringRun(write.file);
    if (write.target !== write.file && (await pathExists(write.target))) {
      throw new Error(
        `the new name of ${shown(write.file)}, ${path.basename(write.target)}, is taken by another file`,
      );
    }
  }
  for (const write of writes) {
    const patch: ChainPatch = write.comparison
      ? {
          verdict: write.comparison.verdict,
          similarity: write.comparison.similarity,
          reasons: [
            "request rebuilt from the refreshed answers before it in its test",
            ...write.comparison.reasons,
          ],
          changes: write.comparison.changes,
        }
      : {};
    patches.set(shown(write.file), options.dryRun ? { ...patch, wouldWrite: write.target } : patch);
  }
  if (options.dryRun) return patches;
  const undo: Array<() => Promise<void>> = [];
  try {
    for (const write of writes) {
      // Checked again as each is written: the writes before it took time.
      const before = await readText(write.file);
      if (contentDigest(before) !== write.digest) throw new ChangedDuringRun(write.file);
      if (write.target === write.file) {
        await changes.write(write.file, write.text);
        undo.push(() => changes.write(write.file, before));
      } else {
        await changes.write(write.target, write.text);
        undo.push(() => changes.remove(write.target));
      }
    }
  } catch (error) {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    throw error;
  }
  for (const write of writes) {
    const patch = patches.get(shown(write.file)) as ChainPatch;
    patch.refreshed = true;
    if (write.target !== write.file) {
      await changes.remove(write.file);
      patch.file = shown(write.target);
      patch.renamedFrom = shown(write.file);
    }
  }
  return patches;
}
