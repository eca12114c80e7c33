// What the recorder rewrites in each response object before it stores it (spec §4, llama-stack's
// `_normalize_response`), so that re-recording the same answer changes no line. Only the top
// level of each object (each chunk) is touched; nested ids and timestamps stay as sent.

import type { JsonObject } from "../recording/json-value.ts";

const EPOCH = "1970-01-01T00:00:00.000000Z";
const OLLAMA_DURATIONS = ["total_duration", "load_duration", "prompt_eval_duration", "eval_duration"];

/** Normalizes a dumped response object in place; `idHash` gives the ids' 12 hex (`rec-<12 hex>`). */
export function normalizeRecorded(data: JsonObject, idHash: string): void {
  // Model objects keep their id and created: there they are the model's identity and date.
  const isModel = data.object === "model";
  if ("id" in data && !isModel) data.id = `rec-${idHash.slice(0, 12)}`;
  if ("created" in data && !isModel) data.created = 0;
  if ("created_at" in data) data.created_at = EPOCH;
  for (const key of OLLAMA_DURATIONS) {
    if (key in data && data[key] !== null) data[key] = 0;
  }
}
