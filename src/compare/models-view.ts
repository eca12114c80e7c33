// The view of a model list: which model ids the provider offers, and what the server says of
// each (minus `created` and the permission objects' ids and timestamps, new on every start).

import type { Capture } from "../capture.ts";
import { arrayAt, isPlainObject, stringAt } from "./plain-json.ts";
import type { ModelsView } from "./semantic-view.ts";

export function modelsView(capture: Capture): ModelsView {
  // The SDK returns the array; the wire wraps it in `{object: "list", data: [...]}`.
  const models = Array.isArray(capture.body) ? capture.body : arrayAt(capture.body, "data");
  const ids = new Set<string>();
  const details: Record<string, unknown> = {};
  for (const model of models) {
    const id = isPlainObject(model) ? stringAt(model, "id") : typeof model === "string" ? model : null;
    if (id === null) continue;
    ids.add(id);
    if (isPlainObject(model)) details[id] = serverFields(model);
  }
  return { kind: "models", ids: [...ids].sort(), details };
}

/** A field the wire left out and one the SDK wrote as null are the same absence. */
function withoutNulls(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null));
}

function serverFields(model: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, created: _created, object: _object, permission, ...all } = model;
  const rest = withoutNulls(all);
  if (!Array.isArray(permission)) return rest;
  const kept = permission.map((p) => {
    if (!isPlainObject(p)) return p;
    const { id: _pid, created: _pcreated, ...grant } = p;
    return withoutNulls(grant);
  });
  return { ...rest, permission: kept };
}
