// The report as terminal text, rendered from the same mdast tree the Markdown is serialized from:
// headings bold and underlined, tables as aligned columns, lists with bullets, `diff` code blocks
// red and green per line, links as `text (url)`, no Markdown markers or escaping backslashes.
// Colour comes from picocolors and only when asked for. Every text value goes through
// `terminalText`, so an escape sequence or control character from a recording prints visibly and
// never drives the terminal; every line through `inertTerminalLine`, so none is a workflow command.
// Written by hand: the npm terminal renderers (marked-terminal, cli-markdown) take Markdown text
// rather than a tree, would parse our escaped text a second time, and pass escape sequences through.
//
// `<details><summary>X</summary>` prints as a "▸ X" line with what it folds indented under it: a
// terminal has no folding, and what a collapsed block holds (minor changes, the providers used)
// is what a reader scrolling or grepping the output looks for.
import { decodeNamedCharacterReference } from "decode-named-character-reference";
import type { AlignType, Definition, Nodes, Parents, PhrasingContent, Root, RootContent, Table } from "mdast";
import { createColors } from "picocolors";
import stringWidth from "string-width";
import { inertTerminalLine, terminalText } from "./untrusted-text.ts";

export interface TerminalOptions {
  color: boolean;
  /** Columns of the terminal: how long rules and heading underlines may be (default 80). */
  width?: number;
}

type Colors = ReturnType<typeof createColors>;

interface Context {
  c: Colors;
  color: boolean;
  width: number;
  definitions: Map<string, Definition>;
}

const INDENT = "  ";

export function renderTerminal(tree: Root, options: TerminalOptions): string {
  const context: Context = {
    c: createColors(options.color),
    color: options.color,
    width: Math.max(20, options.width ?? 80),
    definitions: new Map(),
  };
  collectDefinitions(tree, context.definitions);
  const lines = blocks(tree.children, context).map((line) => inertTerminalLine(line.trimEnd()));
  while (lines.at(-1) === "") lines.pop();
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

function collectDefinitions(node: Nodes, into: Map<string, Definition>): void {
  if (node.type === "definition") into.set(node.identifier, node);
  if ("children" in node) for (const child of node.children) collectDefinitions(child, into);
}

/**
 * Block nodes to lines, a blank line between blocks. Raw HTML opening `<details>` indents the
 * blocks after it until its `</details>`: in mdast they are siblings, not children.
 */
function blocks(nodes: readonly RootContent[], context: Context): string[] {
  const out: string[] = [];
  let depth = 0;
  for (const node of nodes) {
    let lines: string[];
    let opens = 0;
    if (node.type === "html") {
      const html = rawHtml(node.value, context);
      lines = html.lines.map((line, i) => INDENT.repeat(Math.max(0, depth + (html.depthAt[i] ?? 0))) + line);
      opens = html.depthChange;
    } else {
      lines = block(node, context).map((line) => (line === "" ? line : INDENT.repeat(depth) + line));
    }
    depth = Math.max(0, depth + opens);
    if (lines.length === 0) continue;
    if (out.length > 0) out.push("");
    out.push(...lines);
  }
  return out;
}

function block(node: RootContent, context: Context): string[] {
  const { c } = context;
  switch (node.type) {
    case "heading": {
      const text = inline(node.children, context);
      const rule = (node.depth <= 2 ? "═" : "─").repeat(Math.min(stringWidth(text), context.width));
      // With colour, bold underlined text says "heading"; without, a rule under it does.
      return context.color ? [c.bold(c.underline(text))] : [text, rule];
    }
    case "paragraph":
      return inline(node.children, context).split("\n");
    case "thematicBreak":
      return [c.dim("─".repeat(context.width))];
    case "blockquote":
      return blocks(node.children, context).map((line) => `${c.dim("│")} ${line}`);
    case "list":
      return node.children.flatMap((item, i) => {
        const checkbox = item.checked === true ? "☑ " : item.checked === false ? "☐ " : "";
        const marker = node.ordered ? `${(node.start ?? 1) + i}.` : "•";
        const body = blocks(item.children, context);
        if (!item.spread) for (let j = body.length - 1; j >= 0; j--) if (body[j] === "") body.splice(j, 1);
        const pad = " ".repeat(stringWidth(marker) + 1);
        return body.map((line, j) =>
          j === 0 ? `${c.dim(marker)} ${checkbox}${line}` : line === "" ? line : pad + line,
        );
      });
    case "code":
      return codeLines(node.value, node.lang ?? null, context);
    case "table":
      return table(node, context);
    case "footnoteDefinition": {
      const [first = "", ...rest] = blocks(node.children, context);
      return [`${c.dim(`[${terminalText(node.label ?? node.identifier)}]`)} ${first}`, ...rest];
    }
    case "definition":
    case "yaml":
      return [];
    case "listItem":
    case "tableRow":
    case "tableCell":
      return blocks(node.children as RootContent[], context);
    default:
      return inline([node], context).split("\n");
  }
}

/** A fenced block, indented; a `diff` coloured per line (removed red, added green, hunks cyan). */
function codeLines(value: string, lang: string | null, context: Context): string[] {
  const { c } = context;
  return value.split(/\r?\n/).map((raw) => {
    const line = terminalText(raw);
    if (lang !== "diff") return INDENT + c.yellow(line);
    if (line.startsWith("-")) return INDENT + c.red(line);
    if (line.startsWith("+")) return INDENT + c.green(line);
    if (line.startsWith("@@")) return INDENT + c.cyan(line);
    return INDENT + line;
  });
}

/** Columns padded to their widest cell (by terminal width: CJK and emoji count double). */
function table(node: Table, context: Context): string[] {
  const { c } = context;
  const rows = node.children.map((row) => row.children.map((cell) => inline(cell.children, context)));
  const columns = Math.max(0, ...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, i) =>
    Math.max(1, ...rows.map((row) => stringWidth(row[i] ?? ""))),
  );
  const line = (row: string[]) =>
    widths.map((width, i) => pad(row[i] ?? "", width, node.align?.[i] ?? null)).join("  ");
  const [header, ...body] = rows;
  if (header === undefined) return [];
  return [
    line(header.map((cell) => c.bold(cell))),
    c.dim(widths.map((width) => "─".repeat(width)).join("  ")),
    ...body.map(line),
  ];
}

