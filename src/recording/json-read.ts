// The lossless JSON reader: what Python's `json.loads` accepts, read into `JsonValue`.
//
// Hand-written because `JSON.parse` turns `1.0` into `1`, rounds integers above 2^53 and moves
// integer-like keys to the front, and no npm parser keeps all three: lossless-json and
// json-bigint build ordinary objects (so `{"b": 1, "1": 2}` still reorders), and json-bigint
// reads `1.0` as `1`. It is a tight `charCodeAt` scanner because `verify` reads the whole 87 MB
// corpus and has to stay within a small factor of `JSON.parse`.

import type { JsonArray, JsonNumber, JsonObject, JsonValue } from "./json-value.ts";
import { isIndexLikeKey, KEY_ORDER, newJsonObject, PyFloat } from "./json-value.ts";

/** About where Python's json hits its recursion limit; deeper input is an error, not a stack overflow. */
const MAX_DEPTH = 1000;

export class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    reason: string,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = "JsonSyntaxError";
  }
}

// The scanner state lives at module level: parsing is synchronous and never re-entered, so the
// position need not be threaded through every call.
let src = "";
let pos = 0;

// Every read is kept inside the string, also on malformed input: one out-of-bounds
// `charCodeAt` makes V8 stop inlining that call site for the rest of the process.

/** The character code at `i`, or -1 past the end. */
function codeAt(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : -1;
}

export function parseJson(text: string): JsonValue {
  src = text;
  hintCounts.fill(0);
  try {
    pos = skipWhitespace(text, 0);
    const value = parseValue(0);
    pos = skipWhitespace(text, pos);
    if (pos < text.length) fail("unexpected data after the JSON value");
    return value;
  } finally {
    src = "";
  }
}

function fail(reason: string, at: number = pos): never {
  let line = 1;
  let lineStart = 0;
  for (let i = src.indexOf("\n"); i !== -1 && i < at; i = src.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  throw new JsonSyntaxError(line, at - lineStart + 1, reason);
}

function describeAt(at: number): string {
  return at >= src.length ? "end of input" : JSON.stringify(src[at]);
}

/** The index of the first non-whitespace character at or after `i`. */
function skipWhitespace(s: string, i: number): number {
  const end = s.length;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c > 32 || (c !== 32 && c !== 10 && c !== 13 && c !== 9)) break;
    i++;
  }
  return i;
}

/** Parses the value at `pos` (whitespace already skipped); `depth` counts enclosing containers. */
function parseValue(depth: number): JsonValue {
  const c = codeAt(src, pos);
  switch (c) {
    case 34:
      return parseString();
    case 123:
      return parseObject(depth + 1);
    case 91:
      return parseArray(depth + 1);
    case 116:
      return parseLiteral("true", true);
    case 102:
      return parseLiteral("false", false);
    case 110:
      return parseLiteral("null", null);
    case 78:
      return parseLiteral("NaN", Number.NaN);
    case 73:
      return parseLiteral("Infinity", Number.POSITIVE_INFINITY);
    case 45:
      return codeAt(src, pos + 1) === 73
        ? parseLiteral("-Infinity", Number.NEGATIVE_INFINITY)
        : parseNumber();
    default:
      if (c >= 48 && c <= 57) return parseNumber();
      return fail(`expected a JSON value, found ${describeAt(pos)}`);
  }
}

function parseLiteral<T extends JsonValue>(word: string, value: T): T {
  if (!src.startsWith(word, pos)) fail(`expected a JSON value, found ${describeAt(pos)}`);
  pos += word.length;
  return value;
}

// Objects at one depth mostly repeat the keys of the previous object there (stream chunks, list
// items), so each depth remembers that object's keys and where they start in the text. Checking
// a key against its hint is one pass over its characters and hands back an existing string.
const hintKeys: string[][] = [];
const hintStarts: number[][] = [];
const hintCounts: number[] = [];

