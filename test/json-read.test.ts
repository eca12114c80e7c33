import { describe, expect, it } from "vitest";
import { JsonSyntaxError, parseJson } from "../src/recording/json-read.ts";
import {
  isJsonObject,
  type JsonObject,
  KEY_ORDER,
  objectKeys,
  PyFloat,
} from "../src/recording/json-value.ts";
import { dumpsPython } from "../src/recording/json-write.ts";

function parseObject(text: string): JsonObject {
  const value = parseJson(text);
  if (!isJsonObject(value)) throw new Error(`not an object: ${text}`);
  return value;
}

/** The error parseJson throws for `text`. */
function syntaxError(text: string): JsonSyntaxError {
  try {
    parseJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error;
    throw error;
  }
  throw new Error(`parsed without error: ${JSON.stringify(text)}`);
}

describe("parseJson values", () => {
  it("reads the JSON literals, strings, arrays and objects", () => {
    expect(parseJson('[true, false, null, "x", [], {}]')).toEqual([true, false, null, "x", [], {}]);
  });

  it("accepts Python's whitespace (space, tab, newline, carriage return) around tokens", () => {
    expect(parseJson(" \t\r\n[ 1 ,\t2\r\n] \n")).toEqual([1, 2]);
  });

  it("reads bare NaN, Infinity and -Infinity as Python does", () => {
    expect(parseJson("[NaN, Infinity, -Infinity]")).toEqual([
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]);
  });

  it("builds objects without a prototype", () => {
    expect(Object.getPrototypeOf(parseObject('{"a": {"b": 1}}'))).toBeNull();
  });
});

describe("parseJson numbers", () => {
  it("reads integral floats as PyFloat, keeping -0.0", () => {
    const [one, big, zero, negZero, exp] = parseJson("[1.0, 1e16, 0.0, -0.0, 2E+3]") as PyFloat[];
    expect(one).toEqual(new PyFloat(1));
    expect(big).toEqual(new PyFloat(1e16));
    expect(zero).toEqual(new PyFloat(0));
    expect(negZero).toBeInstanceOf(PyFloat);
    expect(Object.is(negZero?.value, -0)).toBe(true);
    expect(exp).toEqual(new PyFloat(2000));
  });

  it("reads other floats as plain numbers", () => {
    expect(parseJson("[1.5, -2.5e-7, 0.10000000149011612, 1e400]")).toEqual([
      1.5,
      -2.5e-7,
      0.10000000149011612,
      Number.POSITIVE_INFINITY,
    ]);
  });

  it("reads ints as plain numbers while they are safe", () => {
    expect(parseJson("[0, -0, 7, -42, 123456789012345, 9007199254740991, -9007199254740991]")).toEqual([
      0, -0, 7, -42, 123456789012345, 9007199254740991, -9007199254740991,
    ]);
  });

  it("reads ints above 2^53 exactly as bigint", () => {
    expect(parseJson("[9007199254740992, 9007199254740993, -12345678901234567890123]")).toEqual([
      9007199254740992n,
      9007199254740993n,
      -12345678901234567890123n,
    ]);
  });

  it("writes big ints back with every digit", () => {
    const text = "[18446744073709551617, 1.0, 2]";
    expect(dumpsPython(parseJson(text))).toBe(text);
  });
});

describe("parseJson strings", () => {
  it("decodes every JSON escape", () => {
    expect(parseJson('"\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9"')).toBe('"\\/\b\f\n\r\tAé');
  });

  it("keeps a lone surrogate escape as a lone UTF-16 unit", () => {
    const s = parseJson('"a\\ud800b\\uDC00"') as string;
    expect(s.length).toBe(4);
    expect(s.charCodeAt(1)).toBe(0xd800);
    expect(s.charCodeAt(3)).toBe(0xdc00);
  });

  it("joins an escaped surrogate pair into the astral character", () => {
    expect(parseJson('"\\ud83d\\ude00"')).toBe("😀");
  });

  it("reads raw non-ASCII and DEL unchanged", () => {
    expect(parseJson('"é😀\u007f"')).toBe("é😀\u007f");
  });

  it("reads escaped keys", () => {
    expect(objectKeys(parseObject('{"a\\nb": 1, "\\u00e9": 2}'))).toEqual(["a\nb", "é"]);
  });
});

