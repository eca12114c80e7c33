// A run of thousands of recordings made from a few dozen real results: each clone keeps a real
// result's verdict, reasons, diff, model and provider, under a file name and test id of its own.
// Replaying 3,000 recordings would make a snapshot test slow; cloning keeps the report's shape
// (groups, counts, sizes) real at a fraction of the time.
import { createHash } from "node:crypto";
import type { CheckResult } from "../../src/report/check-report.ts";

/** How many results of a kind the run holds: the real ones first, then clones of them. */
export interface CloneQuota {
  /** Which real results are templates for this kind. */
  of: (result: CheckResult) => boolean;
  count: number;
}

/**
 * The real results each quota selects, cycled and cloned until the quota is met (a quota smaller
 * than its real results keeps the first ones). Results no quota selects are dropped.
 */
export function cloneResults(real: readonly CheckResult[], quotas: readonly CloneQuota[]): CheckResult[] {
  const taken = new Set<CheckResult>();
  const out: CheckResult[] = [];
  for (const quota of quotas) {
    const templates = real.filter((r) => !taken.has(r) && quota.of(r));
    if (templates.length === 0) throw new Error(`no real result for a quota of ${quota.count}`);
    for (const t of templates) taken.add(t);
    for (let i = 0; i < quota.count; i++) {
      const template = templates[i % templates.length] as CheckResult;
      const copy = Math.floor(i / templates.length);
      out.push(copy === 0 ? template : cloneResult(template, copy));
    }
  }
  return out;
}

/**
 * The result under new file names (each hex part replaced the same way wherever it appears, so a
 * rename keeps its request hash) and a test id with a parameter of its own.
 */
function cloneResult(result: CheckResult, copy: number): CheckResult {
  const rename = (file: string) => {
    const slash = file.lastIndexOf("/") + 1;
    const name = file
      .slice(slash)
      .replace(/[0-9a-f]{8,}/g, (hex) =>
        createHash("sha512").update(`${hex}#${copy}`).digest("hex").slice(0, hex.length),
      );
    return file.slice(0, slash) + name;
  };
  const testId =
    result.testId === null
      ? null
      : /\]$/.test(result.testId)
        ? result.testId.replace(/\]$/, `-${copy}]`)
        : `${result.testId}[${copy}]`;
  return {
    ...result,
    file: rename(result.file),
    testId,
    ...(result.renamedFrom && { renamedFrom: rename(result.renamedFrom) }),
    ...(result.downstream && { downstream: result.downstream.map(rename) }),
  };
}
