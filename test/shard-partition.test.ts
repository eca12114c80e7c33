// `--shard K/N`: every recording in exactly one shard, the shards balanced, the partition
// pinned (every job of a matrix must compute the same one), and `K/N` validated by name. The
// fixtures are too few to say anything about balance: it is measured on 30,000 synthetic paths
// shaped like the corpus's (the real corpus's numbers are in the README).
import { createHash } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readInputs } from "../src/action/inputs.ts";
import { check } from "../src/commands/check.ts";
import { OptionsError, parseReplayOptions } from "../src/commands/options.ts";
import { formatShard, inShard, parseShard, shardOf } from "../src/commands/shard.ts";
import { setupCheck } from "./support/check-setup.ts";
import { runCli } from "./support/run-cli.ts";

const AREAS = [
  "agents",
  "batches",
  "common",
  "inference",
  "interactions",
  "messages",
  "openresponses",
  "responses",
  "safety",
  "tool_runtime",
  "vector_io",
];

/** `count` paths like the corpus's: `tests/integration/<area>/recordings/<request hash>.json`. */
function corpusLikePaths(count: number): string[] {
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const hash = createHash("sha256").update(`recording ${i}`).digest("hex");
    const area = AREAS[i % AREAS.length] as string;
    const name = i % 50 === 0 ? `models-${hash}-${hash.slice(0, 8)}.json` : `${hash}.json`;
    paths.push(`tests/integration/${area}/recordings/${name}`);
  }
  return paths;
}

describe("the partition", () => {
  const paths = corpusLikePaths(30_000);

  it.each([2, 3, 4, 5, 8, 10, 16])(
    "%i shards: every path in exactly one, each within 10 percent of the mean",
    (count) => {
      const sizes = new Array<number>(count).fill(0);
      for (const file of paths) {
        const owners = Array.from({ length: count }, (_, i) => i + 1).filter((index) =>
          inShard(file, { index, count }),
        );
        expect(owners).toHaveLength(1);
        const owner = owners[0] as number;
        sizes[owner - 1] = (sizes[owner - 1] as number) + 1;
      }
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(paths.length);
      const mean = paths.length / count;
      for (const size of sizes) expect(Math.abs(size - mean) / mean).toBeLessThanOrEqual(0.1);
    },
  );

  it("is pinned: the first 8 bytes of the path's SHA-256, mod N, plus one", () => {
    const file =
      "tests/integration/inference/recordings/0eca8ac9656056d4fd9b1802f01f6ae9f7ff628af04d5ed39f779a78a41a159b.json";
    const h = BigInt(`0x${createHash("sha256").update(file).digest("hex").slice(0, 16)}`);
    for (const count of [1, 2, 3, 7, 100]) expect(shardOf(file, count)).toBe(Number(h % BigInt(count)) + 1);
    expect(shardOf(file, 1)).toBe(1);
    expect([shardOf(file, 2), shardOf(file, 3), shardOf(file, 4)]).toEqual([2, 2, 4]);
  });

  it("one shard holds everything", () => {
    expect(paths.every((file) => inShard(file, { index: 1, count: 1 }))).toBe(true);
  });
});

describe("K/N", () => {
  it.each([
    ["1/1", { index: 1, count: 1 }],
    ["3/4", { index: 3, count: 4 }],
    [" 2 / 16 ", { index: 2, count: 16 }],
  ])("%j reads as shard %o", (text, shard) => {
    expect(parseShard(text)).toEqual(shard);
    expect(parseReplayOptions({ shard: text }).shard).toEqual(shard);
    expect(formatShard(shard)).toBe(`${shard.index}/${shard.count}`);
  });

  it.each(["0/3", "4/3", "1/0", "3", "a/b", "-1/2", "1.5/2", "1/2/3", ""])(
    "%j is refused naming --shard",
    (text) => {
      expect(() => parseReplayOptions({ shard: text })).toThrow(
        new OptionsError("--shard: expected K/N with 1 <= K <= N, e.g. 2/4"),
      );
    },
  );

  it("the action's shard input is refused by name", () => {
    const saved = { ...process.env };
    try {
      process.env.INPUT_MODE = "check";
      process.env.INPUT_SHARD = "5/4";
      expect(() => readInputs({})).toThrow("input shard: expected K/N with 1 <= K <= N, e.g. 2/4");
      process.env.INPUT_SHARD = "2/4";
      const inputs = readInputs({});
      expect(inputs.mode === "check" && inputs.replay.shard).toEqual({ index: 2, count: 4 });
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    }
  });

  it("the CLI refuses a bad --shard with exit 2, naming it", async () => {
    const run = await runCli(["check", "--shard", "3/2", "nowhere"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("recording-drift: --shard: expected K/N with 1 <= K <= N, e.g. 2/4");
  });
});

describe("check --shard over the fixtures", () => {
  it("the shards' results partition the unsharded run's files, each by its path from the working directory", async () => {
    const setup = await setupCheck();
    const all = await check(setup.options);
    const files: string[][] = [];
    for (let index = 1; index <= 3; index++) {
      const report = await check({ ...setup.options, shard: { index, count: 3 } });
      for (const result of report.results) {
        expect(path.isAbsolute(result.file)).toBe(false);
        expect(shardOf(result.file, 3)).toBe(index);
      }
      files.push(report.results.map((r) => r.file));
    }
    expect(files.every((shard) => shard.length > 0)).toBe(true);
    expect(files.flat().sort()).toEqual(all.results.map((r) => r.file));
  });

  it("an empty shard gives an empty report, not an error", async () => {
    const setup = await setupCheck({}, ["0eca8ac9656056d4"]);
    const file =
      "llama-stack/tests/integration/inference/recordings/0eca8ac9656056d4fd9b1802f01f6ae9f7ff628af04d5ed39f779a78a41a159b.json";
    const own = shardOf(file, 2);
    const other = { index: own === 1 ? 2 : 1, count: 2 };
    expect(await check({ ...setup.options, shard: other })).toEqual({
      summary: { total: 0, unchanged: 0, minor: 0, drifted: 0, rejected: 0, failed: 0, skipped: 0 },
      results: [],
    });
    const mine = await check({ ...setup.options, shard: { index: own, count: 2 } });
    expect(mine.results.map((r) => [r.file, r.verdict])).toEqual([[file, "unchanged"]]);
  });
});
