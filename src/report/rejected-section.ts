// The report section for recordings the provider now refuses (`rejected`): one line per provider
// and model, because one cause (a model not pulled in the workflow, a retired model, a wrong port)
// usually explains them all, with a hint at that cause.
import type { CheckResult } from "./check-report.ts";
import {
  code,
  count,
  counted,
  listItem,
  listSection,
  type ReportSection,
  text,
  wordsWithCode,
} from "./report-section.ts";

const REJECTS = "provider now rejects: ";
const STATUS_CHANGE = /^error status: \S+ → (\d+)$/;

/** The refusal as the reasons name it: `404 model_not_found`, or the status a recorded error became. */
function refusalOf(reasons: readonly string[]): string {
  for (const reason of reasons) {
    if (reason.startsWith(REJECTS)) return reason.slice(REJECTS.length);
    const status = STATUS_CHANGE.exec(reason);
    if (status) return status[1] as string;
  }
  return "a refusal";
}

/** What to look at first for a refusal with this status. */
function hintFor(refusal: string): string {
  if (refusal.startsWith("404")) return "is the model pulled, or retired? Is the base URL right?";
  if (refusal.startsWith("400") || refusal.startsWith("422"))
    return "does the provider still accept this request's parameters?";
  return "is the provider set up as when these were recorded?";
}

export function rejectedSections(results: readonly CheckResult[]): ReportSection[] {
  const rejected = results.filter((r) => r.verdict === "rejected");
  const groups = new Map<string, { provider: string; model: string; refusal: string; files: number }>();
  for (const result of rejected) {
    const refusal = refusalOf(result.reasons);
    const provider = result.provider ?? "unknown provider";
    const model = result.model ?? "no model";
    const key = JSON.stringify([provider, model, refusal]);
    const group = groups.get(key) ?? { provider, model, refusal, files: 0 };
    group.files++;
    groups.set(key, group);
  }
  const items = [...groups.values()]
    .sort((a, b) => b.files - a.files)
    .map((group) =>
      listItem(
        code(group.model),
        text(" on "),
        code(group.provider),
        text(`: ${counted(group.files, "recording")} now answer${group.files === 1 ? "s" : ""} `),
        code(group.refusal),
        text(`: ${hintFor(group.refusal)}`),
      ),
    );
  return listSection(
    `Now rejected (${count(rejected.length)})`,
    wordsWithCode(
      "These stored a success that the provider now refuses. They are never refreshed unless " +
        "`--update rejected` is given: a refusal must not overwrite a good answer.",
    ),
    items,
    { keep: 60, noun: "group" },
  );
}
