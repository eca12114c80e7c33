// Tool calls are structure: a different name, count or argument value changes what the test's
// code does next, so every difference here is `drifted`. Ids are never compared.

import { describeDifference, jsonDifferences } from "./json-differences.ts";
import { shortJson } from "./plain-json.ts";
import type { ToolCallView } from "./semantic-view.ts";
import type { Finding } from "./verdict.ts";

/** Names in `a` not matched one-for-one in `b`. */
function unmatchedNames(a: ToolCallView[], b: ToolCallView[]): string[] {
  const left = b.map((call) => call.name);
  return a
    .map((call) => call.name)
    .filter((name) => {
      const at = left.indexOf(name);
      if (at === -1) return true;
      left.splice(at, 1);
      return false;
    });
}

function compareArguments(stored: ToolCallView, live: ToolCallView): string[] {
  if (stored.validJson && live.validJson) {
    // `argument city: "Paris" → "Lyon"`: the argument named, then what became of it.
    return jsonDifferences(stored.arguments, live.arguments).map((d) =>
      d.path === ""
        ? `arguments: ${describeDifference(d)}`
        : `argument ${d.path}: ${describeDifference({ ...d, path: "" })}`,
    );
  }
  if (stored.validJson !== live.validJson) {
    return [live.validJson ? "arguments are now valid JSON" : "arguments are no longer valid JSON"];
  }
  // Neither parses: compare the text, ignoring only whitespace.
  const squash = (value: unknown): string => String(value).replace(/\s+/g, "");
  if (squash(stored.arguments) === squash(live.arguments)) return [];
  return [`arguments: ${shortJson(stored.arguments)} → ${shortJson(live.arguments)}`];
}

export function compareToolCalls(stored: ToolCallView[], live: ToolCallView[]): Finding[] {
  if (stored.length !== live.length) {
    const added = unmatchedNames(live, stored);
    const removed = unmatchedNames(stored, live);
    const detail = [
      added.length ? `added ${added.join(", ")}` : "",
      removed.length ? `removed ${removed.join(", ")}` : "",
    ]
      .filter(Boolean)
      .join("; ");
    const text = `tool calls: ${stored.length} → ${live.length}${detail ? ` (${detail})` : ""}`;
    return [{ severity: "drifted", kind: "tool-call", field: "tool calls", text }];
  }
  const findings: Finding[] = [];
  stored.forEach((call, i) => {
    const other = live[i]!;
    if (call.name !== other.name) {
      findings.push({
        severity: "drifted",
        kind: "tool-call",
        field: "tool calls",
        text: `tool call ${i + 1}: ${call.name} → ${other.name}`,
      });
      return;
    }
    for (const change of compareArguments(call, other)) {
      findings.push({
        severity: "drifted",
        kind: "tool-call",
        field: `tool ${call.name}`,
        text: `tool ${call.name} ${change}`,
      });
    }
  });
  return findings;
}
