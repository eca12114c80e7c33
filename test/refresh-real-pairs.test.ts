// Real re-records from llama-stack's history: served the answer the real recorder got (`after/`)
// for the stored request (`before/`), refresh writes what the real recorder wrote, byte for byte.
import { cpSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { refresh } from "../src/commands/refresh.ts";
import { defaultConfig } from "../src/config.ts";
import { simulatorOverridesFor } from "./support/check-setup.ts";
import { TEST_ENV } from "./support/simulator/replay-setup.ts";
import { startSimulator } from "./support/simulator.ts";
import { makeTempDir } from "./support/temp-dir.ts";

const HISTORY = path.resolve(import.meta.dirname, "fixtures/history");

/** `[commit dir, path]` of the pairs whose request stayed the same and that go over HTTP. */
const PAIRS: Array<[string, string]> = [
  ["2025-10-02-ef0736527da1", "tests/integration/recordings/responses/4ebcaf6c2aee.json"],
  [
    "2025-10-08-79bed44b04bd",
    "tests/integration/common/recordings/c34cccb2af2fb9f02f7136b0dd350e75e7d2a77d222ef26a9bc419e10fa33c56.json",
  ],
  [
    "2025-10-08-79bed44b04bd",
    "tests/integration/inference/recordings/1774e408dada8623a932f20fd67ab722cbff2a2213309d8a33ec2ed5a444e5d4.json",
  ],
  [
    "2025-10-10-13944033609f",
    "tests/integration/responses/recordings/8dd4f0615edfc30423d90b13daac2116ef34b6d673c83743a9e22a2b56f08eb2.json",
  ],
];

/** What the commit's own recorder version added that the stored file's recorder did not write. */
const RECORDER_VERSION_ADDITIONS = [',\n  "id_normalization_mapping": {}\n}'];

describe("refreshing real recordings with the answer the real recorder got", () => {
  it.each(PAIRS)("%s %s: writes the recorder's bytes", async (commit, file) => {
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
