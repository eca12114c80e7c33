// Where two JSON values differ, path by path. Objects compare by key (order never matters),
// numbers by value.

import { isPlainObject, shortJson } from "./plain-json.ts";

export interface JsonDifference {
  /** Dotted path with `[i]` for array items; empty for the values themselves. */
  path: string;
  kind: "changed" | "added" | "removed";
  stored: unknown;
  live: unknown;
}

function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path === "" ? key : `${path}.${key}`;
}

export function jsonDifferences(
  stored: unknown,
  live: unknown,
  path = "",
  out: JsonDifference[] = [],
): JsonDifference[] {
  if (Array.isArray(stored) && Array.isArray(live)) {
    for (let i = 0; i < Math.max(stored.length, live.length); i++) {
      if (i >= live.length)
        out.push({ path: childPath(path, i), kind: "removed", stored: stored[i], live: undefined });
      else if (i >= stored.length)
        out.push({ path: childPath(path, i), kind: "added", stored: undefined, live: live[i] });
      else jsonDifferences(stored[i], live[i], childPath(path, i), out);
    }
  } else if (isPlainObject(stored) && isPlainObject(live)) {
    for (const key of new Set([...Object.keys(stored), ...Object.keys(live)])) {
      const inStored = Object.hasOwn(stored, key);
      const inLive = Object.hasOwn(live, key);
      const kind = inStored && inLive ? null : inStored ? "removed" : "added";
      if (kind) out.push({ path: childPath(path, key), kind, stored: stored[key], live: live[key] });
      else jsonDifferences(stored[key], live[key], childPath(path, key), out);
    }
  } else if (stored !== live) {
    out.push({ path, kind: "changed", stored, live });
  }
  return out;
}

const SHOWN_CHARS = 60;
const WINDOW_CONTEXT = 20;

/**
 * Two long strings that differ somewhere in the middle, each cut to the window around where
 * they differ: a find-and-replace deep in a prompt shows the replaced words, not two copies of
 * the shared beginning.
 */
function changedWindows(stored: string, live: string): [string, string] {
  let start = 0;
  while (start < stored.length && start < live.length && stored[start] === live[start]) start++;
  let end = 0;
  while (
    end < stored.length - start &&
    end < live.length - start &&
    stored[stored.length - 1 - end] === live[live.length - 1 - end]
  ) {
    end++;
  }
  const from = Math.max(0, start - WINDOW_CONTEXT);
  const cut = (text: string) => {
    const to = Math.min(text.length, text.length - end + WINDOW_CONTEXT);
    const middle = text.slice(from, to);
    const shown = middle.length > SHOWN_CHARS ? `${middle.slice(0, SHOWN_CHARS - 1)}…` : middle;
    return JSON.stringify(`${from > 0 ? "…" : ""}${shown}${to < text.length ? "…" : ""}`);
  };
  return [cut(stored), cut(live)];
}

/** `city "Paris" → "Lyon"`, `unit added ("celsius")`, `unit removed (was "c")`. */
export function describeDifference(difference: JsonDifference): string {
  const at = difference.path === "" ? "" : `${difference.path} `;
  if (difference.kind === "added") return `${at}added (${shortJson(difference.live)})`;
  if (difference.kind === "removed") return `${at}removed (was ${shortJson(difference.stored)})`;
  const { stored, live } = difference;
  if (
    typeof stored === "string" &&
    typeof live === "string" &&
    Math.max(stored.length, live.length) > SHOWN_CHARS
  ) {
    const [was, now] = changedWindows(stored, live);
    return `${at}${was} → ${now}`;
  }
  return `${at}${shortJson(stored)} → ${shortJson(live)}`;
}
