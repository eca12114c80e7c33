// A live (plain JSON) value as openai-python's `model.model_dump(mode="json")` writes it:
// declared fields first, in declaration order, `null` for the ones the wire left out, then the
// extra fields the API sent in the order it sent them; float fields as floats. Where the table
// is silent (extras, untyped fields, models it does not know) the stored template decides which
// numbers were floats, and, for unknown models, which fields are declared.

import { type JsonObject, type JsonValue, newJsonObject, PyFloat, setKey } from "../recording/json-value.ts";
import { type DeclaredField, declaredFields, type FieldType } from "./openai-fields.ts";
import { mergeKeyOrder, type StoredTemplate } from "./stored-template.ts";

type PlainObject = Record<string, unknown>;

/** A JSON object as `JSON.parse` gives it. */
export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function own(obj: PlainObject, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/**
 * Dumps a live object as the model `modelName` (a table name, or null for a model the table does
 * not know, whose declared fields are the keys the stored file had at this position).
 */
export function dumpModel(
  live: PlainObject,
  modelName: string | null,
  template: StoredTemplate | undefined,
): JsonObject {
  const fields = modelFields(modelName, template);
  const out = newJsonObject();
  const declared = new Set<string>();
  for (const field of fields) {
    declared.add(field.name);
    setKey(out, field.name, dumpField(own(live, field.name), field.type, template?.fields.get(field.name)));
  }
  for (const key of untypedKeys(live, declared)) {
    setKey(out, key, dumpRaw(own(live, key), template?.fields.get(key)));
  }
  return out;
}

/**
 * The keys written as sent (extras, untyped objects), in the order the API sent them. A null the
 * stored file had and the wire no longer sends is not written back: pydantic keeps only the
 * extras the wire sent (vLLM's `service_tier: null` on completions went when vLLM stopped it).
 */
function untypedKeys(live: PlainObject, declared: ReadonlySet<string>): string[] {
  return Object.keys(live).filter((key) => !declared.has(key));
}

/** A field type, or "stored": dumped by the stored shape (objects as models of the stored keys). */
type DumpType = FieldType | "stored";

interface Field {
  name: string;
  type: DumpType;
}

function modelFields(modelName: string | null, template: StoredTemplate | undefined): Field[] {
  const table = modelName ? declaredFields(modelName) : undefined;
  // For a model the table does not know, every key the stored file had here counts as declared.
  if (!table) return (template?.keys ?? []).map((name) => ({ name, type: "stored" }));
  // Fields only newer SDKs declare are written null when missing, so the stored file has them
  // exactly when its SDK declared them; with no stored object here, assume the older SDK.
  const present = table.filter((field) => !field.newer || template?.keys.includes(field.name));
  // The stored order wins where it has the field: it is the recorder's SDK version's order.
  const byName = new Map(present.map((field) => [field.name, field]));
  const storedOrder = (template?.keys ?? []).filter((key) => byName.has(key));
  return mergeKeyOrder(storedOrder, [...byName.keys()]).map((name) => byName.get(name) as DeclaredField);
}

function dumpField(live: unknown, type: DumpType, template: StoredTemplate | undefined): JsonValue {
  if (live === undefined || live === null) return null;
  if (type === "any") return dumpRaw(live, template);
  if (type === "stored") {
    if (isPlainObject(live)) return dumpModel(live, null, template);
    return Array.isArray(live)
      ? live.map((item) => dumpField(item, "stored", template?.items))
      : dumpRaw(live, template);
  }
  if (type === "float") return typeof live === "number" ? asFloat(live) : dumpRaw(live, template);
  if ("list" in type) {
    return Array.isArray(live)
      ? live.map((item) => dumpField(item, type.list, template?.items))
      : dumpRaw(live, template);
  }
  // openai-python builds responses without validating them, so a value of the wrong shape is
  // kept as the wire sent it.
  if (!isPlainObject(live)) return dumpRaw(live, template);
  if ("dict" in type) {
    const out = newJsonObject();
    for (const key of Object.keys(live)) {
      setKey(out, key, dumpField(live[key], type.dict, template?.fields.get(key)));
    }
    return out;
  }
  if ("byType" in type) {
    const variants = Object.values(type.byType);
    const tag = own(live, "type");
    const name = (typeof tag === "string" ? type.byType[tag] : undefined) ?? (variants[0] as string);
    return dumpModel(live, name, template);
  }
  return dumpModel(live, type.model, template);
}

const NONE: ReadonlySet<string> = new Set();

/** A value the models do not type (an extra, or an untyped field): as sent, floats per the stored file. */
export function dumpRaw(live: unknown, template: StoredTemplate | undefined): JsonValue {
  if (live === undefined || live === null) return null;
  if (typeof live === "number") return template?.float ? asFloat(live) : live;
  if (typeof live === "string" || typeof live === "boolean") return live;
  if (Array.isArray(live)) return live.map((item) => dumpRaw(item, template?.items));
  if (isPlainObject(live)) {
    const out = newJsonObject();
    for (const key of untypedKeys(live, NONE))
      setKey(out, key, dumpRaw(own(live, key), template?.fields.get(key)));
    return out;
  }
  throw new TypeError(`a ${typeof live} is not a JSON value`);
}

/** Integral floats need `PyFloat` to keep their `.0`. */
function asFloat(value: number): JsonValue {
  return Number.isInteger(value) ? new PyFloat(value) : value;
}
