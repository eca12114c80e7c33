// The view of a model list: which model ids the provider offers.

import type { Capture } from "../capture.ts";
import { arrayAt, isPlainObject, stringAt } from "./plain-json.ts";
import type { ModelsView } from "./semantic-view.ts";

export function modelsView(capture: Capture): ModelsView {
  // The SDK returns the array; the wire wraps it in `{object: "list", data: [...]}`.
  const models = Array.isArray(capture.body) ? capture.body : arrayAt(capture.body, "data");
  const ids = new Set<string>();
  for (const model of models) {
    const id = isPlainObject(model) ? stringAt(model, "id") : typeof model === "string" ? model : null;
    if (id !== null) ids.add(id);
  }
  return { kind: "models", ids: [...ids].sort() };
}