function pad(text: string, width: number, align: AlignType): string {
  const space = Math.max(0, width - stringWidth(text));
  if (align === "right") return " ".repeat(space) + text;
  if (align === "center") {
    const left = Math.floor(space / 2);
    return " ".repeat(left) + text + " ".repeat(space - left);
  }
  return text + " ".repeat(space);
}

/** Phrasing content to text; a hard break is a newline. */
function inline(nodes: readonly PhrasingContent[] | readonly Nodes[], context: Context): string {
  return nodes.map((node) => phrasing(node, context)).join("");
}

function phrasing(node: Nodes, context: Context): string {
  const { c } = context;
  switch (node.type) {
    case "text":
      // A soft line break inside a paragraph reads as a space, as it renders.
      return terminalText(node.value.replace(/\s*\n\s*/g, " "));
    case "strong":
      return c.bold(inline(node.children, context));
    case "emphasis":
      return c.italic(inline(node.children, context));
    case "delete": {
      // Without colour, git's word-diff brackets keep removed text from reading as current.
      const text = inline(node.children, context);
      return context.color ? c.red(c.strikethrough(text)) : `[-${text}-]`;
    }
    case "inlineCode":
      return c.cyan(terminalText(node.value));
    case "break":
      return "\n";
    case "link":
      return linkText(inline(node.children, context), node.url, context);
    case "image":
      return linkText(`[image: ${terminalText(node.alt ?? "")}]`, node.url, context);
    case "linkReference": {
      const text = inline(node.children, context);
      const url = context.definitions.get(node.identifier)?.url;
      return url === undefined ? text : linkText(text, url, context);
    }
    case "imageReference": {
      const url = context.definitions.get(node.identifier)?.url;
      const text = `[image: ${terminalText(node.alt ?? "")}]`;
      return url === undefined ? text : linkText(text, url, context);
    }
    case "footnoteReference":
      return c.dim(`[${terminalText(node.label ?? node.identifier)}]`);
    case "html":
      // Inline HTML (`<br>`, `<sub>`) has no terminal form.
      return "";
    default:
      return "children" in node ? inline((node as Parents).children as Nodes[], context) : "";
  }
}

/** `text (url)`, or the url alone when the text is the url. */
function linkText(text: string, url: string, context: Context): string {
  const shown = terminalText(url);
  if (text === "" || text === shown) return context.c.underline(shown);
  return `${text} ${context.c.dim(`(${shown})`)}`;
}

interface HtmlLines {
  lines: string[];
  /** Per line, the nesting it sits at relative to the block's start. */
  depthAt: number[];
  /** `<details>` opened minus closed in this block. */
  depthChange: number;
}

/**
 * Raw HTML: `<summary>X</summary>` becomes a "▸ X" line, `<details>`/`</details>` change the
 * indentation of what follows, anything else is dropped.
 */
function rawHtml(value: string, context: Context): HtmlLines {
  const out: HtmlLines = { lines: [], depthAt: [], depthChange: 0 };
  const tag = /<(\/?)(details|summary)\b[^>]*>|<[^>]*>/gi;
  let summaryStart: number | null = null;
  for (const match of value.matchAll(tag)) {
    const [, closing, name] = match;
    const index = match.index ?? 0;
    if (name?.toLowerCase() === "details") out.depthChange += closing ? -1 : 1;
    else if (name?.toLowerCase() === "summary") {
      if (!closing) summaryStart = index + match[0].length;
      else if (summaryStart !== null) {
        const summary = decodeEntities(value.slice(summaryStart, index).replace(/<[^>]*>/g, ""));
        out.lines.push(`${context.c.dim("▸")} ${context.c.bold(terminalText(summary.trim()))}`);
        // The summary belongs to its <details>: at the level of that opening tag.
        out.depthAt.push(out.depthChange - 1);
        summaryStart = null;
      }
    }
  }
  return out;
}

/** `&lt;`, `&#60;`, `&#x3C;` and the other character references HTML allows, as characters. */
function decodeEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]+|#\d+|[A-Za-z][A-Za-z0-9]*);/g, (whole, name: string) => {
    if (name.startsWith("#")) {
      const code =
        name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    const decoded = decodeNamedCharacterReference(name);
    return decoded === false ? whole : decoded;
  });
}
