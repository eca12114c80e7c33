// The one place untrusted text (file names, test ids, models, answers, provider messages) is made
// safe to print. Two sinks:
// - log lines (stdout/stderr, which the Actions runner scans for workflow commands): control
//   characters and `%` are percent-encoded as GitHub's workflow-command rules do (`%`→`%25`,
//   `\r`→`%0D`, `\n`→`%0A`), so a piece never starts a line; a leading `::` and the legacy `##[`
//   prefix are encoded too.
// - Markdown (job summaries, pull request bodies, `--markdown`), built as a syntax tree whose
//   serializer escapes Markdown syntax and HTML and fences code longer than any backtick run
//   inside: here each value is kept on one line and mentions (`@user`, `@org/team`), closing
//   keywords and `#123` references get a zero-width joiner so they neither notify, close nor link.
// Written by hand: the npm packages (escape-html, markdown-escape) each cover one of these rules,
// none the mentions, closing keywords, control characters or workflow commands.

const ZWJ = "\u200D";

/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g;

/** Untrusted text as a piece of one log line: it cannot end the line or run a workflow command. */
export function logText(text: string): string {
  return text
    .replace(/[%\u0000-\u001F\u007F-\u009F\u2028\u2029]/g, (c) => encodeURIComponent(c))
    .replace(/^(\s*):/, "$1%3A")
    .replaceAll("##[", "#%23[");
}

/**
 * A message of several lines (a config's errors, one per line) that may quote untrusted text:
 * each line made inert as `logText` makes a piece, so none starts with `::`.
 */
export function logLines(text: string): string {
  return text.split("\n").map(logText).join("\n");
}

/**
 * Text kept on its line and out of the runner's hands, for Markdown that is printed too: control
 * characters as visible symbols (a newline as ⏎, others as their Unicode pictures), and the
 * legacy `##[` command prefix, which the runner finds anywhere in a line, broken.
 */
function oneInertLine(text: string): string {
  return text
    .replace(/\r?\n/g, " ⏎ ")
    .replace(CONTROL, (c) => {
      const code = c.charCodeAt(0);
      if (code < 0x20) return String.fromCharCode(0x2400 + code);
      if (code === 0x7f) return "\u2421";
      return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
    })
    .replaceAll("##[", `#${ZWJ}#[`);
}

/**
 * Text for one line of a terminal: an escape sequence or other control character from a recording
 * prints as a visible symbol (ESC as ␛) instead of colouring or moving the cursor.
 */
export function terminalText(text: string): string {
  return oneInertLine(text);
}

/**
 * A line of terminal output made safe for the Actions runner, which reads stdout: a leading `::`
 * (a workflow command) gets a zero-width joiner between its colons.
 */
export function inertTerminalLine(line: string): string {
  return line.replace(/^(\s*(?:\u001B\[[0-9;]*m)*\s*):(?=:)/, `$1:${ZWJ}`);
}

/** Mentions, closing keywords and issue references that GitHub would act on, made inert. */
function inertReferences(text: string): string {
  return text
    .replace(/@(?=[A-Za-z0-9_-])/g, `@${ZWJ}`)
    .replace(/\b(close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b/gi, (word) => `${word[0]}${ZWJ}${word.slice(1)}`)
    .replace(/#(?=\d)/g, `#${ZWJ}`);
}

/**
 * Untrusted text for a node of a Markdown syntax tree (a `text`, `inlineCode` or `code` value):
 * on one line and with references inert; the serializer escapes the Markdown syntax itself.
 */
export function inertText(text: string): string {
  return inertReferences(oneInertLine(text));
}
