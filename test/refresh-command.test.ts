import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../src/commands/check.ts";
import { refresh } from "../src/commands/refresh.ts";
import { verify } from "../src/commands/verify.ts";
import { listJson, setupCheck } from "./support/check-setup.ts";

const CHAT = "007a9180a7aa";
const STREAM_TOOLS = "00cf12ddd414";

const snapshot = (dir: string) =>
  new Map(listJson(dir).map((f) => [f, readFileSync(path.join(dir, f), "utf8")]));

describe("refresh --update all against a provider that says what the recordings say", () => {
  it("leaves every fixture byte-identical", async () => {
    const setup = await setupCheck({ liveify: "wire" });
    const before = snapshot(setup.dir);
    const report = await refresh({ ...setup.options, update: "all", dryRun: false });
    expect(report.results.filter((r) => r.refreshed).length).toBeGreaterThanOrEqual(34);
    expect(setup.sim.unmatched).toEqual([]);
    const after = snapshot(setup.dir);
    const changed = [...after].filter(([file, text]) => before.get(file) !== text).map(([file]) => file);
    // The 2025-08 recorder stored ids and timestamps as sent, so a faithful re-recording changes
    // exactly those lines there; current-layout files do not change at all.
    expect(changed.filter((file) => !file.startsWith("llama-stack-2025-08/"))).toEqual([]);
    for (const file of changed) {
      const lines = (text: string) => text.split("\n");
      const old = lines(before.get(file) as string);
      const differing = lines(after.get(file) as string).filter((line, i) => line !== old[i]);
      expect(
        differing.every((line) => /^\s*"(id|created)": /.test(line)),
        file,
      ).toBe(true);
    }
  });
});

describe("refresh of drifted recordings", () => {
  it("rewrites only the drifted file, which then verifies, keeps its hash result and checks unchanged", async () => {
    const setup = await setupCheck({}, [CHAT, STREAM_TOOLS]);
    setup.sim.mutate(
      (file) => path.basename(file).startsWith(CHAT),
      (data) => {
        const choice = (data as { choices: Array<{ message: { content: string }; finish_reason: string }> })
          .choices[0];
        if (choice) {
          choice.message.content = "An entirely different verdict, written another way.";
          choice.finish_reason = "length";
        }
        return data;
      },
    );
    const verifiedBefore = await verify({ paths: [setup.dir], cwd: setup.dir });
    const before = snapshot(setup.dir);

    const dry = await refresh({ ...setup.options, update: "drifted", dryRun: true });
    expect(dry.wouldRefresh).toEqual([path.relative(setup.dir, setup.file(CHAT))]);
    expect(snapshot(setup.dir)).toEqual(before);

    const report = await refresh({ ...setup.options, update: "drifted", dryRun: false });
    expect(
      report.results.map((r) => [path.basename(r.file).slice(0, 12), r.verdict, r.refreshed]).sort(),
    ).toEqual([
      [CHAT, "drifted", true],
      [STREAM_TOOLS, "unchanged", false],
    ]);
    const after = snapshot(setup.dir);
    const changed = [...after]
      .filter(([file, text]) => before.get(file) !== text)
      .map(([file]) => path.basename(file));
    expect(changed.map((f) => f.slice(0, 12))).toEqual([CHAT]);
    const text = after.get(path.relative(setup.dir, setup.file(CHAT))) as string;
    expect(text).toContain('"content": "An entirely different verdict, written another way."');
    expect(text).toContain('"finish_reason": "length"');

    const verifiedAfter = await verify({ paths: [setup.dir], cwd: setup.dir });
    expect(verifiedAfter.summary).toEqual(verifiedBefore.summary);
    expect(verifiedAfter.results.map((r) => [r.valid, r.roundTrip, r.hash])).toEqual(
      verifiedBefore.results.map((r) => [r.valid, r.roundTrip, r.hash]),
    );

    const again = await check(setup.options);
    expect(again.results.map((r) => r.verdict)).toEqual(["unchanged", "unchanged"]);
  });
});
