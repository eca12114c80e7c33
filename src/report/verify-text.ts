// The terminal report of `verify`: a table of the files with problems, then one summary line;
// and its warnings (paths that held no recording), which go to stderr.

import { logText } from "./untrusted-text.ts";
import type { VerifyReport } from "./verify-report.ts";

export function formatVerifyWarnings(report: VerifyReport): string {
  return report.problems
    .map((problem) => `warning: ${logText(problem.path)}: ${logText(problem.message)}\n`)
    .join("");
}

export function formatVerifyText(report: VerifyReport): string {
  const { summary } = report;
  const lines: string[] = [];
  const problems = report.results.filter(
    (r) => !r.valid || r.roundTrip === "different" || r.hash === "mismatch" || r.secrets.length > 0,
  );
  if (problems.length > 0) {
    lines.push("", "| file | kind | problem |", "| --- | --- | --- |");
    for (const r of problems) {
      const what = !r.valid
        ? r.errors.join("; ")
        : [
            r.roundTrip === "different" ? "round trip differs from the file's bytes" : null,
            r.hash === "mismatch" ? "file name is not the hash of its request" : null,
            ...r.secrets.map((s) => `credential-looking string (${s.kind}, ${s.hint}) at ${s.path}`),
          ]
            .filter(Boolean)
            .join("; ");
      lines.push(`| ${logText(r.file)} | ${r.kind ?? "-"} | ${logText(what).replaceAll("|", "\\|")} |`);
    }
    lines.push("");
  }
  lines.push(
    `verify: ${summary.total} files, ${summary.valid} valid, ${summary.invalid} invalid, ` +
      `${summary.roundTripIdentical} round trip identical, ${summary.hashMismatch} hash mismatch` +
      (summary.withSecrets > 0 ? `, ${summary.withSecrets} with credential-looking strings` : "") +
      (summary.failed > 0 ? `; ${summary.failed} fail verification` : ""),
  );
  return `${lines.join("\n")}\n`;
}
