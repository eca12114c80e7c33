// Python's `repr()` of a parsed JSON value (dict, list, str, int, float, bool, None). openai-python
// puts `repr(body)` of an error response into the exception message ("Error code: 404 - {...}"),
// and the recorder stores that message, so a refreshed error needs the same characters.

import { dumpsPython } from "../recording/json-write.ts";

export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return reprString(value);
  // Integral numbers print as Python ints: `JSON.parse` cannot tell `1.0` from `1`, and error
  // bodies carry counts and codes, not floats. json.dumps writes other floats exactly as repr().
  if (typeof value === "number") return dumpsPython(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(", ")}]`;
  if (typeof value === "object") {
    const items = Object.entries(value).map(([key, item]) => `${reprString(key)}: ${pythonRepr(item)}`);
    return `{${items.join(", ")}}`;
  }
  throw new TypeError(`a ${typeof value} has no Python repr here`);
}

/** Characters `str.isprintable()` rejects: other (Cc, Cf, Cs, Co, Cn) and separators but the space. */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** CPython's `unicode_repr`: single quotes unless the text has `'` and no `"`. */
function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0) as number;
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (code < 0x7f || !NOT_PRINTABLE.test(ch)) out += ch;
    else if (code <= 0xff) out += `\\x${hex(code, 2)}`;
    else if (code <= 0xffff) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return out + quote;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, "0");
}
