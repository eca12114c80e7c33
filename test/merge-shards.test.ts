// Three shards of the fixtures, each run as its own `check`/`refresh` writing its JSON report
// (as the jobs of a matrix do), merged: the same summary and the same result per file as one
// unsharded run over the same recordings against the same provider.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { mergeReportFiles } from "../src/commands/merge.ts";
import { parseReplayOptions } from "../src/commands/options.ts";
import { runReplay } from "../src/commands/run-replay.ts";
import type { CheckReport } from "../src/report/check-report.ts";
import { type CheckSetup, listJson, setupCheck } from "./support/check-setup.ts";
import { TEST_ENV } from "./support/simulator/replay-setup.ts";
import { makeTempDir } from "./support/temp-dir.ts";

type Json = Record<string, unknown>;
const CHAT = "007a9180a7aa"; // Ollama chat
const OPENAI_STREAM = "224f7e7bd332";
const EMBEDDINGS = "050f63320eee";

let setup: CheckSetup;
const out = makeTempDir("recording-drift-merge-");

/** One job: `command` over the fixtures, optionally one shard, its JSON report written. */
async function runJob(command: "check" | "refresh", json: string, shard?: string): Promise<CheckReport> {
  const options = parseReplayOptions({
    paths: [setup.dir],
    providers: setup.options.providerOverrides,
    json,
    shard,
    update: "drifted",
  });
  const outcome = await runReplay(command, options, { cwd: setup.dir, env: TEST_ENV, log: () => {} });
  return outcome.report;
}

beforeAll(async () => {
  setup = await setupCheck();
  const named = (prefix: string) => (file: string) => path.basename(file).startsWith(prefix);
  setup.sim.mutate(named(CHAT), (data) => {
    const [choice] = (data as Json).choices as Json[];
    (choice?.message as Json).content = "Something else entirely.";
    return data;
  });
  setup.sim.mutate(named(EMBEDDINGS), (data) => {
    const [first] = (data as { data: Array<{ embedding: number[] }> }).data;
    first?.embedding.reverse();
    return data;
  });
  setup.sim.fault({ kind: "status", status: 500 }, { recording: named(OPENAI_STREAM) });
});

describe("3 shards merged", () => {
  it("equal one unsharded run: summary, and every result file by file", async () => {
    const whole = await runJob("check", path.join(out, "whole.json"));
    const reports = [];
    for (let k = 1; k <= 3; k++) {
      const file = path.join(out, `check-${k}.json`);
      const shard = await runJob("check", file, `${k}/3`);
      expect(JSON.parse(readFileSync(file, "utf8")).shard).toBe(`${k}/3`);
      expect(shard.summary.total).toBeGreaterThan(0);
      expect(shard.summary.total).toBeLessThan(whole.summary.total);
      reports.push(file);
    }
    const merged = await mergeReportFiles(reports, out);

    expect(whole.summary.drifted).toBeGreaterThanOrEqual(2);
    expect(whole.summary.failed).toBeGreaterThanOrEqual(1);
    expect(merged.summary).toEqual(whole.summary);
    expect(merged.results.map((r) => [r.file, r.verdict])).toEqual(
      whole.results.map((r) => [r.file, r.verdict]),
    );
    // What was ignored as noise is what each run's live answers happened to be (the simulator's
    // fresh ids and stream cuts depend on the order requests reach it), not a result.
    const judged = (report: CheckReport) => report.results.map(({ ignoredNoise: _, ...result }) => result);
    expect(judged(merged)).toEqual(judged(whole));
    // The unsharded JSON report has no shard; the merged one neither.
    expect(JSON.parse(readFileSync(path.join(out, "whole.json"), "utf8")).shard).toBeUndefined();
  });

  it("refresh: the shards together rewrite exactly what one unsharded refresh rewrites", async () => {
    const refreshed = (report: CheckReport) => report.results.filter((r) => r.refreshed).map((r) => r.file);
    const stored = new Map(
      listJson(setup.dir).map((f) => [f, readFileSync(path.join(setup.dir, f), "utf8")]),
    );
    const reports = [];
    for (let k = 1; k <= 3; k++) {
      const file = path.join(out, `refresh-${k}.json`);
      await runJob("refresh", file, `${k}/3`);
      reports.push(file);
    }
    const merged = await mergeReportFiles(reports, out);
    // A fresh checkout for the unsharded run: the shards rewrote theirs.
    for (const [file, text] of stored) writeFileSync(path.join(setup.dir, file), text);
    const whole = await runJob("refresh", path.join(out, "refresh-whole.json"));
    expect(refreshed(merged)).toEqual(refreshed(whole));
    expect(refreshed(merged).length).toBeGreaterThanOrEqual(2);
    expect(merged.summary).toEqual(whole.summary);
  });
});
