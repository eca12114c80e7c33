// The model and the usage counts. A new snapshot of the same model (`gpt-4o-2024-08-06` →
// `gpt-4o-2024-11-20`, `llama3.2:3b-instruct-fp16` → `llama3.2:3b`) and new usage counts change
// without the answer changing: at most `minor`. Another model family answering is `drifted`.

import type { Finding } from "./verdict.ts";

const SHOWN_USAGE_FIELDS = 4;

/** The model without its snapshot: no provider path, no Ollama tag, no date or version suffix. */
export function modelFamily(model: string): string {
  return model
    .toLowerCase()
    .replace(/^.*\//, "")
    .replace(/:.*$/, "")
    .replace(/[-@](?:\d{4}-?\d{2}-?\d{2}|\d{3,4}|v?\d+(?:\.\d+)*|latest|preview)$/g, "");
}

export function compareModel(stored: string | null, live: string | null): Finding[] {
  if (stored === null || live === null || stored === live) return [];
  const severity = modelFamily(stored) === modelFamily(live) ? "minor" : "drifted";
  return [{ severity, kind: "model", field: "model", text: `model: ${stored} → ${live}` }];
}

export function compareUsage(
  stored: Record<string, number> | null,
  live: Record<string, number> | null,
): Finding[] {
  // Whether usage is sent at all is the request's choice, so only changed counts are reported.
  if (stored === null || live === null) return [];
  const changes: string[] = [];
  for (const key of new Set([...Object.keys(stored), ...Object.keys(live)])) {
    if (stored[key] !== live[key]) changes.push(`${key} ${stored[key] ?? "none"} → ${live[key] ?? "none"}`);
  }
  if (changes.length === 0) return [];
  const more = changes.length > SHOWN_USAGE_FIELDS ? `, … (${changes.length - SHOWN_USAGE_FIELDS} more)` : "";
  const text = `usage: ${changes.slice(0, SHOWN_USAGE_FIELDS).join(", ")}${more}`;
  return [{ severity: "minor", kind: "usage", field: "usage", text }];
}
