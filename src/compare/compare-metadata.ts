// The model snapshot and the usage counts: they change without the answer changing, so at most
// `minor`.

import type { Finding } from "./verdict.ts";

const SHOWN_USAGE_FIELDS = 4;

export function compareModel(stored: string | null, live: string | null): Finding[] {
  if (stored === null || live === null || stored === live) return [];
  return [{ severity: "minor", field: "model", text: `model: ${stored} → ${live}` }];
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
  return [{ severity: "minor", field: "usage", text }];
}
