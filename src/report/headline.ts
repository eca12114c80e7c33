// The top of the report: one line with a status mark and what to do, what the run wrote, then
// the counts table (only the verdicts that occur, plus the total).
import type { PhrasingContent, RootContent, Table, TableRow } from "mdast";
import { countOfKind, kindCounts } from "./change-kinds.ts";
import { type CheckReport, type CheckResult, isBlocking, summarize, VERDICTS } from "./check-report.ts";
import { failureCause, groupByCause } from "./failure-causes.ts";
import { count, counted, paragraph, strong, text } from "./report-section.ts";
import { runHealth } from "./run-health.ts";

export interface HeadlineOptions {
  /** The report is of something a reviewer merges (a refresh or a pull request): say so. */
  merging?: boolean;
  /** `runHealth`'s share of failed recordings above which the run counts as empty. */
  maxFailedShare?: number;
  /** The report is of the files alone (`verify`): no answer was replayed, so none drifted. */
  filesOnly?: boolean;
}

/** `3 recordings drifted (2 tool calls, 1 answer)`. */
function driftedWords(drifted: readonly CheckResult[]): string {
  const kinds = kindCounts(drifted).map(([kind, n]) => countOfKind(kind, n));
  return `${counted(drifted.length, "recording")} drifted (${kinds.join(", ")})`;
}

/** `Ollama unreachable`: the two largest causes, and how many others. */
function failureWords(failed: readonly CheckResult[]): string {
  const shorts = [...new Set(groupByCause(failed, failureCause).map((c) => c.short))];
  const others = shorts.length - 2;
  return `${shorts.slice(0, 2).join(", ")}${others > 0 ? ` and ${count(others)} more` : ""}`;
}

export function headline(report: CheckReport, options: HeadlineOptions = {}): RootContent[] {
  const { summary, results } = report;
  const drifted = results.filter((r) => r.verdict === "drifted");
  const failed = results.filter((r) => r.verdict === "failed" && !(r.problems ?? []).length);
  const broken = results.filter((r) => r.problems?.some(isBlocking)).length;
  const reRecord = results.filter((r) => r.needsReRecord !== undefined).length;
  // Files with problems of their own (`verify`, `diff`) are judged as files, not as answers.
  const judged = results.filter((r) => !(r.problems ?? []).length);
  const health = runHealth(summarize(judged), options.maxFailedShare);
  // No recordings at all: nothing checked, unless it is a change that touched none.
  const empty = judged.length > 0 ? health.empty : summary.total === 0 && !options.merging;

  const rest: string[] = [];
  let lead: [string, string];
  if (empty) {
    lead = [
      "❌ ",
      health.checked === 0
        ? "Nothing could be checked"
        : `Most recordings could not be checked: ${count(failed.length)} of ${count(health.attempted)} failed`,
    ];
  } else if (broken > 0) {
    lead = [
      "❌ ",
      `${counted(broken, "recording")} broken or unsafe: fix ${options.merging ? "before merging" : "them"}`,
    ];
  } else if (drifted.length > 0) {
    lead = ["⚠️ ", driftedWords(drifted)];
  } else if (summary.rejected > 0 || reRecord > 0) {
    lead = ["⚠️ ", "Recordings need a look"];
  } else {
    lead = [
      "✅ ",
      options.filesOnly
        ? "Every recording valid"
        : options.merging
          ? "Nothing needs a look: merge"
          : "No drift",
    ];
  }
  if (drifted.length > 0 && !lead[1].includes("drifted")) rest.push(driftedWords(drifted));
  if (summary.rejected > 0) rest.push(`${count(summary.rejected)} now rejected`);
  if (reRecord > 0) rest.push(`${counted(reRecord, "recording")} to re-record`);
  if (summary.nondeterministic > 0) rest.push(`${count(summary.nondeterministic)} nondeterministic`);
  if (summary.minor > 0) rest.push(`${count(summary.minor)} minor`);
  if (summary.unchanged > 0)
    rest.push(`${count(summary.unchanged)} ${options.filesOnly ? "valid" : "unchanged"}`);
  if (failed.length > 0) {
    const label = empty ? "failed" : "could not be checked";
    rest.push(`${count(failed.length)} ${label}: ${failureWords(failed)}`);
  }
  if (summary.skipped > 0) rest.push(`${count(summary.skipped)} skipped`);
  if (summary.total === 0) rest.push("no recordings");
  const line: PhrasingContent[] = [text(lead[0]), strong(lead[1])];
  if (rest.length > 0) line.push(text(` · ${rest.join(" · ")}`));
  if (drifted.length > 0 && !options.merging) line.push(text(" — review the drifted recordings below"));
  if (drifted.length > 0 && options.merging)
    line.push(text(" — look at the drifted recordings before merging"));

  const nodes: RootContent[] = [paragraph(...line)];
  const written = writtenWords(results);
  if (written) nodes.push(paragraph(text(written)));
  nodes.push(countsTable(report));
  return nodes;
}

/** The verdicts that occur and the total, as a one-row table. */
function countsTable(report: CheckReport): Table {
  const { summary } = report;
  const shown = VERDICTS.filter((verdict) => summary[verdict] > 0);
  const row = (cells: string[]): TableRow => ({
    type: "tableRow",
    children: cells.map((cell) => ({ type: "tableCell", children: [text(cell)] })),
  });
  return {
    type: "table",
    align: [...shown, "total"].map(() => "right"),
    children: [
      row([...shown, "total"]),
      row([...shown.map((verdict) => count(summary[verdict])), count(summary.total)]),
    ],
  };
}

/** What the refresh wrote: rewritten files, those under a new name (the old one gone), deletions. */
function writtenWords(results: readonly CheckResult[]): string | null {
  const refreshed = results.filter((r) => r.refreshed).length;
  const renamed = results.filter((r) => r.refreshed && r.renamedFrom).length;
  const removed = results.filter((r) => r.removed).length;
  const parts = [
    refreshed > 0 &&
      `Refreshed ${counted(refreshed, "recording")}${renamed > 0 ? ` (${count(renamed)} under a new name, the old file removed)` : ""}.`,
    removed > 0 && `Removed ${counted(removed, "recording")}.`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(" ") : null;
}
