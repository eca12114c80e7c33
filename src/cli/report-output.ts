// What the report commands print on stdout: the report as terminal text, coloured when stdout is a
// terminal (NO_COLOR and --no-color turn colour off, FORCE_COLOR on), ending with the line on what
// was ignored as noise; or, with `--markdown -`, the Markdown report itself.
import type { CheckReport } from "../report/check-report.ts";
import { formatMarkdown, type MarkdownOptions } from "../report/markdown.ts";
import { reportTree } from "../report/report-tree.ts";
import { renderTerminal } from "../report/terminal-text.ts";
import type { CliIo, OptionSpec, RawOptions } from "./command-spec.ts";

export const MARKDOWN_REPORT: OptionSpec = {
  flags: "--markdown <file>",
  description: "write the Markdown report (-: to stdout, instead of the text report)",
};
export const NO_COLOR: OptionSpec = {
  flags: "--no-color",
  description: "no colour in the report, even on a terminal (as NO_COLOR does)",
};

/** How the report is printed, taken out of the raw options before the command sees them. */
export interface ReportOutput {
  /** `--markdown -`: Markdown on stdout rather than terminal text. */
  markdown: boolean;
  color: boolean;
}

/**
 * Splits the printing options from the command's: `--markdown -` is not a file to write, and
 * colour is the terminal's business, not the command's.
 */
export function reportOutput(raw: RawOptions, io: CliIo): { raw: RawOptions; output: ReportOutput } {
  const { color, ...rest } = raw;
  const markdown = rest.markdown === "-";
  if (markdown) delete rest.markdown;
  return { raw: rest, output: { markdown, color: colorWanted(io, color !== false) } };
}

/** `--no-color` and NO_COLOR (any value) win; then FORCE_COLOR; else whether stdout is a terminal. */
function colorWanted(io: CliIo, allowed: boolean): boolean {
  if (!allowed || io.env.NO_COLOR !== undefined) return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  return io.terminal.stdout;
}

export function printReport(
  io: CliIo,
  report: CheckReport,
  output: ReportOutput,
  options: MarkdownOptions = {},
): void {
  if (output.markdown) {
    io.stdout(formatMarkdown(report, options));
    return;
  }
  io.stdout(renderTerminal(reportTree(report, options), { color: output.color, width: io.terminal.columns }));
}