describe("parseJson objects", () => {
  it("keeps integer-like keys in their written order", () => {
    const obj = parseObject('{"b": 1, "10": 2, "a": 3, "2": 4}');
    expect(objectKeys(obj)).toEqual(["b", "10", "a", "2"]);
    expect(Object.keys(obj)).toEqual(["2", "10", "b", "a"]);
    expect(Object.getOwnPropertyDescriptor(obj, KEY_ORDER)?.enumerable).toBe(false);
  });

  it("reads each key right when sibling objects repeat, change or escape their keys", () => {
    const text =
      '[{"ab": 1, "cd": 2}, {"ab": 3, "ce": 4}, {"a\\u0062": 5, "cd": 6}, {"ab": 7}, {"abc": 8, "c": 9}, {"a": 10}]';
    const list = parseJson(text) as JsonObject[];
    expect(list.map((obj) => objectKeys(obj))).toEqual([
      ["ab", "cd"],
      ["ab", "ce"],
      ["ab", "cd"],
      ["ab"],
      ["abc", "c"],
      ["a"],
    ]);
    expect(dumpsPython(list)).toBe(
      '[{"ab": 1, "cd": 2}, {"ab": 3, "ce": 4}, {"ab": 5, "cd": 6}, {"ab": 7}, {"abc": 8, "c": 9}, {"a": 10}]',
    );
  });

  it("keeps no explicit order when JS order is already right", () => {
    const obj = parseObject('{"b": 1, "a": 2, "01": 3, "-1": 4}');
    expect(obj[KEY_ORDER]).toBeUndefined();
    expect(objectKeys(obj)).toEqual(["b", "a", "01", "-1"]);
  });

  it("lets the last duplicate win at the first one's position, as a Python dict", () => {
    const obj = parseObject('{"a": 1, "b": 2, "a": 3}');
    expect(objectKeys(obj)).toEqual(["a", "b"]);
    expect(obj.a).toBe(3);
    expect(dumpsPython(obj)).toBe('{"a": 3, "b": 2}');
  });

  it("does not repeat a duplicate integer-like key in the explicit order", () => {
    const obj = parseObject('{"x": 0, "5": 1, "y": 2, "5": 3, "x": 4}');
    expect(obj[KEY_ORDER]).toEqual(["x", "5", "y"]);
    expect(dumpsPython(obj)).toBe('{"x": 4, "5": 3, "y": 2}');
  });

  it("treats __proto__, constructor and prototype as ordinary keys", () => {
    const obj = parseObject('{"__proto__": {"polluted": true}, "constructor": 1, "prototype": [2]}');
    expect(Object.getPrototypeOf(obj)).toBeNull();
    expect(objectKeys(obj)).toEqual(["__proto__", "constructor", "prototype"]);
    expect(Object.getOwnPropertyDescriptor(obj, "__proto__")?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(dumpsPython(obj)).toBe('{"__proto__": {"polluted": true}, "constructor": 1, "prototype": [2]}');
  });
});

describe("parseJson rejects what Python's json.loads rejects", () => {
  it.each([
    ["", 1, 1, "expected a JSON value, found end of input"],
    ["  \n ", 2, 2, "expected a JSON value, found end of input"],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, "expected ',' or '}' after an object member"],
    ['{\n  "a": 1,\n  "b": [1 2]\n}', 3, 11, "expected ',' or ']' after an array element"],
    ["[1, 2,]", 1, 7, "trailing comma before ']'"],
    ['{"a": 1,\n}', 2, 1, "trailing comma before '}'"],
    ["{'a': 1}", 1, 2, `expected a property name in double quotes, found "'"`],
    ["['a']", 1, 2, `expected a JSON value, found "'"`],
    ['{"a" 1}', 1, 6, "expected ':' after a property name, found \"1\""],
    ["// note\n1", 1, 1, 'expected a JSON value, found "/"'],
    ["[1 /* note */]", 1, 4, "expected ',' or ']' after an array element"],
    ["1 2", 1, 3, "unexpected data after the JSON value"],
    ['{"a": 1}}', 1, 9, "unexpected data after the JSON value"],
    ['"a\tb"', 1, 3, "invalid control character U+0009 in a string"],
    ['["a\nb"]', 1, 4, "invalid control character U+000a in a string"],
    ['["a\\"]', 1, 2, "unterminated string"],
    ['{"abc', 1, 2, "unterminated string"],
    ['"ab\\', 1, 1, "unterminated string"],
    ['"\\x41"', 1, 2, 'invalid escape "\\\\x"'],
    ['"\\u12G4"', 1, 2, "invalid \\u escape: expected 4 hex digits"],
    ['"\\u12"', 1, 2, "invalid \\u escape: expected 4 hex digits"],
    ["01", 1, 2, "unexpected data after the JSON value"],
    ["1.", 1, 3, "expected a digit after '.', found end of input"],
    [".5", 1, 1, 'expected a JSON value, found "."'],
    ["-", 1, 2, "expected a digit, found end of input"],
    ["-a", 1, 2, 'expected a digit, found "a"'],
    ["1e", 1, 3, "expected a digit in the exponent, found end of input"],
    ["1e+", 1, 4, "expected a digit in the exponent, found end of input"],
    ["+1", 1, 1, 'expected a JSON value, found "+"'],
    ["0x10", 1, 2, "unexpected data after the JSON value"],
    ["tru", 1, 1, 'expected a JSON value, found "t"'],
    ["nan", 1, 1, 'expected a JSON value, found "n"'],
    ["-NaN", 1, 2, 'expected a digit, found "N"'],
    ["\ufeff{}", 1, 1, 'expected a JSON value, found "\ufeff"'],
    ["[1,\f2]", 1, 4, 'expected a JSON value, found "\\f"'],
    ["[1,\u00a02]", 1, 4, 'expected a JSON value, found "\u00a0"'],
  ])("rejects %j at line %i, column %i: %s", (text, line, column, reason) => {
    const error = syntaxError(text);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("JsonSyntaxError");
    expect({ line: error.line, column: error.column, message: error.message }).toEqual({
      line,
      column,
      message: `line ${line}, column ${column}: ${reason}`,
    });
  });
});

describe("parseJson nesting", () => {
  it("reads 1000 levels, Python's limit", () => {
    const text = `${"[".repeat(1000)}${"]".repeat(1000)}`;
    expect(dumpsPython(parseJson(text))).toBe(text);
  });

  it("rejects 1001 levels at the innermost bracket", () => {
    const error = syntaxError(`${'{"a": '.repeat(1000)}[]${"}".repeat(1000)}`);
    expect(error.message).toBe("line 1, column 6001: nesting deeper than 1000 levels");
  });

  it("rejects 100,000 levels without overflowing the stack", () => {
    const error = syntaxError(`${"[".repeat(100_000)}${"]".repeat(100_000)}`);
    expect(error.message).toBe("line 1, column 1001: nesting deeper than 1000 levels");
  });
});

describe("parseJson after malformed input", () => {
  it("parses well-formed input normally after an error", () => {
    for (const bad of ['{"a', "[1,", '"\\u12', "-", "tr"])
      expect(() => parseJson(bad)).toThrow(JsonSyntaxError);
    expect(parseJson('{"a": [1, "b"]}')).toEqual({ a: [1, "b"] });
  });
});
