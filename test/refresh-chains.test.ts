// A refresh keeps every test replayable: after it, a harness that plays each test as llama-stack's
// replay mode does — send turn 1, take the stored answer, build turn 2 from it, hash turn 2's
// request by the recorder's rules and look the file up — finds every recording of every test, or
// the test's chain is untouched and reported as needing a re-record. No stale file is left.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../src/commands/check.ts";
import { refresh } from "../src/commands/refresh.ts";
import { parseJson } from "../src/recording/json-read.ts";
import { isJsonObject, type JsonObject, type JsonValue } from "../src/recording/json-value.ts";
import { mapStrings } from "../src/refresh/chain-rebuild.ts";
import { formatMarkdown } from "../src/report/markdown.ts";
import { recorderHash, replayHarness } from "./support/chain-harness.ts";
import { listJson, setupCheck } from "./support/check-setup.ts";
import { makeTempDir } from "./support/temp-dir.ts";

const CHAINS = path.resolve(import.meta.dirname, "fixtures/chains");
const TOOL_HEAD = "68aee8f8d3c2"; // streams a get_weather call; the next request sends its result back
const TOOL_TAIL = "66de2028326b";
const EARTH_HEADS = ["d624b9607f22", "c65d14f27684"]; // both answered "Humans live on Earth."
const EARTH_TEXT = "Humans live on Earth.";
const NEW_EARTH_TEXT = "People live on the planet Earth, the third from the Sun.";
const STORED_CALL_ID = "call_oQPJP1aMDcaTaqIVgzUINmDV";
// Ollama: llama3.2 streams its tool call as text, which the llama-guard check of the output quotes.
const GUARDED = "2a5013730936";
const GUARD = "046d92297df0";
const GUARDED_TEXT = `{"name":"get_weather","parameters':{'city':'New York'}}`;
const NEW_GUARDED_TEXT = `{"name": "get_weather", "parameters": {"city": "New York City"}}`;

type Chunk = { model?: string; choices: Array<{ delta: Record<string, unknown> }> };
const named =
  (...prefixes: string[]) =>
  (file: string) =>
    prefixes.some((prefix) => path.basename(file).startsWith(prefix));
// llama-guard checks of the user's input, in no chain: `--update all` rewrites their noise.
const UNCHAINED = ["568495128774", "c7446b903135"];
/** Every chained recording's text, by path. */
const snapshot = (dir: string) =>
  new Map(
    listJson(dir)
      .filter((f) => !UNCHAINED.some((prefix) => path.basename(f).startsWith(prefix)))
      .map((f) => [f, readFileSync(path.join(dir, f), "utf8")]),
  );

function readTree(file: string): JsonObject {
  return parseJson(readFileSync(file, "utf8")) as JsonObject;
}

/** The head's get_weather call now asks for Lyon: a tool call changed, which no rebuild can follow. */
function askForLyon(chunks: unknown): unknown {
  for (const chunk of chunks as Chunk[]) {
    const calls = chunk.choices[0]?.delta.tool_calls;
    if (!Array.isArray(calls)) continue;
    for (const call of calls) {
      const fn = (call as { function?: { arguments?: string } }).function;
      if (fn?.arguments === "Paris") fn.arguments = "Lyon";
    }
  }
  return chunks;
}

describe("check on chained recordings", () => {
  it("lists, for a drifted head, the later recordings of its test as stale with it", async () => {
    const setup = await setupCheck({}, null, CHAINS);
    setup.sim.mutate(named(TOOL_HEAD), (chunks) => {
      for (const chunk of chunks as Chunk[]) {
        const calls = chunk.choices[0]?.delta.tool_calls;
        if (Array.isArray(calls) && calls[0]?.function?.name === "get_weather")
          calls[0].function.name = "get_forecast";
      }
      return chunks;
    });
    const report = await check(setup.options);
    const head = report.results.find((r) => r.file.includes(TOOL_HEAD));
    expect(head).toMatchObject({ verdict: "drifted", downstream: [expect.stringContaining(TOOL_TAIL)] });
    expect(formatMarkdown(report)).toMatch(
      new RegExp(`- stale with it \\(later requests of its test embed this answer\\): \\S+${TOOL_TAIL}`),
    );
  });
});

