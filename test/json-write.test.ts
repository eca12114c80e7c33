import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parseJson } from "../src/recording/json-read.ts";
import {
  type JsonValue,
  KEY_ORDER,
  newJsonObject,
  objectKeys,
  PyFloat,
  setKey,
} from "../src/recording/json-value.ts";
import { dumpsPython } from "../src/recording/json-write.ts";

const FIXTURES = join(import.meta.dirname, "fixtures", "corpus");

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

describe("dumpsPython floats (Python repr)", () => {
  it.each([
    [1e-5, "1e-05"],
    [1.5e-7, "1.5e-07"],
    [-2.5e-5, "-2.5e-05"],
    [5e-324, "5e-324"],
    [0.0001, "0.0001"],
    [0.1 + 0.2, "0.30000000000000004"],
    [123456789.123, "123456789.123"],
  ])("writes %s as %s", (value, expected) => {
    expect(dumpsPython(value)).toBe(expected);
  });

  it.each([
    [0, "0.0"],
    [-0, "-0.0"],
    [100, "100.0"],
    [-7, "-7.0"],
    [1234567890123456, "1234567890123456.0"],
    [9999999999999998, "9999999999999998.0"],
    [1e16, "1e+16"],
    [-1e16, "-1e+16"],
    [1.2345678901234568e17, "1.2345678901234568e+17"],
    [1e22, "1e+22"],
    [1e100, "1e+100"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
  ])("writes integral PyFloat(%s) as %s", (value, expected) => {
    expect(dumpsPython(new PyFloat(value))).toBe(expected);
  });

  it("writes float32 values widened to doubles with all their digits", () => {
    expect(dumpsPython(Math.fround(0.1))).toBe("0.10000000149011612");
    expect(dumpsPython([Math.fround(-0.0123), Math.fround(1.5)])).toBe("[-0.012299999594688416, 1.5]");
  });

  it("writes NaN and the infinities bare", () => {
    expect(dumpsPython([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])).toBe(
      "[NaN, Infinity, -Infinity]",
    );
  });
});

describe("dumpsPython integers", () => {
  it("writes integral numbers as ints, -0 as 0", () => {
    expect(dumpsPython([0, -0, 42, -17, 9007199254740991])).toBe("[0, 0, 42, -17, 9007199254740991]");
  });

  it("writes bigints above 2^53 with every digit", () => {
    expect(dumpsPython(12345678901234567890123n)).toBe("12345678901234567890123");
    expect(dumpsPython(-9007199254740993n)).toBe("-9007199254740993");
  });

  it("writes an unsafe integral number as a Python int, not in exponent form", () => {
    expect(dumpsPython(1e21)).toBe("1000000000000000000000");
  });
});

describe("dumpsPython strings (ensure_ascii)", () => {
  it("uses the short escapes Python uses and leaves / alone", () => {
    expect(dumpsPython('"\\/\b\f\n\r\t')).toBe('"\\"\\\\/\\b\\f\\n\\r\\t"');
  });

  it("escapes other control characters as lowercase \\u00xx", () => {
    expect(dumpsPython("\u0000\u0001\u001b\u001f")).toBe('"\\u0000\\u0001\\u001b\\u001f"');
  });

  it("escapes DEL (0x7f) and everything above it", () => {
    expect(dumpsPython("a\u007fb")).toBe('"a\\u007fb"');
    expect(dumpsPython("é€")).toBe('"\\u00e9\\u20ac"');
  });

  it("escapes astral characters as their surrogate pair", () => {
    expect(dumpsPython("😀x")).toBe('"\\ud83d\\ude00x"');
  });

  it("escapes lone surrogates like any other code unit", () => {
    expect(dumpsPython("\ud800-\udfff")).toBe('"\\ud800-\\udfff"');
  });

  it("writes a string with nothing to escape unchanged", () => {
    expect(dumpsPython("plain text: {x} [y] 'z'")).toBe("\"plain text: {x} [y] 'z'\"");
  });

  it("escapes keys the same way as values", () => {
    const obj = newJsonObject();
    obj["é\n"] = 1;
    expect(dumpsPython(obj)).toBe('{"\\u00e9\\n": 1}');
  });
});

describe("dumpsPython layout", () => {
  it("uses Python's default separators without indent", () => {
    expect(dumpsPython(parseJson('{"a": [1, 2.5], "b": null}'))).toBe('{"a": [1, 2.5], "b": null}');
    expect(dumpsPython(parseJson('{"a":[1,2.5],"b":null}'))).toBe('{"a": [1, 2.5], "b": null}');
  });

  it("indents nested containers and keeps empty ones on one line", () => {
    const value = parseJson('{"a": [], "b": {}, "c": [1, {"d": 1.0}], "e": true}');
    expect(dumpsPython(value, { indent: 2 })).toBe(
      '{\n  "a": [],\n  "b": {},\n  "c": [\n    1,\n    {\n      "d": 1.0\n    }\n  ],\n  "e": true\n}',
    );
  });

  it("writes indent 0 as newlines without spaces", () => {
    expect(dumpsPython([1, [2]], { indent: 0 })).toBe("[\n1,\n[\n2\n]\n]");
  });

  it("writes scalars at the top level", () => {
    expect(dumpsPython(null)).toBe("null");
    expect(dumpsPython(false, { indent: 2 })).toBe("false");
    expect(dumpsPython("x", { indent: 2 })).toBe('"x"');
  });

  it("rejects values JSON cannot hold", () => {
    expect(() => dumpsPython(undefined as unknown as JsonValue)).toThrow(TypeError);
  });
});

describe("dumpsPython key order", () => {
  it("keeps integer-like keys where they were read", () => {
    const text = '{"b": 1, "1": 2, "a": {"10": 3, "2": 4, "x": 5}}';
    expect(dumpsPython(parseJson(text))).toBe(text);
  });

  it("keeps integer-like keys where setKey put them", () => {
    const obj = newJsonObject();
    setKey(obj, "z", 1);
    setKey(obj, "7", 2);
    setKey(obj, "a", 3);
    expect(dumpsPython(obj)).toBe('{"z": 1, "7": 2, "a": 3}');
  });

  it("sorts keys as Python strings with sortKeys", () => {
    expect(dumpsPython(parseJson('{"b": 1, "a": 2, "10": 3, "9": 4}'), { sortKeys: true })).toBe(
      '{"10": 3, "9": 4, "a": 2, "b": 1}',
    );
  });

  it("sorts by code point: an astral key after U+FFFF, a lone surrogate before U+E000", () => {
    const obj = newJsonObject();
    obj["\uffff"] = 1;
    obj["😀"] = 2;
    obj["\ue000"] = 3;
    obj["\ud800"] = 4;
    expect(dumpsPython(obj, { sortKeys: true })).toBe(
      '{"\\ud800": 4, "\\ue000": 3, "\\uffff": 1, "\\ud83d\\ude00": 2}',
    );
  });

  it("sorts nested objects and leaves the value's own order untouched", () => {
    const value = parseJson('{"b": {"y": 1, "2": 2, "x": 3}, "a": 0}');
    expect(dumpsPython(value, { sortKeys: true })).toBe('{"a": 0, "b": {"2": 2, "x": 3, "y": 1}}');
    const inner = (value as Record<string, JsonValue>).b as Parameters<typeof objectKeys>[0];
    expect(objectKeys(inner)).toEqual(["y", "2", "x"]);
    expect(inner[KEY_ORDER]).toEqual(["y", "2", "x"]);
  });
});

describe("dumpsPython round trip", () => {
  const files = jsonFiles(FIXTURES);

  it("has corpus fixtures to check", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((file) => [relative(FIXTURES, file), file]))(
    "writes %s back byte for byte",
    (_name, file) => {
      const text = new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(file));
      expect(`${dumpsPython(parseJson(text), { indent: 2 })}\n`).toBe(text);
    },
  );
});
