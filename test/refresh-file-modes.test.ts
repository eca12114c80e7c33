// A refreshed recording keeps its file's mode: the rewrite goes through a temporary file renamed
// over the old one, which used to leave every refreshed file 0644 (a read-only one writable).
import { chmodSync, readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { refresh } from "../src/commands/refresh.ts";
import { setupCheck } from "./support/check-setup.ts";

const CHAT = "007a9180a7aa";
const STREAM = "00cf12ddd414";

describe("refresh of drifted recordings", () => {
  it("keeps each file's mode, read-only and group-writable alike", async () => {
    const setup = await setupCheck({ liveify: "wire" }, [CHAT, STREAM]);
    const modes = new Map([
      [setup.file(CHAT), 0o444],
      [setup.file(STREAM), 0o664],
    ]);
    for (const [file, mode] of modes) chmodSync(file, mode);
    const before = new Map([...modes.keys()].map((file) => [file, readFileSync(file, "utf8")]));
    setup.sim.mutate(
      () => true,
      (data) => JSON.parse(JSON.stringify(data).replaceAll('"content":"', '"content":"Drifted: ')),
    );
    const report = await refresh({ ...setup.options, update: "all", dryRun: false });
    expect(report.results.filter((r) => r.refreshed)).toHaveLength(2);
    for (const [file, mode] of modes) {
      expect(readFileSync(file, "utf8"), file).not.toBe(before.get(file));
      expect(statSync(file).mode & 0o7777, file).toBe(mode);
    }
  });
});
