// A terminal's status line on stderr: progress drawn over itself with a carriage return and an
// erase-line, cut to the terminal's width so it never wraps (a wrapped line cannot be redrawn).
import stringWidth from "string-width";

const ERASE_LINE = "\r\u001B[2K";

export interface StatusLine {
  /** Shows `line` in place of the last one; null clears it. */
  show: (line: string | null) => void;
  /** Writes a line of its own above the status line (warnings, notes). */
  log: (line: string) => void;
}

export function statusLine(write: (text: string) => void, columns = 80): StatusLine {
  return {
    show: (line) => write(line === null ? ERASE_LINE : `${ERASE_LINE}${fitted(line, columns - 1)}`),
    log: (line) => write(`${ERASE_LINE}${line}\n`),
  };
}

/** The line cut to `width` columns, an ellipsis marking the cut. */
function fitted(line: string, width: number): string {
  if (stringWidth(line) <= width) return line;
  let out = "";
  for (const char of line) {
    if (stringWidth(`${out}${char}…`) > width) break;
    out += char;
  }
  return `${out}…`;
}
