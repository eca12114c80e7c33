// The judgement on real re-records: pairs from llama-stack's git history (the file before and
// after a commit, test/fixtures/history/), one or more per rule, each with the verdict a
// reviewer's label calls for. `diff` judges each pair as the pull-request check would, with the
// `before/` tree as its base.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diff } from "../src/commands/diff.ts";
import { defaultConfig } from "../src/config.ts";

interface Case {
  dir: string;
  path: string;
  category: string;
  meaningful: boolean;
  note: string;
  verdict: string;
  reason: string;
}

const HISTORY = path.resolve(import.meta.dirname, "fixtures/history");
const cases = JSON.parse(readFileSync(path.join(HISTORY, "cases.json"), "utf8")) as Case[];

describe("diff on real re-records from llama-stack's history", () => {
  it.each(cases)("$dir $category: $note → $verdict", async (c) => {
    const report = await diff({
      base: path.join(HISTORY, c.dir, "before"),
      paths: [c.path],
      cwd: path.join(HISTORY, c.dir, "after"),
      config: defaultConfig(),
      threshold: null,
    });
    const result = report.results.find((r) => r.file === c.path);
    expect({ verdict: result?.verdict }).toEqual({ verdict: c.verdict });
    // Flagged exactly when the reviewer wants it pointed out.
    expect(result?.verdict === "drifted").toBe(c.meaningful);
    if (c.reason) expect(result?.reasons.join("\n")).toContain(c.reason);
  });
});