/** Reads member `m`'s key, whose opening quote is at `pos`, for an object at `depth`. */
function readKey(depth: number, m: number): string {
  const s = src;
  const start = pos + 1;
  const keys = hintKeys[depth] as string[];
  const starts = hintStarts[depth] as number[];
  if (m < (hintCounts[depth] as number)) {
    const hint = keys[m] as string;
    const hintStart = starts[m] as number;
    const length = hint.length;
    if (hintStart >= 0 && codeAt(s, start + length) === 34) {
      let k = 0;
      while (k < length && s.charCodeAt(hintStart + k) === s.charCodeAt(start + k)) k++;
      if (k === length) {
        starts[m] = start;
        pos = start + length + 1;
        return hint;
      }
    }
  }
  const key = parseString();
  keys[m] = key;
  // A key written with escapes does not appear verbatim in the text, so it cannot be a hint.
  starts[m] = pos - 1 - start === key.length ? start : -1;
  return key;
}

function parseObject(depth: number): JsonObject {
  if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
  const s = src;
  const obj = newJsonObject();
  let i = skipWhitespace(s, pos + 1);
  if (codeAt(s, i) === 125) {
    pos = i + 1;
    return obj;
  }
  if (hintKeys[depth] === undefined) {
    hintKeys[depth] = [];
    hintStarts[depth] = [];
    hintCounts[depth] = 0;
  }
  // Only objects with an index-like key need their order kept apart from JS enumeration.
  let order: string[] | undefined;
  let m = 0;
  for (; ; m++) {
    if (codeAt(s, i) !== 34) fail(`expected a property name in double quotes, found ${describeAt(i)}`, i);
    pos = i;
    const key = readKey(depth, m);
    // Python writes `"key": value`; the general whitespace skip is only for other layouts.
    i = pos;
    if (codeAt(s, i) !== 58) {
      i = skipWhitespace(s, i);
      if (codeAt(s, i) !== 58) fail(`expected ':' after a property name, found ${describeAt(i)}`, i);
    }
    i++;
    if (codeAt(s, i) === 32) i++;
    pos = skipWhitespace(s, i);
    const value = parseValue(depth);
    // A duplicate key keeps its first position, as in JS, so only an explicit order needs to
    // know whether the key is new (values are never undefined).
    if (order !== undefined) {
      if (obj[key] === undefined) order.push(key);
    } else if (isIndexLikeKey(key) && obj[key] === undefined) {
      order = Object.keys(obj);
      order.push(key);
    }
    obj[key] = value;
    i = skipWhitespace(s, pos);
    const c = codeAt(s, i);
    if (c === 44) {
      i = skipWhitespace(s, i + 1);
      if (codeAt(s, i) === 125) fail("trailing comma before '}'", i);
    } else if (c === 125) {
      pos = i + 1;
      break;
    } else {
      fail("expected ',' or '}' after an object member", i);
    }
  }
  hintCounts[depth] = m + 1;
  if (order !== undefined) {
    Object.defineProperty(obj, KEY_ORDER, {
      value: order,
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }
  return obj;
}

function parseArray(depth: number): JsonArray {
  if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
  const s = src;
  const arr: JsonArray = [];
  pos = skipWhitespace(s, pos + 1);
  if (codeAt(s, pos) === 93) {
    pos++;
    return arr;
  }
  for (;;) {
    arr.push(parseValue(depth));
    const i = skipWhitespace(s, pos);
    const c = codeAt(s, i);
    if (c === 44) {
      pos = skipWhitespace(s, i + 1);
      if (codeAt(s, pos) === 93) fail("trailing comma before ']'");
    } else if (c === 93) {
      pos = i + 1;
      return arr;
    } else {
      fail("expected ',' or ']' after an array element", i);
    }
  }
}

/** Parses the string whose opening quote is at `pos`. */
function parseString(): string {
  const s = src;
  const end = s.length;
  const start = pos + 1;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) {
      pos = i + 1;
      return s.slice(start, i);
    }
    if (c === 92) return parseEscapedString(start, i);
    if (c < 32) failInString(i, start);
  }
  return failInString(end, start);
}

