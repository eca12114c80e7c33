// GitHub's limits on what a step may show: a handful of annotations (the job summary's 1 MiB:
// report-cutting.test.ts).
import { describe, expect, it, vi } from "vitest";
import { annotate, MAX_ANNOTATIONS } from "../src/action/annotations.ts";
import type { CheckResult } from "../src/report/check-report.ts";

describe("annotations", () => {
  it(`emits at most ${MAX_ANNOTATIONS}, errors first, and says how many more there are`, () => {
    const results: CheckResult[] = Array.from({ length: 60 }, (_, i) => ({
      file: `recordings/${String(i).padStart(2, "0")}.json`,
      testId: null,
      endpoint: null,
      model: null,
      provider: null,
      verdict: i % 2 === 0 ? "drifted" : "failed",
      similarity: null,
      reasons: ["text changed"],
      problems: i % 2 === 0 ? [] : [{ kind: "invalid", severity: "error", message: "bad", line: 3 }],
    }));
    let out = "";
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    try {
      expect(annotate(results)).toBe(10);
    } finally {
      spy.mockRestore();
    }
    const lines = out.trim().split("\n");
    expect(lines.filter((l) => /^::error .*file=/.test(l))).toHaveLength(30);
    expect(lines.filter((l) => /^::notice .*file=/.test(l))).toHaveLength(20);
    expect(lines.findIndex((l) => l.startsWith("::notice"))).toBe(30);
    expect(lines.at(-1)).toBe(
      "::warning::10 more findings are not annotated (at most 50): see the job summary",
    );
  });
});
