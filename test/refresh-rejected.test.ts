import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { refresh } from "../src/commands/refresh.ts";
import { formatMarkdown } from "../src/report/markdown.ts";
import { listJson, named, setupCheck } from "./support/check-setup.ts";

const CHAT = "007a9180a7aa"; // Ollama chat, stored success
const RECORDED_400 = "28a43dc80443"; // a recorded 400 the test expects

const snapshot = (dir: string) =>
  new Map(listJson(dir).map((f) => [f, readFileSync(path.join(dir, f), "utf8")]));
const MODEL_NOT_FOUND = {
  kind: "status",
  status: 404,
  body: { error: { message: "model 'llama3.2:3b' not found", type: "not_found_error", code: null } },
} as const;

describe("a provider answering 404 to everything", () => {
  it("refresh --update all changes no file, and reports each as rejected grouped by model", async () => {
    const setup = await setupCheck();
    setup.sim.fault(MODEL_NOT_FOUND);
    const before = snapshot(setup.dir);
    const report = await refresh({ ...setup.options, update: "all", dryRun: false });
    expect(snapshot(setup.dir)).toEqual(before);
    expect(report.results.filter((r) => r.refreshed)).toEqual([]);
    expect(report.summary.rejected).toBeGreaterThan(20);
    expect(report.summary.drifted).toBe(0);
    const markdown = formatMarkdown(report);
    expect(markdown).toContain(`### Now rejected (${report.summary.rejected})`);
    expect(markdown).toMatch(
      /- `llama3\.2:3b-instruct-fp16` on `\S+`: \d+ recordings now answer `404 not_found_error`: is the model pulled, or retired\?/,
    );
  });
});

describe("--update rejected and --update accepted", () => {
  it("rewrite a stored success with a refusal, or a stored refusal with a success, only when named", async () => {
    const setup = await setupCheck({}, [CHAT, RECORDED_400]);
    setup.sim.fault(MODEL_NOT_FOUND, { recording: named(CHAT) });
    setup.sim.fault(
      {
        kind: "status",
        status: 200,
        body: JSON.parse(readFileSync(setup.file(CHAT), "utf8")).response.body.__data__,
      },
      { recording: named(RECORDED_400) },
    );
    const before = snapshot(setup.dir);
    for (const update of ["drifted", "changed", "all"] as const) {
      await refresh({ ...setup.options, update, dryRun: false });
      expect(snapshot(setup.dir), update).toEqual(before);
    }
    const accepted = await refresh({ ...setup.options, update: "accepted", dryRun: true });
    expect(accepted.wouldRefresh.map((f) => path.basename(f).slice(0, 12))).toEqual([RECORDED_400]);
    const rejected = await refresh({ ...setup.options, update: "rejected", dryRun: false });
    expect(rejected.results.map((r) => [path.basename(r.file).slice(0, 12), r.verdict, r.refreshed])).toEqual(
      [
        [CHAT, "rejected", true],
        [RECORDED_400, "drifted", false],
      ],
    );
    const text = readFileSync(setup.file(CHAT), "utf8");
    expect(text).toContain('"is_exception": true');
    expect(text).toContain('"status_code": 404');
  });
});
