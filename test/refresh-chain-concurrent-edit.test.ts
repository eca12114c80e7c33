// A chained recording edited on disk after the check pass judged it, before the chain pass
// writes: its answer was judged against the bytes it held then, so neither it nor anything of its
// chain is written over the edit. It fails as `check` fails a file edited in flight; the rest of
// its chain says why it was left alone. The edit lands while the chain pass waits for the answer
// to its first rebuilt request: after it read the heads, before it read the last second turn.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../src/commands/check.ts";
import { refresh } from "../src/commands/refresh.ts";
import { fileDigests, listJson, named, setupCheck } from "./support/check-setup.ts";

const CHAINS = path.resolve(import.meta.dirname, "fixtures/chains");
// One test's chain: two heads that answered "Humans live on Earth.", two second turns quoting them.
const EARTH_HEADS = ["c65d14f27684", "d624b9607f22"];
const EARTH_TEXT = "Humans live on Earth.";
const NEW_EARTH_TEXT = "People live on the planet Earth, the third from the Sun.";
const LAST_TURN = "c025632d4d7f";

type Chunk = { choices: Array<{ delta: Record<string, unknown> }> };

describe("refresh of a chain whose recording is edited after the check pass", () => {
  it.each([
    ["a head the chain pass has read (the writer finds it)", EARTH_HEADS[1] as string],
    ["a second turn it has not read yet (the planner finds it)", LAST_TURN],
  ])("%s: writes nothing of the chain and fails the edited recording", async (_, prefix) => {
    const setup = await setupCheck({}, null, CHAINS);
    setup.sim.mutate(named(EARTH_HEADS[0] as string), changeText);
    setup.sim.mutate(named(EARTH_HEADS[1] as string), changeText);
    // The rebuilt second turns are answered as the recordings they were rebuilt from.
    setup.sim.translate((body) => JSON.parse(JSON.stringify(body).replaceAll(NEW_EARTH_TEXT, EARTH_TEXT)));
    await check(setup.options);
    const checkPassRequests = setup.sim.requests.length;
    const before = fileDigests(setup.dir);
    const names = listJson(setup.dir);

    const release = setup.sim.hold(checkPassRequests);
    const refreshing = refresh({ ...setup.options, update: "drifted", dryRun: false });
    while (setup.sim.requests.length <= 2 * checkPassRequests)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const file = setup.file(prefix);
    const edited = readFileSync(file, "utf8").replace('"content": "', '"content": "Edited: ');
    writeFileSync(file, edited);
    release();
    const report = await refreshing;

    const shown = path.relative(setup.dir, file);
    const earth = report.results.filter((r) => r.testId?.includes("multi_turn"));
    expect(earth.find((r) => r.file === shown)).toMatchObject({
      verdict: "failed",
      refreshed: false,
      reasons: ["recording changed during the run: the file changed on disk after it was judged"],
    });
    expect(earth.filter((r) => r.file !== shown).map((r) => [r.refreshed, r.reasons.at(-1)])).toEqual(
      Array(3).fill([false, `its test's chain was not refreshed: ${shown} changed on disk during the run`]),
    );
    expect(readFileSync(file, "utf8")).toBe(edited);
    // No file renamed or added; only the edit differs.
    expect(listJson(setup.dir)).toEqual(names);
    expect(fileDigests(setup.dir).filter((digest, i) => digest !== before[i])).toHaveLength(1);
  });
});

function changeText(chunks: unknown): unknown {
  const withText = (chunks as Chunk[]).filter((c) => typeof c.choices[0]?.delta.content === "string");
  for (const [i, chunk] of withText.entries())
    (chunk.choices[0] as Chunk["choices"][0]).delta.content = i === 0 ? NEW_EARTH_TEXT : "";
  return chunks;
}
