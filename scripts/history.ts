// The judgement measured against llama-stack's real re-record history (not part of `npm test`:
// it needs ../shared). HISTORY_DIR holds one folder per commit, `<date>-<sha>/{before,after}/`,
// and `labels.json`, a reviewer's verdict on each changed file (see its README).
//
//   npm run history -- HISTORY_DIR [--list] [--only diff|future]
//
// 1. diff: each commit becomes a temporary git repository (`before/` committed, then `after/`),
//    and `diff --base HEAD^` runs over it, as the pull-request check would.
// 2. future: each `after/` answer is served by the simulator for its `before/` request, and
//    `check` judges it against `before/`: what a nightly run would have said that day.
// Each prints a confusion table (flagged = `drifted`) per category and meaningful, and with
// `--list` every false alarm and miss with its reasons.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { check } from "../src/commands/check.ts";
import { diff } from "../src/commands/diff.ts";
import { defaultConfig } from "../src/config.ts";
import { expectedFileName } from "../src/recording/file-name.ts";
import { readRecording } from "../src/recording/recording.ts";
import type { CheckResult } from "../src/report/check-report.ts";
import { roundsByWireRequest, simulatorCheckOptions } from "../test/support/check-setup.ts";
import { startSimulator } from "../test/support/simulator.ts";

interface Label {
  dir: string;
  path: string;
  category: string;
  meaningful: boolean;
  note: string;
}

const args = process.argv.slice(2);
const historyDir = args.find((a) => !a.startsWith("--"));
const list = args.includes("--list");
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : null;
if (!historyDir) {
  console.error("usage: npm run history -- HISTORY_DIR [--list] [--only diff|future]");
  process.exit(2);
}
const labels = JSON.parse(readFileSync(path.join(historyDir, "labels.json"), "utf8")) as Label[];
const commits = [...new Set(labels.map((l) => l.dir))].sort();

function git(cwd: string, ...gitArgs: string[]): void {
  execFileSync("git", gitArgs, { cwd, stdio: "ignore" });
}

