// `--shard K/N`: every recording in exactly one shard, every test id's recordings in the same
// one, the shards balanced by expected cost (recorded output tokens), the partition the same
// in every job of a matrix, and `K/N` validated by name. The fixtures are too few to say
// anything about balance: it is measured on synthetic entries shaped like the corpus's (the
// real corpus's numbers are in the README, from bench/shard-balance.ts).
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readInputs } from "../src/action/inputs.ts";
import { check } from "../src/commands/check.ts";
import { OptionsError, parseReplayOptions } from "../src/commands/options.ts";
import { formatShard, parseShard } from "../src/commands/shard.ts";
import {
  BYTES_PER_TOKEN,
  partitionByCost,
  partitionName,
  readShardEntries,
  recordingCost,
  type ShardEntry,
} from "../src/commands/shard-partition.ts";
import { findRecordingFiles } from "../src/recording/files.ts";
import { setupCheck } from "./support/check-setup.ts";
import { runCli } from "./support/run-cli.ts";

/** A fixed pseudo-random sequence in [0, 1): the same entries on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/**
 * `count` entries like the corpus's: chains (test ids) of 1 to 40 recordings, a few of 300 short
 * answers, some recordings alone, output tokens from one to a few thousand (most under 100).
 */
function corpusLikeEntries(count: number): ShardEntry[] {
  const next = random(7);
  const entries: ShardEntry[] = [];
  let chain = 0;
  while (entries.length < count) {
    const size = chain % 97 === 0 ? 300 : chain % 5 === 0 ? 1 : 1 + Math.floor(next() * 40);
    for (let i = 0; i < size && entries.length < count; i++) {
      const cost = size === 300 ? 1 + Math.floor(next() * 30) : 1 + Math.floor(next() ** 4 * 3000);
      entries.push({
        file: `tests/integration/t${chain}/recordings/${i}.json`,
        chain: `test:t${chain}`,
        cost,
      });
    }
    chain++;
  }
  return entries;
}

describe("the partition by cost", () => {
  const entries = corpusLikeEntries(3000);
  const total = entries.reduce((sum, e) => sum + e.cost, 0);

  it.each([2, 3, 4, 5, 8, 10, 16])(
    "%i shards: every recording in exactly one, every chain whole, each within 5 percent of the mean cost",
    (count) => {
      const owner = partitionByCost(entries, count);
      expect(owner.size).toBe(entries.length);
      const costs = new Array<number>(count).fill(0);
      const chainShard = new Map<string, number>();
      for (const entry of entries) {
        const k = owner.get(entry.file) as number;
        expect(k).toBeGreaterThanOrEqual(1);
        expect(k).toBeLessThanOrEqual(count);
        expect(chainShard.get(entry.chain) ?? k).toBe(k);
        chainShard.set(entry.chain, k);
        costs[k - 1] = (costs[k - 1] as number) + entry.cost;
      }
      for (const cost of costs)
        expect(Math.abs(cost - total / count) / (total / count)).toBeLessThanOrEqual(0.05);
    },
  );

  it("is the same whatever order the files were found in, and so is its name", () => {
    const shuffled = [...entries].reverse();
    expect([...partitionByCost(shuffled, 8)].sort()).toEqual([...partitionByCost(entries, 8)].sort());
    expect(partitionName(shuffled, 8)).toBe(partitionName(entries, 8));
  });

  it("is named differently for another list of recordings, other costs or another N", () => {
    const name = partitionName(entries, 4);
    expect(partitionName(entries.slice(1), 4)).not.toBe(name);
    expect(
      partitionName([{ ...(entries[0] as ShardEntry), cost: 999_999 }, ...entries.slice(1)], 4),
    ).not.toBe(name);
    expect(partitionName(entries, 5)).not.toBe(name);
  });

  it("one shard holds everything; more shards than chains leaves some empty", () => {
    expect(new Set(partitionByCost(entries, 1).values())).toEqual(new Set([1]));
    const two = entries.slice(0, 2).map((e) => ({ ...e, chain: "test:one" }));
    expect([...partitionByCost(two, 3).values()]).toEqual([1, 1]);
  });
});

describe("a recording's cost", () => {
  it("is its recorded output tokens, the largest count of a stream", () => {
    const stream = `{\n  "test_id": "tests/a.py::test_x[openai]",\n  "response": {"body": [
      {"usage": {"completion_tokens": 3}}, {"usage": {"completion_tokens": 41, "prompt_tokens": 900}}]}}`;
    expect(recordingCost(stream)).toEqual({ testId: "tests/a.py::test_x[openai]", cost: 41 });
    expect(recordingCost('{"test_id": null, "response": {"eval_count": 17}}')).toEqual({
      testId: null,
      cost: 17,
    });
    expect(recordingCost('{"test_id": "a\\"b", "x": {"output_tokens": 0}}')).toEqual({
      testId: 'a"b',
      cost: 1,
    });
  });

  it("is its size in token-equivalents when it records no usage, and it has a test id only when written first", () => {
    const text = `{"request": {}, "test_id": "late", "pad": "${"x".repeat(10 * BYTES_PER_TOKEN)}"}`;
    expect(recordingCost(text)).toEqual({ testId: null, cost: Math.ceil(text.length / BYTES_PER_TOKEN) });
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
  it("the shards' results partition the unsharded run's files, as the partition of every file found says", async () => {
    const setup = await setupCheck();
    const all = await check(setup.options);
    const found = await findRecordingFiles(setup.options.paths, setup.options.cwd);
    const entries = await readShardEntries(found.files, setup.options.cwd);
    const owner = partitionByCost(entries, 3);
    const files: string[][] = [];
    for (let index = 1; index <= 3; index++) {
      const report = await check({ ...setup.options, shard: { index, count: 3 } });
      expect(report).toMatchObject({ shard: `${index}/3`, partition: partitionName(entries, 3) });
      for (const result of report.results) {
        expect(path.isAbsolute(result.file)).toBe(false);
        expect(owner.get(result.file)).toBe(index);
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
    const empty = await check({ ...setup.options, shard: { index: 2, count: 2 } });
    expect(empty).toEqual({
      shard: "2/2",
      partition: expect.stringMatching(/^[0-9a-f]{16}$/),
      summary: {
        total: 0,
        unchanged: 0,
        minor: 0,
        nondeterministic: 0,
        drifted: 0,
        rejected: 0,
        failed: 0,
        skipped: 0,
      },
      results: [],
    });
    const mine = await check({ ...setup.options, shard: { index: 1, count: 2 } });
    expect(mine.results.map((r) => [r.file, r.verdict])).toEqual([[file, "unchanged"]]);
  });
});