/** The slow path, from the first backslash on: escapes are decoded, plain runs sliced. */
function parseEscapedString(start: number, backslash: number): string {
  const s = src;
  const end = s.length;
  let out = s.slice(start, backslash);
  let runStart = backslash;
  for (let i = backslash; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) {
      pos = i + 1;
      return out + s.slice(runStart, i);
    }
    if (c < 32) failInString(i, start);
    if (c !== 92) continue;
    out += s.slice(runStart, i);
    switch (codeAt(s, i + 1)) {
      case 34:
        out += '"';
        break;
      case 92:
        out += "\\";
        break;
      case 47:
        out += "/";
        break;
      case 98:
        out += "\b";
        break;
      case 102:
        out += "\f";
        break;
      case 110:
        out += "\n";
        break;
      case 114:
        out += "\r";
        break;
      case 116:
        out += "\t";
        break;
      case 117: {
        const code = parseHex4(s, i + 2);
        if (code < 0) fail("invalid \\u escape: expected 4 hex digits", i);
        // Lone surrogates stay lone UTF-16 units, as Python keeps them.
        out += String.fromCharCode(code);
        i += 4;
        break;
      }
      case -1:
        return failInString(end, start);
      default:
        fail(`invalid escape ${JSON.stringify(s.slice(i, i + 2))}`, i);
    }
    i++;
    runStart = i + 1;
  }
  return failInString(end, start);
}

/** Fails on the character at `at` inside the string whose content starts at `start`. */
function failInString(at: number, start: number): never {
  // An unterminated string is reported at its opening quote, where the reader can find it.
  if (at >= src.length) fail("unterminated string", start - 1);
  fail(`invalid control character U+${src.charCodeAt(at).toString(16).padStart(4, "0")} in a string`, at);
}

/** The value of the 4 hex digits at `at`, or -1. */
function parseHex4(s: string, at: number): number {
  if (at + 4 > s.length) return -1;
  let code = 0;
  for (let k = at; k < at + 4; k++) {
    const h = s.charCodeAt(k);
    let d: number;
    if (h >= 48 && h <= 57) d = h - 48;
    else if (h >= 97 && h <= 102) d = h - 87;
    else if (h >= 65 && h <= 70) d = h - 55;
    else return -1;
    code = code * 16 + d;
  }
  return code;
}

/** The index after the run of digits starting at `i`. */
function skipDigits(s: string, i: number): number {
  const end = s.length;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  return i;
}

/** Parses a number in JSON's grammar; `-` or a digit is at `pos`. */
function parseNumber(): JsonNumber {
  const s = src;
  const start = pos;
  const negative = s.charCodeAt(start) === 45;
  const intStart = negative ? start + 1 : start;
  let c = codeAt(s, intStart);
  let i: number;
  if (c === 48) i = intStart + 1;
  else if (c >= 49 && c <= 57) i = skipDigits(s, intStart + 1);
  else return fail(`expected a digit, found ${describeAt(intStart)}`, intStart);
  const intEnd = i;
  let isFloat = false;
  c = codeAt(s, i);
  if (c === 46) {
    const fractionEnd = skipDigits(s, i + 1);
    if (fractionEnd === i + 1) fail(`expected a digit after '.', found ${describeAt(i + 1)}`, i + 1);
    i = fractionEnd;
    c = codeAt(s, i);
    isFloat = true;
  }
  if (c === 101 || c === 69) {
    i++;
    c = codeAt(s, i);
    if (c === 43 || c === 45) i++;
    const exponentEnd = skipDigits(s, i);
    if (exponentEnd === i) fail(`expected a digit in the exponent, found ${describeAt(i)}`, i);
    i = exponentEnd;
    isFloat = true;
  }
  pos = i;
  if (!isFloat) {
    // Up to 15 digits an integer is safe, and summing the digits spares a slice.
    if (intEnd - intStart <= 15) {
      let value = 0;
      for (let k = intStart; k < intEnd; k++) value = value * 10 + (s.charCodeAt(k) - 48);
      return negative ? -value : value;
    }
    const lexeme = s.slice(start, i);
    const n = Number(lexeme);
    return Number.isSafeInteger(n) ? n : BigInt(lexeme);
  }
  const n = Number(s.slice(start, i));
  return Number.isInteger(n) ? new PyFloat(n) : n;
}
