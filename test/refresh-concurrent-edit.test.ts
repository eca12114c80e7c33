// A recording edited on disk while its request is in flight: its answer is to the request the
// file held then, so it is neither judged against the new contents nor written over them (that
// paired the edited request with the old answer). It fails with the reason and is left as edited;
// the other drifted recording is refreshed as usual.
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { refresh } from "../src/commands/refresh.ts";
import { setupCheck } from "./support/check-setup.ts";

const CHAT = "007a9180a7aa";
const STREAM = "00cf12ddd414";

describe("refresh of a recording edited while its request is in flight", () => {
  it("leaves it as edited and says why; refreshes the rest", async () => {
    const setup = await setupCheck({ liveify: "wire" }, [CHAT, STREAM]);
    setup.sim.mutate(
      () => true,
      (data) => JSON.parse(JSON.stringify(data).replaceAll('"content":"', '"content":"Drifted: ')),
    );
    const edited = setup.file(CHAT);
    const release = setup.sim.hold(0);
    const refreshing = refresh({ ...setup.options, update: "all", dryRun: false });
    while (setup.sim.inFlight < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    // A hand edit (or another run) changes the stored answer meanwhile.
    const editedText = readFileSync(edited, "utf8").replace('"content": "', '"content": "Edited: ');
    writeFileSync(edited, editedText);
    release();
    const report = await refreshing;

    const result = (prefix: string) => report.results.find((r) => r.file.includes(`/${prefix}`));
    expect(result(CHAT)?.refreshed ?? false).toBe(false);
    expect(result(CHAT)?.verdict).toBe("failed");
    expect(result(CHAT)?.reasons).toEqual([
      "recording changed during the run: the file changed on disk while its request was replayed",
    ]);
    expect(readFileSync(edited, "utf8")).toBe(editedText);
    expect(result(STREAM)?.refreshed).toBe(true);
  });
});