async function diffRun(): Promise<Map<Label, CheckResult | null>> {
  const out = new Map<Label, CheckResult | null>();
  for (const commit of commits) {
    const repo = mkdtempSync(path.join(os.tmpdir(), "recording-drift-history-"));
    try {
      git(repo, "init", "-q");
      git(repo, "config", "user.email", "history@example.invalid");
      git(repo, "config", "user.name", "history");
      cpSync(path.join(historyDir as string, commit, "before"), repo, { recursive: true });
      git(repo, "add", "-A");
      git(repo, "commit", "-q", "-m", "before");
      cpSync(path.join(historyDir as string, commit, "after"), repo, { recursive: true });
      git(repo, "add", "-A");
      git(repo, "commit", "-q", "-m", "after");
      const report = await diff({
        base: "HEAD^",
        paths: ["."],
        cwd: repo,
        config: defaultConfig(),
        threshold: null,
      });
      const byFile = new Map(report.results.map((r) => [r.file, r]));
      for (const label of labels.filter((l) => l.dir === commit))
        out.set(label, byFile.get(label.path) ?? null);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  }
  return out;
}

/** Each `after/` answer served for its `before/` request; `check` judges it against `before/`. */
async function futureRun(): Promise<Map<Label, CheckResult | null>> {
  const out = new Map<Label, CheckResult | null>();
  const work = mkdtempSync(path.join(os.tmpdir(), "recording-drift-future-"));
  try {
    for (const commit of commits) {
      const served: Array<{ file: string; json: { request?: unknown } }> = [];
      const byFile = new Map<string, Label>();
      for (const label of labels.filter((l) => l.dir === commit)) {
        const beforeText = readFileSync(
          path.join(historyDir as string, commit, "before", label.path),
          "utf8",
        );
        const afterText = readFileSync(path.join(historyDir as string, commit, "after", label.path), "utf8");
        const before = readRecording(beforeText, label.path);
        const after = readRecording(afterText, label.path);
        if (!before.ok || !after.ok || before.recording.replay === null) continue;
        if (after.recording.replay !== before.recording.replay) continue;
        // Under the name today's recorder gives it: an older name would make it unreachable, and
        // check would skip it (the judgement is what is measured here, not the file's name).
        const name = expectedFileName(before.recording) ?? path.basename(label.path);
        const file = path.join(commit, path.dirname(label.path), name);
        mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
        writeFileSync(path.join(work, file), beforeText);
        const json = { ...JSON.parse(beforeText), response: JSON.parse(afterText).response } as {
          request?: unknown;
        };
        served.push({ file, json });
        byFile.set(file, label);
      }
      // A provider answers a request one way: one served answer per wire request and round.
      for (const round of roundsByWireRequest(served)) {
        const sim = await startSimulator({ recordings: round, seed: 11, liveify: true });
        try {
          const paths = round.map((s) => path.join(work, s.file));
          const report = await check(simulatorCheckOptions(sim, round, paths, work));
          for (const result of report.results) {
            const label = byFile.get(result.file);
            if (label) out.set(label, result);
          }
        } finally {
          await sim.close();
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}

function table(name: string, results: Map<Label, CheckResult | null>, skipRequestChanges = false): void {
  if (skipRequestChanges) {
    // check sends the stored request, so a change of request is not its to see.
    const requestChanges = [...results.keys()].filter((l) => l.category === "request-changed");
    for (const label of requestChanges) results.delete(label);
    console.log(
      `\n(${requestChanges.length} request-changed pairs left out: check replays the stored request)`,
    );
  }
  const rows = new Map<string, { n: number; flagged: number; verdicts: Map<string, number> }>();
  const falseAlarms: string[] = [];
  const misses: string[] = [];
  for (const [label, result] of results) {
    const key = `${label.category} ${label.meaningful ? "meaningful" : "not meaningful"}`;
    const row = rows.get(key) ?? { n: 0, flagged: 0, verdicts: new Map() };
    rows.set(key, row);
    row.n++;
    const verdict = result?.verdict ?? "not reported";
    row.verdicts.set(verdict, (row.verdicts.get(verdict) ?? 0) + 1);
    const flagged = verdict === "drifted";
    if (flagged) row.flagged++;
    const line = `  ${label.dir} ${label.path.split("/").pop()} [${label.category}] ${verdict}: ${(result?.reasons ?? []).join("; ").slice(0, 300)}\n      label: ${label.note}`;
    if (flagged && !label.meaningful) falseAlarms.push(line);
    if (!flagged && label.meaningful) misses.push(line);
  }
  console.log(`\n## ${name}: ${results.size} labelled changes`);
  console.log("category                           n  flagged  verdicts");
  for (const [key, row] of [...rows].sort()) {
    const verdicts = [...row.verdicts].map(([v, n]) => `${v} ${n}`).join(", ");
    console.log(
      `${key.padEnd(34)} ${String(row.n).padStart(3)}  ${String(row.flagged).padStart(7)}  ${verdicts}`,
    );
  }
  const notMeaningful = [...results.keys()].filter((l) => !l.meaningful).length;
  const meaningful = results.size - notMeaningful;
  console.log(
    `false alarms: ${falseAlarms.length} of ${notMeaningful} not meaningful (${((100 * falseAlarms.length) / Math.max(1, notMeaningful)).toFixed(1)} %); misses: ${misses.length} of ${meaningful} meaningful`,
  );
  if (list) {
    if (falseAlarms.length) console.log(`false alarms:\n${falseAlarms.join("\n")}`);
    if (misses.length) console.log(`misses:\n${misses.join("\n")}`);
  }
}

if (only !== "future") table("diff --base (pull-request check)", await diffRun());
if (only !== "diff") table("future answer served to check (nightly run)", await futureRun(), true);
