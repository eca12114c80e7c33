// Server-sent events from a streaming passthrough body (the raw lines as recorded or received).

import { parseJson } from "./plain-json.ts";

/** The JSON payload of each event, in order; `[DONE]` and non-JSON payloads are skipped. */
export function sseEvents(body: unknown): unknown[] {
  const lines = typeof body === "string" ? body.split(/\r?\n/) : Array.isArray(body) ? body : [];
  const events: unknown[] = [];
  let data: string[] = [];
  const dispatch = (): void => {
    const payload = data.join("\n").trim();
    data = [];
    if (payload === "" || payload === "[DONE]") return;
    const parsed = parseJson(payload);
    if (parsed !== undefined) events.push(parsed);
  };
  for (const line of lines) {
    if (typeof line !== "string") continue;
    // An event's data may span several `data:` lines; a blank line ends the event.
    if (line.trim() === "") dispatch();
    else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
  }
  dispatch();
  return events;
}
