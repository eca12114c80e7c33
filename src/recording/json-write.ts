// The Python-identical JSON writer: `json.dumps(value, indent=..., sort_keys=...)` with
// `ensure_ascii=True`, byte for byte, so a refreshed recording differs from the stored one only
// where the data changed, and the request hash matches the recorder's.
//
// Hand-written because no npm library reproduces Python's output: `JSON.stringify` and
// json-bigint / lossless-json write `1.0` as `1` (or keep lexemes only for numbers they parsed),
// `1e-7` instead of `1e-07`, leave non-ASCII unescaped, and enumerate integer-like keys first.

import type { JsonObject, JsonValue } from "./json-value.ts";
import { objectKeys, PyFloat } from "./json-value.ts";

export interface DumpOptions {
  /** Spaces per level, as Python's `indent`; without it the output is one line. */
  indent?: number;
  /** Sort object keys by code point, as Python's `sort_keys`. */
  sortKeys?: boolean;
}

// Writer state at module level: writing is synchronous and never re-entered. The output grows
// by `+=`, which V8 turns into cheap rope appends.
let out = "";
let indentUnit: string | undefined;
let sortKeys = false;
/** `newlines[level]`: a line break and the indentation of that level (nothing without indent). */
let newlines: string[] = [];
/** `separators[level]`: what goes between two items at that level. */
let separators: string[] = [];

export function dumpsPython(value: JsonValue, options: DumpOptions = {}): string {
  indentUnit = options.indent === undefined ? undefined : " ".repeat(options.indent);
  sortKeys = options.sortKeys === true;
  newlines = [];
  separators = [];
  try {
    writeValue(value, 0);
    return out;
  } finally {
    out = "";
  }
}

function newline(level: number): string {
  let s = newlines[level];
  if (s === undefined) {
    s = indentUnit === undefined ? "" : `\n${indentUnit.repeat(level)}`;
    newlines[level] = s;
  }
  return s;
}

function separator(level: number): string {
  let s = separators[level];
  if (s === undefined) {
    s = indentUnit === undefined ? ", " : `,${newline(level)}`;
    separators[level] = s;
  }
  return s;
}

function writeValue(value: JsonValue, level: number): void {
  // An if-chain on `typeof`: V8 compiles each test to a type check, where a `switch` on the
  // typeof string calls a builtin.
  if (typeof value === "string") out += quote(value);
  else if (typeof value === "number") out += Number.isInteger(value) ? formatInt(value) : formatFloat(value);
  else if (typeof value === "object") {
    if (value === null) out += "null";
    else if (Array.isArray(value)) writeArray(value, level);
    else if (value instanceof PyFloat) out += formatFloat(value.value);
    else writeObject(value, level);
  } else if (typeof value === "boolean") out += value ? "true" : "false";
  else if (typeof value === "bigint") out += value.toString();
  else throw new TypeError(`a ${typeof value} is not JSON serializable`);
}

function writeArray(arr: JsonValue[], level: number): void {
  if (arr.length === 0) {
    out += "[]";
    return;
  }
  const inner = level + 1;
  const between = separator(inner);
  out += "[";
  out += newline(inner);
  writeValue(arr[0] as JsonValue, inner);
  for (let i = 1; i < arr.length; i++) {
    out += between;
    writeValue(arr[i] as JsonValue, inner);
  }
  out += newline(level);
  out += "]";
}

function writeObject(obj: JsonObject, level: number): void {
  let keys = objectKeys(obj);
  if (keys.length === 0) {
    out += "{}";
    return;
  }
  if (sortKeys) keys = sortByCodePoint(keys);
  const inner = level + 1;
  const between = separator(inner);
  out += "{";
  out += newline(inner);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (i > 0) out += between;
    out += quoteKey(key);
    writeValue(obj[key] as JsonValue, inner);
  }
  out += newline(level);
  out += "}";
}

// Recordings repeat a few hundred keys millions of times; quoting each once is worth a lookup.
const QUOTED_KEYS_MAX = 10_000;
const QUOTED_KEY_MAX_LENGTH = 64;
const quotedKeys = new Map<string, string>();

/** The quoted key followed by Python's key separator. */
function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = `${quote(key)}: `;
    if (quotedKeys.size < QUOTED_KEYS_MAX && key.length <= QUOTED_KEY_MAX_LENGTH) quotedKeys.set(key, quoted);
  }
  return quoted;
}

const SURROGATE = /[\ud800-\udfff]/;

/** A sorted copy; UTF-16 order equals code point order unless a key has a surrogate. */
function sortByCodePoint(keys: string[]): string[] {
  const sorted = keys.slice();
  if (sorted.some((key) => SURROGATE.test(key))) sorted.sort(compareCodePoints);
  else sorted.sort();
  return sorted;
}

/** Python compares str by code point; JS's default sort compares UTF-16 units. */
export function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(j) as number;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  return a.length - i - (b.length - j);
}

/** Python ints have no size limit: an integral number above 2^53 still prints all its digits. */
function formatInt(n: number): string {
  return Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
}

/** Python's `repr(float)`. */
function formatFloat(x: number): string {
  const abs = Math.abs(x);
  // Doubles in [1e-4, 1e16) are exactly those whose shortest digits have a decimal exponent in
  // [-4, 15], where Python and JS both print fixed notation with the same digits.
  if (abs >= 1e-4 && abs < 1e16) return Number.isInteger(x) ? `${x}.0` : String(x);
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  if (Number.isNaN(x)) return "NaN";
  if (abs === Number.POSITIVE_INFINITY) return x > 0 ? "Infinity" : "-Infinity";
  // toExponential() gives the shortest digits as `d[.ddd]e±x`; Python pads x to 2 digits.
  const s = x.toExponential();
  const e = s.indexOf("e");
  const exponent = s.slice(e + 2);
  return `${s.slice(0, e + 2)}${exponent.length === 1 ? "0" : ""}${exponent}`;
}

// One native scan per string finds the first character `ensure_ascii` escapes; in the corpus
// it is faster than a charCodeAt loop.
const NEEDS_ESCAPE = /["\\\x00-\x1f\x7f-\uffff]/;

/** A JSON string literal with everything outside printable ASCII escaped, as `ensure_ascii`. */
function quote(s: string): string {
  const first = s.search(NEEDS_ESCAPE);
  return first === -1 ? `"${s}"` : quoteEscaped(s, first);
}

function quoteEscaped(s: string, first: number): string {
  let result = `"${s.slice(0, first)}`;
  let runStart = first;
  for (let i = first; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 32 && c !== 34 && c !== 92 && c < 127) continue;
    result += s.slice(runStart, i);
    runStart = i + 1;
    switch (c) {
      case 34:
        result += '\\"';
        break;
      case 92:
        result += "\\\\";
        break;
      case 10:
        result += "\\n";
        break;
      case 13:
        result += "\\r";
        break;
      case 9:
        result += "\\t";
        break;
      case 8:
        result += "\\b";
        break;
      case 12:
        result += "\\f";
        break;
      default:
        result += `\\u${c.toString(16).padStart(4, "0")}`;
    }
  }
  return `${result}${s.slice(runStart)}"`;
}
