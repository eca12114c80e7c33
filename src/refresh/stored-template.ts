// What the stored file shows about each position of a response: the keys its objects had (in
// order) and whether a number there was a float. Built from ALL stored objects of a kind (every
// chunk, every choice, every tool call), it tells the refresher how this recorder, SDK version and
// provider wrote that position, where the field table is silent or the wire lost the float type.

import { type JsonValue, objectKeys, PyFloat } from "../recording/json-value.ts";

export interface StoredTemplate {
  /** Keys seen on objects at this position, in the order the stored objects had them. */
  keys: string[];
  fields: Map<string, StoredTemplate>;
  /** The position of list items. */
  items: StoredTemplate | undefined;
  /** A float was stored here. */
  float: boolean;
}

function emptyTemplate(): StoredTemplate {
  return { keys: [], fields: new Map(), items: undefined, float: false };
}

/** A template of every value given, all taken as the same position. */
export function buildTemplate(values: Iterable<JsonValue>): StoredTemplate {
  const template = emptyTemplate();
  for (const value of values) addToTemplate(template, value);
  return template;
}

function addToTemplate(template: StoredTemplate, value: JsonValue): void {
  if (value instanceof PyFloat || (typeof value === "number" && !Number.isInteger(value))) {
    template.float = true;
  } else if (Array.isArray(value)) {
    template.items ??= emptyTemplate();
    for (const item of value) addToTemplate(template.items, item);
  } else if (value !== null && typeof value === "object") {
    const keys = objectKeys(value);
    template.keys = mergeKeyOrder(template.keys, keys);
    for (const key of keys) {
      let field = template.fields.get(key);
      if (!field) {
        field = emptyTemplate();
        template.fields.set(key, field);
      }
      addToTemplate(field, value[key] as JsonValue);
    }
  }
}

/**
 * One order consistent with both lists where they agree: `base`, with each key of `extra` it
 * lacks inserted right after the key that precedes it in `extra`.
 */
export function mergeKeyOrder(base: readonly string[], extra: readonly string[]): string[] {
  const merged = base.slice();
  const seen = new Set(merged);
  let at = 0;
  for (const key of extra) {
    if (seen.has(key)) {
      at = merged.indexOf(key) + 1;
    } else {
      merged.splice(at, 0, key);
      seen.add(key);
      at++;
    }
  }
  return merged;
}
