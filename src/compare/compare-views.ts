// Two semantic views to findings: errors first (they decide alone), then by kind.

import { compareChoices } from "./compare-choices.ts";
import { compareEmbeddings } from "./compare-embeddings.ts";
import { compareErrors } from "./compare-errors.ts";
import { describeDifference, jsonDifferences } from "./json-differences.ts";
import type { CompareOptions } from "./options.ts";
import type { JsonView, ModelsView, SemanticView } from "./semantic-view.ts";
import type { Finding, ViewComparison } from "./verdict.ts";

const SHOWN_ITEMS = 10;

function listed(items: string[]): string {
  const more = items.length > SHOWN_ITEMS ? `, … (${items.length - SHOWN_ITEMS} more)` : "";
  return items.slice(0, SHOWN_ITEMS).join(", ") + more;
}

/** A model that disappeared breaks the tests that use it; a new one breaks nothing. */
function compareModels(stored: ModelsView, live: ModelsView): Finding[] {
  const liveIds = new Set(live.ids);
  const storedIds = new Set(stored.ids);
  const removed = stored.ids.filter((id) => !liveIds.has(id));
  const added = live.ids.filter((id) => !storedIds.has(id));
  const findings: Finding[] = [];
  if (removed.length)
    findings.push({
      severity: "drifted",
      kind: "model-list",
      field: "model list",
      text: `model list: removed ${listed(removed)}`,
    });
  if (added.length)
    findings.push({
      severity: "minor",
      kind: "model-list",
      field: "model list",
      text: `model list: added ${listed(added)}`,
    });
  // A server setting of a model that stayed (vLLM's max_model_len) is worth a note, not drift.
  const changed = stored.ids.flatMap((id) => {
    if (!liveIds.has(id) || stored.details[id] === undefined || live.details[id] === undefined) return [];
    const first = jsonDifferences(stored.details[id], live.details[id])[0];
    return first ? [`${id} ${describeDifference(first)}`] : [];
  });
  if (changed.length)
    findings.push({
      severity: "minor",
      kind: "model-list",
      field: "model list",
      text: `model list: ${listed(changed)}`,
    });
  return findings;
}

/** A body of unknown shape: any remaining difference may matter to the test. */
function compareJson(stored: JsonView, live: JsonView): Finding[] {
  const differences = jsonDifferences(stored.body, live.body);
  const findings: Finding[] = differences.slice(0, SHOWN_ITEMS).map((difference) => ({
    severity: "drifted",
    kind: "body",
    field: difference.path.replace(/\[\d+\]/g, "[]") || "body",
    text: `body ${describeDifference(difference)}`,
  }));
  if (differences.length > SHOWN_ITEMS) {
    const text = `body: … (${differences.length - SHOWN_ITEMS} more differences)`;
    findings.push({ severity: "drifted", kind: "body", field: "body", text });
  }
  return findings;
}

export function compareViews(
  stored: SemanticView,
  live: SemanticView,
  options: CompareOptions,
): ViewComparison {
  const errors = compareErrors(stored, live, options);
  if (errors) return { findings: errors, similarity: null, diff: null };
  if (stored.kind === "choices" && live.kind === "choices") return compareChoices(stored, live, options);
  if (stored.kind === "embeddings" && live.kind === "embeddings")
    return compareEmbeddings(stored, live, options);
  if (stored.kind === "models" && live.kind === "models") {
    return { findings: compareModels(stored, live), similarity: null, diff: null };
  }
  if (stored.kind === "json" && live.kind === "json")
    return { findings: compareJson(stored, live), similarity: null, diff: null };
  const text = `answer shape: ${stored.kind} → ${live.kind}`;
  const finding: Finding = { severity: "drifted", kind: "shape", field: "answer shape", text };
  return { findings: [finding], similarity: null, diff: null };
}
