// GitHub shows at most 10 annotations per level per step and drops the rest silently: the plan
// collapses repeats, keeps room for one summary per level and counts exactly what it left out.
import { describe, expect, it } from "vitest";
import { type Finding, planAnnotations } from "../src/action/annotation-plan.ts";

const finding = (level: Finding["level"], kind: string, file: string, line = 1): Finding => ({
  level,
  kind,
  file,
  line,
  title: `recording-drift: ${kind}`,
  message: `${kind} problem`,
});

const many = (count: number, level: Finding["level"], kind: string) =>
  Array.from({ length: count }, (_, i) => finding(level, kind, `recordings/${kind}-${i}.json`));

const FULL_ROOM = { error: 10, warning: 10, notice: 10 };

describe("the annotation plan", () => {
  it("shows everything when each level fits", () => {
    const findings = [...many(10, "error", "misnamed"), ...many(3, "notice", "drifted")];
    const plan = planAnnotations(findings, FULL_ROOM);
    expect(plan.annotations).toEqual(findings);
    expect(plan.summaries).toEqual([]);
  });

  it("over the limit: 9 per level and one summary with the exact remainder by kind, on all 3 levels", () => {
    const findings = [
      ...many(5, "error", "invalid"),
      ...many(445, "error", "misnamed"),
      ...many(12, "warning", "reformatted"),
      ...many(30, "notice", "drifted"),
      ...many(4, "notice", "misnamed already at the base"),
    ];
    const plan = planAnnotations(findings, FULL_ROOM);
    const shown = (level: Finding["level"]) => plan.annotations.filter((a) => a.level === level);
    expect(shown("error").map((a) => a.kind)).toEqual([
      ...Array(5).fill("invalid"),
      ...Array(4).fill("misnamed"),
    ]);
    expect(shown("warning")).toHaveLength(9);
    expect(shown("notice")).toHaveLength(9);
    expect(plan.summaries).toEqual([
      { level: "error", message: "441 more errors not annotated: 441 misnamed — see the job summary" },
      { level: "warning", message: "3 more warnings not annotated: 3 reformatted — see the job summary" },
      {
        level: "notice",
        message:
          "25 more notices not annotated: 21 drifted, 4 misnamed already at the base — see the job summary",
      },
    ]);
  });

  it("leaves room for what the step emits elsewhere, such as its failure message", () => {
    const plan = planAnnotations([...many(445, "error", "misnamed"), ...many(5, "error", "invalid")], {
      ...FULL_ROOM,
      error: 9,
    });
    expect(plan.annotations).toHaveLength(8);
    expect(plan.summaries).toEqual([
      {
        level: "error",
        message: "442 more errors not annotated: 437 misnamed, 5 invalid — see the job summary",
      },
    ]);
  });

  it("collapses one kind of problem repeated in one file into one annotation naming the other lines", () => {
    const plan = planAnnotations(
      [
        finding("error", "credential", "a.json", 4),
        finding("error", "credential", "a.json", 9),
        finding("error", "credential", "a.json", 12),
        finding("error", "misnamed", "a.json", 2),
        finding("error", "credential", "b.json", 3),
      ],
      FULL_ROOM,
    );
    expect(plan.annotations.map(({ file, line, kind, message }) => ({ file, line, kind, message }))).toEqual([
      {
        file: "a.json",
        line: 4,
        kind: "credential",
        message: "credential problem (2 more in this file: line 9, 12)",
      },
      { file: "a.json", line: 2, kind: "misnamed", message: "misnamed problem" },
      { file: "b.json", line: 3, kind: "credential", message: "credential problem" },
    ]);
  });

  it("with no room left for a level, still says how many it left out", () => {
    const plan = planAnnotations(many(1, "warning", "reformatted"), { ...FULL_ROOM, warning: 0 });
    expect(plan.annotations).toEqual([]);
    expect(plan.summaries).toEqual([
      { level: "warning", message: "1 more warning not annotated: 1 reformatted — see the job summary" },
    ]);
  });
});
