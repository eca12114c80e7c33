// Real re-records from llama-stack's history: served the answer the real recorder got (`after/`)
// for the stored request (`before/`), refresh writes what the real recorder wrote, byte for byte.
import { cpSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { refresh } from "../src/commands/refresh.ts";
import { defaultConfig } from "../src/config.ts";
import { simulatorOverridesFor } from "./support/check-setup.ts";
import { TEST_ENV } from "./support/simulator/replay-setup.ts";
import { startSimulator } from "./support/simulator.ts";
import { makeTempDir } from "./support/temp-dir.ts";

const HISTORY = path.resolve(import.meta.dirname, "fixtures/history");

/** `[commit dir, path]` of every pair in the fixtures. */
function pairs(): Array<[string, string]> {
  return readdirSync(HISTORY, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) =>
      (
        readdirSync(path.join(HISTORY, entry.name, "before"), {
          recursive: true,
          encoding: "utf8",
        }) as string[]
      )
        .filter((file) => file.endsWith(".json"))
        .map((file): [string, string] => [entry.name, file]),
    );
}

/** What the commit's own recorder version added that the stored file's recorder did not write. */
const RECORDER_VERSION_ADDITIONS = [',\n  "id_normalization_mapping": {}\n}'];

describe("refreshing real recordings with the answer the real recorder got", () => {
  it.each(pairs())("%s %s: writes the recorder's bytes", async (commit, file) => {
    const before = readFileSync(path.join(HISTORY, commit, "before", file), "utf8");
    const after = readFileSync(path.join(HISTORY, commit, "after", file), "utf8");
    const dir = makeTempDir("recording-drift-pairs-");
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    cpSync(path.join(HISTORY, commit, "before", file), path.join(dir, file));
    // The stored request, answered as the real provider answered the re-record.
    const served = { ...JSON.parse(before), response: JSON.parse(after).response };
    const sim = await startSimulator({ recordings: [{ file, json: served }], seed: 7, liveify: "wire" });
    try {
      const report = await refresh({
        paths: [dir],
        cwd: dir,
        config: defaultConfig(),
        providerOverrides: simulatorOverridesFor(sim, [{ json: served }]),
        filter: null,
        maxRequests: null,
        samples: 1,
        threshold: null,
        env: TEST_ENV,
        update: "all",
        dryRun: false,
      });
      expect(report.results.map((r) => r.refreshed)).toEqual([true]);
      const written = readFileSync(path.join(dir, file), "utf8");
      const expected = RECORDER_VERSION_ADDITIONS.reduce(
        (text, added) => (before.includes(added) ? text : text.replace(added, "\n}")),
        after,
      );
      expect(written).toBe(expected);
    } finally {
      await sim.close();
    }
  });
});