describe("refreshing whole test chains", () => {
  it("a head's text changed: later requests are rebuilt and renamed, and every test replays", async () => {
    const setup = await setupCheck({}, null, CHAINS);
    setup.sim.mutate(named(...EARTH_HEADS), (chunks) => {
      const withText = (chunks as Chunk[]).filter((c) => typeof c.choices[0]?.delta.content === "string");
      for (const [i, chunk] of withText.entries())
        (chunk.choices[0] as Chunk["choices"][0]).delta.content = i === 0 ? NEW_EARTH_TEXT : "";
      return chunks;
    });
    // The rebuilt second turns are answered as the recordings they were rebuilt from.
    setup.sim.translate((body) => JSON.parse(JSON.stringify(body).replaceAll(NEW_EARTH_TEXT, EARTH_TEXT)));
    const before = snapshot(setup.dir);
    const dry = await refresh({ ...setup.options, update: "drifted", dryRun: true });
    expect(snapshot(setup.dir)).toEqual(before);
    // The two heads under their names, the two second turns under their new ones.
    expect(dry.wouldRefresh).toHaveLength(4);
    expect(dry.wouldRefresh.filter((f) => before.has(f))).toHaveLength(2);
    const report = await refresh({ ...setup.options, update: "drifted", dryRun: false });

    const renamed = report.results.filter((r) => r.renamedFrom);
    expect(renamed).toHaveLength(2);
    expect(report.results.filter((r) => r.refreshed)).toHaveLength(4);
    expect(report.results.filter((r) => r.needsReRecord)).toEqual([]);
    const harness = await replayHarness(CHAINS, setup.dir);
    expect(harness.missing).toEqual([]);
    expect(harness.files).toEqual(listJson(setup.dir));
    for (const file of harness.found) {
      if (!EARTH_HEADS.some((h) => path.basename(file).startsWith(h)))
        expect(readFileSync(path.join(setup.dir, file), "utf8")).not.toContain(EARTH_TEXT);
    }
  });

  it("a rebuilt request over --max-requests: the chain is left as it was, for the next run", async () => {
    const setup = await setupCheck({}, null, CHAINS);
    setup.sim.mutate(named(...EARTH_HEADS), (chunks) => {
      const withText = (chunks as Chunk[]).filter((c) => typeof c.choices[0]?.delta.content === "string");
      for (const [i, chunk] of withText.entries())
        (chunk.choices[0] as Chunk["choices"][0]).delta.content = i === 0 ? NEW_EARTH_TEXT : "";
      return chunks;
    });
    const before = snapshot(setup.dir);
    const files = listJson(setup.dir).length;
    const report = await refresh({ ...setup.options, maxRequests: files, update: "drifted", dryRun: false });
    expect(snapshot(setup.dir)).toEqual(before);
    const earth = report.results.filter((r) => r.testId?.includes("multi_turn"));
    expect(earth.map((r) => [r.refreshed, r.needsReRecord, r.reasons.at(-1)])).toEqual(
      Array(4).fill([
        false,
        undefined,
        `its test's chain was not refreshed: over budget (--max-requests ${files})`,
      ]),
    );
  });

  it("a streamed text quoted inside a later prompt changed: the prompt is rebuilt around the new text", async () => {
    const setup = await setupCheck({}, null, CHAINS);
    setup.sim.mutate(named(GUARDED), (chunks) => {
      const withText = (chunks as Chunk[]).filter((c) => typeof c.choices[0]?.delta.content === "string");
      for (const [i, chunk] of withText.entries())
        (chunk.choices[0] as Chunk["choices"][0]).delta.content = i === 0 ? NEW_GUARDED_TEXT : "";
      return chunks;
    });
    setup.sim.translate((body) =>
      JSON.parse(
        JSON.stringify(body).replaceAll(
          JSON.stringify(NEW_GUARDED_TEXT).slice(1, -1),
          JSON.stringify(GUARDED_TEXT).slice(1, -1),
        ),
      ),
    );
    const report = await refresh({ ...setup.options, update: "drifted", dryRun: false });
    expect(
      report.results
        .filter((r) => r.refreshed)
        .map((r) => [path.basename(r.file).slice(0, 12), r.renamedFrom !== undefined]),
    ).toEqual(
      expect.arrayContaining([
        [GUARDED, false],
        [expect.any(String), true],
      ]),
    );
    const guard = report.results.find((r) => r.renamedFrom?.includes(GUARD));
    expect(readFileSync(path.join(setup.dir, guard?.file as string), "utf8")).toContain(
      JSON.stringify(NEW_GUARDED_TEXT).slice(1, -1),
    );
    const harness = await replayHarness(CHAINS, setup.dir);
    expect(harness.missing).toEqual([]);
    expect(harness.files).toEqual(listJson(setup.dir));
  });

  it("only the tool-call ids changed (and noise): the stored ids are kept and the chain stays replayable", async () => {
    const setup = await setupCheck({}, null, CHAINS);
    const before = snapshot(setup.dir);
    // A new model snapshot makes the head `minor`; the live tool-call ids are fresh on every call.
    setup.sim.mutate(named(TOOL_HEAD), (chunks) => {
      for (const chunk of chunks as Chunk[]) chunk.model = "gpt-4o-2024-11-20";
      return chunks;
    });
    const report = await refresh({ ...setup.options, update: "all", dryRun: false });
    const after = snapshot(setup.dir);
    const changed = [...after].filter(([f, text]) => before.get(f) !== text).map(([f]) => path.basename(f));
    expect(changed.map((f) => f.slice(0, 12))).toEqual([TOOL_HEAD]);
    const head = [...after].find(([f]) => path.basename(f).startsWith(TOOL_HEAD))?.[1] as string;
    expect(head).toContain(`"id": "${STORED_CALL_ID}"`);
    expect(head).toContain('"model": "gpt-4o-2024-11-20"');
    expect(report.results.find((r) => r.file.includes(TOOL_HEAD))?.downstream).toEqual([
      expect.stringContaining(TOOL_TAIL),
    ]);
    const harness = await replayHarness(CHAINS, setup.dir);
    expect(harness.missing).toEqual([]);
    expect(harness.files).toEqual(listJson(setup.dir));
  });

  it("a tool call's arguments changed: the test's chain is left as it was and needs a re-record", async () => {
    const setup = await setupCheck({}, null, CHAINS);
    const before = snapshot(setup.dir);
    setup.sim.mutate(named(TOOL_HEAD), askForLyon);
    const report = await refresh({ ...setup.options, update: "all", dryRun: false });
    expect(snapshot(setup.dir)).toEqual(before);
    const chain = report.results.filter((r) => r.file.includes(TOOL_HEAD) || r.file.includes(TOOL_TAIL));
    expect(chain.map((r) => [r.refreshed, r.needsReRecord])).toEqual([
      [
        false,
        expect.stringMatching(
          /get_weather: arguments \{"location":"Paris, France"\} → \{"location":"Lyon, France"\}/,
        ),
      ],
      [false, expect.stringMatching(/get_weather: arguments/)],
    ]);
    const markdown = formatMarkdown(report);
    expect(markdown).toContain("### Needs re-record (1 test)");
    expect(markdown).toMatch(/- `[^`\n]*::test_function_call_output_list_text\[[^`\n]*` \(2 recordings\): /);
    const harness = await replayHarness(CHAINS, setup.dir);
    expect(harness.missing).toEqual([]);
  });

  it("two first turns that answered the same text, one now changed: the test needs a re-record", async () => {
    const setup = await setupCheck({}, null, CHAINS);
    const before = snapshot(setup.dir);
    setup.sim.mutate(named(EARTH_HEADS[0] as string), (chunks) => {
      const first = (chunks as Chunk[]).find((c) => typeof c.choices[0]?.delta.content === "string");
      if (first) (first.choices[0] as Chunk["choices"][0]).delta.content = NEW_EARTH_TEXT;
      for (const c of chunks as Chunk[])
        if (c !== first && typeof c.choices[0]?.delta.content === "string")
          (c.choices[0] as Chunk["choices"][0]).delta.content = "";
      return chunks;
    });
    const report = await refresh({ ...setup.options, update: "drifted", dryRun: false });
    expect(snapshot(setup.dir)).toEqual(before);
    expect(report.results.filter((r) => r.needsReRecord).map((r) => r.needsReRecord)).toEqual(
      Array(4).fill(expect.stringContaining("answered the same and only one changed")),
    );
    expect(isJsonObject(readTree(path.join(setup.dir, listJson(setup.dir)[0] as string)))).toBe(true);
  });
});

describe("handing the tests that need a re-record to the project's recorder", () => {
  /** What a recorder writes for the Lyon answer: the head again, the second turn under its new hash. */
  function recordedForLyon(dir: string): string {
    const out = makeTempDir("recording-drift-recorder-");
    const [head, tail] = [TOOL_HEAD, TOOL_TAIL].map(
      (prefix) => listJson(dir).find((f) => path.basename(f).startsWith(prefix)) as string,
    );
    const headText = readFileSync(path.join(dir, head as string), "utf8").replace(
      '"arguments": "Paris"',
      '"arguments": "Lyon"',
    );
    mkdirSync(path.dirname(path.join(out, head as string)), { recursive: true });
    writeFileSync(path.join(out, head as string), headText);
    const tree = readTree(path.join(dir, tail as string));
    const request = mapStrings(tree.request as JsonValue, (t) =>
      t.replace("Paris, France", "Lyon, France"),
    ) as JsonObject;
    const hash = recorderHash(request, tree.test_id);
    const tailText = readFileSync(path.join(dir, tail as string), "utf8")
      .replace('\\"location\\":\\"Paris, France\\"', '\\"location\\":\\"Lyon, France\\"')
      .replaceAll(`rec-${path.basename(tail as string).slice(0, 12)}`, `rec-${hash.slice(0, 12)}`);
    writeFileSync(path.join(out, path.dirname(tail as string), `${hash}.json`), tailText);
    return out;
  }

  it("deletes their recordings, runs the command with their ids, then verifies and compares what it wrote", async () => {
    const setup = await setupCheck({}, null, CHAINS);
    setup.sim.mutate(named(TOOL_HEAD), askForLyon);
    const recorded = recordedForLyon(setup.dir);
    const idsFile = path.join(makeTempDir("recording-drift-ids-"), "ids.txt");
    const report = await refresh({
      ...setup.options,
      update: "drifted",
      dryRun: false,
      reRecordCommand: `cp "$RECORDING_DRIFT_TESTS" "${idsFile}" && cp -R "${recorded}/." .`,
    });
    expect(readFileSync(idsFile, "utf8")).toBe(
      "tests/integration/responses/test_tool_responses.py::test_function_call_output_list_text[openai_client-txt=openai/gpt-4o]\n",
    );
    const chain = report.results.filter((r) => r.testId?.includes("test_function_call_output_list_text"));
    expect(
      chain.map((r) => [path.basename(r.file).slice(0, 12), r.verdict, r.refreshed, r.problems]),
    ).toEqual([
      [TOOL_HEAD, "drifted", true, []],
      [expect.any(String), "drifted", true, []],
    ]);
    expect(chain[1]?.renamedFrom).toContain(TOOL_TAIL);
    expect(chain[0]?.reasons[0]).toMatch(/^re-recorded by the project's recorder/);
    const harness = await replayHarness(CHAINS, setup.dir);
    expect(harness.missing).toEqual([]);
    expect(harness.files).toEqual(listJson(setup.dir));
  });

  it("puts the recordings back when the command fails", async () => {
    const setup = await setupCheck({}, null, CHAINS);
    setup.sim.mutate(named(TOOL_HEAD), askForLyon);
    const before = snapshot(setup.dir);
    const report = await refresh({
      ...setup.options,
      update: "drifted",
      dryRun: false,
      reRecordCommand: "touch half-written.json; exit 3",
    });
    expect(snapshot(setup.dir)).toEqual(before);
    const reasons = report.results.filter((r) => r.needsReRecord).flatMap((r) => r.reasons);
    expect(reasons).toContain("the re-record command failed (exit 3); the recordings were put back");
  });
});
