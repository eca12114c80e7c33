// The lossless JSON value that recordings are read into and written from.
//
// Plain JS values lose three things Python's json keeps, and a byte-faithful round trip needs
// all three: a float's type when its value is integral (`1.0`, `-0.0`, `1e+16`), integers
// above 2^53, and the order of integer-like keys (`{"b": 1, "1": 2}`), which JS objects move to
// the front. So: integral floats are `PyFloat`, big integers are `bigint`, and an object whose
// keys include an array-index-like key carries its true order under the `KEY_ORDER` symbol.
// Everything else is an ordinary JS value, so most code can treat the tree as plain JSON.

/** A float whose value is integral (Python wrote it with `.0` or an exponent). */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toJSON(): number {
    return this.value;
  }
}

/** Explicit key order, present only when it differs from JS enumeration order. */
export const KEY_ORDER: unique symbol = Symbol("recording-drift.keyOrder");

export type JsonNumber = number | bigint | PyFloat;
export type JsonArray = JsonValue[];
export interface JsonObject {
  [key: string]: JsonValue;
  [KEY_ORDER]?: string[];
}
export type JsonValue = null | boolean | string | JsonNumber | JsonArray | JsonObject;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof PyFloat);
}

/** An object with no prototype, so keys such as `__proto__` are ordinary data. */
export function newJsonObject(): JsonObject {
  // Not `Object.create(null)`: V8 gives that a hash-table layout from the start, which makes
  // reading and writing the corpus ~15% slower than this, which keeps the fast layout.
  return Object.setPrototypeOf({}, null) as JsonObject;
}

/** The keys of an object in their written order. */
export function objectKeys(obj: JsonObject): string[] {
  return obj[KEY_ORDER] ?? Object.keys(obj);
}

/** True for keys JS enumerates before all others (canonical array indices). */
export function isIndexLikeKey(key: string): boolean {
  const c = key.charCodeAt(0);
  if (c < 48 || c > 57 || key.length > 10) return false;
  if (key.length > 1 && c === 48) return false;
  for (let i = 1; i < key.length; i++) {
    const d = key.charCodeAt(i);
    if (d < 48 || d > 57) return false;
  }
  return Number(key) <= 4294967294;
}

/** Sets a key, keeping `KEY_ORDER` right when the object has one or now needs one. */
export function setKey(obj: JsonObject, key: string, value: JsonValue): void {
  const order = obj[KEY_ORDER];
  const isNew = !Object.hasOwn(obj, key);
  if (isNew && (order !== undefined || isIndexLikeKey(key))) {
    const keys = order ?? Object.keys(obj);
    keys.push(key);
    Object.defineProperty(obj, KEY_ORDER, {
      value: keys,
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }
  obj[key] = value;
}

/** Removes a key, keeping `KEY_ORDER` right. */
export function deleteKey(obj: JsonObject, key: string): void {
  if (!Object.hasOwn(obj, key)) return;
  delete obj[key];
  const order = obj[KEY_ORDER];
  if (order) order.splice(order.indexOf(key), 1);
}

/** The numeric value of a JSON number (big integers lose precision; use only for arithmetic). */
export function toNumber(value: JsonNumber): number {
  return typeof value === "number" ? value : Number(value);
}

/**
 * A plain-JS copy (floats as numbers, big ints as numbers, key order as JS orders it): for
 * code that compares values and never writes them back.
 */
export function toPlain(value: JsonValue): unknown {
  if (value === null || typeof value !== "object") return typeof value === "bigint" ? Number(value) : value;
  if (value instanceof PyFloat) return value.value;
  if (Array.isArray(value)) return value.map(toPlain);
  const out: Record<string, unknown> = {};
  for (const key of objectKeys(value)) setPlainKey(out, key, toPlain(value[key] as JsonValue));
  return out;
}

/**
 * Sets an own property of a plain object, `__proto__` included: assigned with `=`, that key
 * would replace the object's prototype and vanish from its keys (a JSON schema may well have a
 * property named `__proto__`, and the request sent must still hold it).
 */
export function setPlainKey(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    out[key] = value;
  }
}
