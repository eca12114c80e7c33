// The Markdown report a reviewer reads: the summary table, then each drifted or failed
// recording with its test id, model, reasons and a word diff. Used for pull request bodies,
// job summaries and `--markdown`.
import { type CheckReport, type CheckResult, VERDICTS } from "./check-report.ts";
import { formatReRecord } from "./re-record-section.ts";
import { formatRejected } from "./rejected-section.ts";
import { markdownCode, markdownText } from "./untrusted-text.ts";
import { renderWordDiff } from "./word-diff.ts";

export interface MarkdownOptions {
  title?: string;
  /** Show at most this many drifted/failed recordings in detail (the rest are listed by name). */
  maxDetails?: number;
}

export function formatMarkdown(report: CheckReport, options: MarkdownOptions = {}): string {
  const { summary } = report;
  const out: string[] = [`## ${markdownText(options.title ?? "recording-drift report")}`, ""];
  out.push(`| ${["total", ...VERDICTS].join(" | ")} |`, `|${" ---: |".repeat(VERDICTS.length + 1)}`);
  out.push(`| ${[summary.total, ...VERDICTS.map((v) => summary[v])].join(" | ")} |`, "");

  out.push(...formatWritten(report.results));

  out.push(...formatProblems(report.results, options.maxDetails ?? 200));
  out.push(...formatRejected(report.results, options.maxDetails ?? 200));
  out.push(...formatUnreachable(report.results, options.maxDetails ?? 200));
  out.push(...formatReRecord(report.results, options.maxDetails ?? 200));

  const detailed = report.results.filter((r) => r.verdict === "drifted" || r.verdict === "failed");
  const maxDetails = options.maxDetails ?? 200;
  for (const verdict of ["drifted", "failed"] as const) {
    const group = detailed.filter((r) => r.verdict === verdict);
    if (group.length === 0) continue;
    out.push(`### ${verdict === "drifted" ? "Drifted" : "Could not check"} (${group.length})`, "");
    for (const result of group.slice(0, maxDetails)) out.push(...formatDetail(result), "");
    if (group.length > maxDetails) {
      out.push(`… and ${group.length - maxDetails} more ${verdict} recordings (see the JSON report).`, "");
    }
  }
  const minor = report.results.filter((r) => r.verdict === "minor");
  if (minor.length > 0) {
    out.push(`<details><summary>Minor changes (${minor.length})</summary>`, "");
    for (const result of minor.slice(0, maxDetails)) {
      out.push(`- ${markdownCode(result.file)}: ${result.reasons.map(markdownText).join("; ")}`);
    }
    out.push("", "</details>", "");
  }
  out.push(...formatRun(report));
  return `${out.join("\n").trimEnd()}\n`;
}

/** Where each provider's requests went (never a key), and warnings about the run. */
function formatRun(report: CheckReport): string[] {
  const out: string[] = [];
  for (const warning of report.warnings ?? []) out.push(`> **Warning:** ${markdownText(warning)}`, "");
  const providers = report.providers ?? [];
  if (providers.length > 0) {
    out.push(`<details><summary>Providers (${providers.length})</summary>`, "");
    for (const { host, sentTo } of providers) {
      out.push(`- ${markdownText(host)} → ${sentTo.map(markdownText).join(", ")}`);
    }
    out.push("", "</details>", "");
  }
  return out;
}

/** What the refresh wrote: rewritten files, those under a new name (the old one gone), deletions. */
function formatWritten(results: readonly CheckResult[]): string[] {
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
  const refreshed = results.filter((r) => r.refreshed).length;
  const renamed = results.filter((r) => r.refreshed && r.renamedFrom).length;
  const removed = results.filter((r) => r.removed).length;
  const parts = [
    refreshed > 0 &&
      `Refreshed ${plural(refreshed, "recording")}${renamed > 0 ? ` (${renamed} under a new name, the old file removed)` : ""}.`,
    removed > 0 && `Removed ${plural(removed, "recording")}.`,
  ].filter(Boolean);
  return parts.length > 0 ? [parts.join(" "), ""] : [];
}

/** Files with problems of their own (`diff`): broken or unsafe ones first. */
function formatProblems(results: readonly CheckResult[], maxDetails: number): string[] {
  const lines = results.flatMap((result) =>
    (result.problems ?? []).map((p) => ({
      p,
      text: `- ${p.severity === "error" ? "❌" : "⚠️"} ${markdownCode(result.file)} line ${p.line}: ${markdownText(p.message)}`,
    })),
  );
  if (lines.length === 0) return [];
  lines.sort((a, b) => (a.p.severity === b.p.severity ? 0 : a.p.severity === "error" ? -1 : 1));
  const out = [`### Problems (${lines.length})`, "", ...lines.slice(0, maxDetails).map((l) => l.text)];
  if (lines.length > maxDetails) out.push(`- … and ${lines.length - maxDetails} more (see the JSON report).`);
  return [...out, ""];
}

/** Recordings no test can find: one group, since one cause (a hand edit, an old rule) explains them. */
function formatUnreachable(results: readonly CheckResult[], maxDetails: number): string[] {
  const unreachable = results.filter((r) => r.unreachable);
  if (unreachable.length === 0) return [];
  const removed = unreachable.filter((r) => r.removed).length;
  const out = [
    `### Unreachable (${unreachable.length})`,
    "",
    "Their file name is not their request's hash, so their tests can never find them: skipped, " +
      (removed > 0
        ? `and ${removed} deleted by --prune-unreachable.`
        : "no request spent. `refresh --prune-unreachable` deletes them."),
    "",
    ...unreachable
      .slice(0, maxDetails)
      .map((r) => `- ${markdownText(r.file)}${r.removed ? " (deleted)" : ""}`),
  ];
  if (unreachable.length > maxDetails)
    out.push(`- … and ${unreachable.length - maxDetails} more (see the JSON report).`);
  return [...out, ""];
}

function formatDetail(result: CheckResult): string[] {
  const lines = [`#### ${markdownCode(result.file)}${result.refreshed ? " (refreshed)" : ""}`, ""];
  if (result.renamedFrom) lines.push(`- renamed from ${markdownText(result.renamedFrom)}`);
  if (result.testId) lines.push(`- test: ${markdownCode(result.testId)}`);
  const where = [
    result.model && `model ${markdownCode(result.model)}`,
    result.provider && `provider ${markdownCode(result.provider)}`,
  ]
    .filter(Boolean)
    .join(", ");
  if (where) lines.push(`- ${where}`);
  for (const reason of result.reasons) lines.push(`- ${markdownText(reason)}`);
  if (result.downstream && !result.refreshed) {
    lines.push(
      `- stale with it (later requests of its test embed this answer): ${result.downstream.map(markdownText).join(", ")}`,
    );
  }
  if (result.nondeterministic) {
    const n = result.nondeterministic;
    const spread =
      n.minSimilarity === null ? "" : `, lowest similarity between samples ${n.minSimilarity.toFixed(2)}`;
    lines.push(
      `- nondeterministic: ${n.samples} samples disagreed (${n.varied.map(markdownText).join(", ")}${spread}); judged on the closest`,
    );
  } else if (result.consistent) {
    lines.push("- consistent: every live sample gave the same answer");
  }
  if (result.diff?.some((run) => run.op !== "equal")) lines.push("", `> ${renderWordDiff(result.diff)}`);
  return lines;
}
