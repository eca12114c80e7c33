// Which annotations a step emits, within GitHub's limits: a step shows at most 10 annotations of
// each level (error, warning, notice); any beyond are dropped without a trace. So repeats of one
// kind of problem on one file collapse into one annotation, each level keeps its room minus one
// for a summary that states exactly what it left out, by kind. Pure: annotations.ts emits.
import { count } from "../report/report-section.ts";

export type AnnotationLevel = "error" | "warning" | "notice";
export const ANNOTATION_LEVELS: readonly AnnotationLevel[] = ["error", "warning", "notice"];

/** GitHub shows at most this many annotations of each level per step. */
export const GITHUB_ANNOTATIONS_PER_LEVEL = 10;

export interface Finding {
  level: AnnotationLevel;
  /** What the summary counts it as: `misnamed`, `drifted`, `misnamed already at the base`… */
  kind: string;
  file: string;
  line: number;
  title: string;
  message: string;
}

export interface AnnotationPlan {
  /** The annotations on files, each level in the order the findings came. */
  annotations: Finding[];
  /** One line per level that did not fit: how many were left out, by kind. */
  summaries: Array<{ level: AnnotationLevel; message: string }>;
}

/**
 * `room` is how many annotations of each level the step can still show (10 less what else it
 * emits at that level, such as its failure message).
 */
export function planAnnotations(
  findings: readonly Finding[],
  room: Readonly<Record<AnnotationLevel, number>>,
): AnnotationPlan {
  const plan: AnnotationPlan = { annotations: [], summaries: [] };
  for (const level of ANNOTATION_LEVELS) {
    const distinct = collapseRepeats(findings.filter((f) => f.level === level));
    if (distinct.length <= room[level]) {
      plan.annotations.push(...distinct);
      continue;
    }
    const shown = Math.max(0, room[level] - 1);
    plan.annotations.push(...distinct.slice(0, shown));
    plan.summaries.push({ level, message: remainderMessage(level, distinct.slice(shown)) });
  }
  return plan;
}

/** One finding per file and kind: the first, saying on which lines the others are. */
function collapseRepeats(findings: readonly Finding[]): Finding[] {
  const byFileAndKind = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = JSON.stringify([finding.file, finding.kind]);
    const same = byFileAndKind.get(key);
    if (same) same.push(finding);
    else byFileAndKind.set(key, [finding]);
  }
  return [...byFileAndKind.values()].map(([first, ...rest]) => {
    const head = first as Finding;
    if (rest.length === 0) return head;
    const lines = rest.map((f) => f.line).join(", ");
    return { ...head, message: `${head.message} (${rest.length} more in this file: line ${lines})` };
  });
}

/** "436 more errors not annotated: 430 misnamed, 6 invalid — see the job summary". */
function remainderMessage(level: AnnotationLevel, left: readonly Finding[]): string {
  const byKind = new Map<string, number>();
  for (const finding of left) byKind.set(finding.kind, (byKind.get(finding.kind) ?? 0) + 1);
  const kinds = [...byKind].map(([kind, n]) => `${count(n)} ${kind}`).join(", ");
  return `${count(left.length)} more ${level}${left.length === 1 ? "" : "s"} not annotated: ${kinds} — see the job summary`;
}
