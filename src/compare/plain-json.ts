// Safe reads from plain JSON values of unknown shape: providers add, drop and null fields, so
// every view reads through these instead of trusting a type.

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function objectAt(value: unknown, key: string): PlainObject | null {
  if (!isPlainObject(value)) return null;
  const item = value[key];
  return isPlainObject(item) ? item : null;
}

export function arrayAt(value: unknown, key: string): unknown[] {
  if (!isPlainObject(value)) return [];
  const item = value[key];
  return Array.isArray(item) ? item : [];
}

export function stringAt(value: unknown, key: string): string | null {
  if (!isPlainObject(value)) return null;
  const item = value[key];
  return typeof item === "string" ? item : null;
}

export function numberAt(value: unknown, key: string): number | null {
  if (!isPlainObject(value)) return null;
  const item = value[key];
  return typeof item === "number" ? item : null;
}

/** Parses JSON text, or returns `undefined` when it is not valid JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Every numeric leaf under `value`, keyed by its dotted path (for usage blocks). */
export function numericLeaves(
  value: unknown,
  prefix = "",
  out: Record<string, number> = {},
): Record<string, number> {
  if (typeof value === "number") out[prefix] = value;
  else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) numericLeaves(item, `${prefix}[${i}]`, out);
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value))
      numericLeaves(item, prefix ? `${prefix}.${key}` : key, out);
  }
  return out;
}

/** A short, one-line rendering of a value for a reason. */
export function shortJson(value: unknown, max = 60): string {
  const text = value === undefined ? "undefined" : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
