import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { check } from "../src/commands/check.ts";
import type { CheckResult } from "../src/report/check-report.ts";
import { type CheckSetup, listJson, named, setupCheck } from "./support/check-setup.ts";
import { TEST_ENV } from "./support/simulator/replay-setup.ts";

const CHAT = "007a9180a7aa"; // Ollama chat, one choice, finish_reason stop
const STREAM_TOOLS = "00cf12ddd414"; // Ollama stream with a tool call
const OPENAI_STREAM = "224f7e7bd332"; // api.openai.com stream
const EMBEDDINGS = "050f63320eee";
const MODELS = "models-64a2277c90f0f42576f60c1030e3a020403d34a95f56931b792d5939f4cebc57-489dfd4c";
const RECORDED_400 = "28a43dc80443";

/** The simulator selector for the copied fixture whose name starts with `prefix`. */

const byName = (results: CheckResult[], prefix: string) => {
  const found = results.find((r) => path.basename(r.file).startsWith(prefix));
  if (!found) throw new Error(`no result for ${prefix}`);
  return found;
};

function digest(dir: string): string {
  const hash = createHash("sha256");
  for (const file of listJson(dir)) hash.update(file).update(readFileSync(path.join(dir, file)));
  return hash.digest("hex");
}

describe("check against a provider that answers as recorded", () => {
  let setup: CheckSetup;
  let results: CheckResult[];
  let before: string;
  beforeAll(async () => {
    setup = await setupCheck();
    before = digest(setup.dir);
    results = (await check(setup.options)).results;
  });

  it("finds every replayable fixture unchanged despite fresh ids, fingerprints, obfuscation and re-split chunks", () => {
    const replayed = results.filter((r) => r.verdict !== "skipped");
    expect(replayed.length).toBeGreaterThanOrEqual(34);
    expect(replayed.filter((r) => r.verdict !== "unchanged").map((r) => [r.file, r.reasons])).toEqual([]);
    expect(setup.sim.unmatched).toEqual([]);
  });

  it("skips every other recording with its reason named", () => {
    const skipped = results.filter((r) => r.verdict === "skipped");
    const reasons = new Set(
      skipped.map((r) =>
        r.reasons[0]?.replace(/ \/api\/\w+/, " /api/…").replace(/name it \w+\.json/, "name it …"),
      ),
    );
    expect([...reasons].sort()).toEqual([
      "Ollama /api/…: process state (the models loaded right now), not behaviour",
      "Ollama native API /api/…: not an OpenAI-compatible endpoint",
      "file processor: no HTTP request is stored",
      "tool invocation: no HTTP request is stored",
      "unreachable: the file name is not the request's hash (the recorder would name it …), so its test can never find it",
    ]);
    expect(skipped.filter((r) => r.unreachable).length).toBe(1);
  });

  it("writes nothing under the recordings", () => {
    expect(digest(setup.dir)).toBe(before);
  });

  it("names the provider, model and test id of each result", () => {
    expect(byName(results, CHAT)).toMatchObject({
      provider: "0.0.0.0:11434",
      model: "llama-guard3:1b",
      endpoint: "/v1/chat/completions",
      testId: expect.stringContaining("tests/integration/agents/"),
    });
  });
});

describe("check judges each injected change", () => {
  let setup: CheckSetup;
  beforeAll(async () => {
    setup = await setupCheck({}, [CHAT, STREAM_TOOLS, OPENAI_STREAM, EMBEDDINGS, MODELS, RECORDED_400]);
  });
  const run = async (prefix: string) => byName((await check(setup.options)).results, prefix);
  const choice0 = (data: unknown) =>
    (data as { choices: Array<Record<string, unknown>> }).choices[0] as Record<string, unknown>;

  it("calls a changed answer drifted, with what changed and a word diff", async () => {
    const undo = setup.sim.mutate(named(CHAT), (data) => {
      (choice0(data).message as Record<string, unknown>).content =
        "Something else entirely, said in other words.";
      return data;
    });
    const result = await run(CHAT);
    undo();
    expect(result.verdict).toBe("drifted");
    expect(result.reasons.join("\n")).toMatch(/^text: short answer "safe" → /m);
    expect(result.diff?.some((run) => run.op === "added")).toBe(true);
  });

  it("calls a changed finish_reason drifted", async () => {
    const undo = setup.sim.mutate(named(CHAT), (data) => {
      choice0(data).finish_reason = "length";
      return data;
    });
    const result = await run(CHAT);
    undo();
    expect(result).toMatchObject({
      verdict: "drifted",
      reasons: expect.arrayContaining(["finish reason: stop → length"]),
      changes: expect.arrayContaining([
        { kind: "finish-reason", severity: "drifted", text: "finish reason: stop → length" },
      ]),
    });
  });

  it("calls a changed tool call drifted", async () => {
    const undo = setup.sim.mutate(named(STREAM_TOOLS), (chunks) => {
      for (const chunk of chunks as Array<{
        choices: Array<{ delta: { tool_calls?: Array<{ function: { name?: string } }> } }>;
      }>) {
        for (const call of chunk.choices[0]?.delta.tool_calls ?? [])
          if (call.function.name) call.function.name = "get_time";
      }
      return chunks;
    });
    const result = await run(STREAM_TOOLS);
    undo();
    expect(result.verdict).toBe("drifted");
    expect(result.reasons.join("\n")).toMatch(/get_time/);
  });

  it("calls an added choice drifted", async () => {
    const undo = setup.sim.mutate(named(CHAT), (data) => {
      const d = data as { choices: Array<Record<string, unknown>> };
      d.choices.push({ ...structuredClone(choice0(data)), index: 1 });
      return data;
    });
    const result = await run(CHAT);
    undo();
    expect(result).toMatchObject({ verdict: "drifted", reasons: expect.arrayContaining(["choices: 1 → 2"]) });
  });

  it("calls a different embedding drifted and a lost model id drifted", async () => {
    const undoEmbedding = setup.sim.mutate(named(EMBEDDINGS), (data) => {
      const vector = (data as { data: Array<{ embedding: number[] }> }).data[0]?.embedding as number[];
      vector.reverse();
      return data;
    });
    const undoModels = setup.sim.mutate(named(MODELS), (models) => (models as unknown[]).slice(1));
    const results = (await check(setup.options)).results;
    undoEmbedding();
    undoModels();
    expect(byName(results, EMBEDDINGS).verdict).toBe("drifted");
    expect(byName(results, MODELS)).toMatchObject({
      verdict: "drifted",
      reasons: [expect.stringMatching(/^model list: removed /)],
    });
  });

  it("calls usage counts and a new model snapshot minor, with reasons", async () => {
    const undo = setup.sim.mutate(named(CHAT), (data) => {
      const d = data as { usage: { completion_tokens: number }; model: string };
      d.usage.completion_tokens += 5;
      d.model = "llama-guard3:1b-q8_0";
      return data;
    });
    const result = await run(CHAT);
    undo();
    expect(result.verdict).toBe("minor");
    expect(result.reasons.join("\n")).toMatch(/model: llama-guard3:1b → llama-guard3:1b-q8_0/);
    expect(result.reasons.join("\n")).toMatch(/usage/);
  });

  it("calls an answer from another model family drifted", async () => {
    const undo = setup.sim.mutate(named(CHAT), (data) => {
      (data as { model: string }).model = "llama3.2:3b-instruct-q8";
      return data;
    });
    const result = await run(CHAT);
    undo();
    expect(result).toMatchObject({
      verdict: "drifted",
      reasons: expect.arrayContaining(["model: llama-guard3:1b → llama3.2:3b-instruct-q8"]),
    });
  });

  it("calls a success that now gets 404 model_not_found rejected", async () => {
    const undo = setup.sim.fault(
      {
        kind: "status",
        status: 404,
        body: {
          error: {
            message: "The model does not exist",
            type: "invalid_request_error",
            code: "model_not_found",
          },
        },
      },
      { recording: named(CHAT) },
    );
    const result = await run(CHAT);
    undo();
    expect(result).toMatchObject({
      verdict: "rejected",
      reasons: [expect.stringContaining("provider now rejects: 404 model_not_found")],
    });
  });

  it("calls a recorded 400 that is still 400 unchanged, and one that now succeeds drifted", async () => {
    expect((await run(RECORDED_400)).verdict).toBe("unchanged");
    const undo = setup.sim.fault(
      {
        kind: "status",
        status: 200,
        body: JSON.parse(readFileSync(setup.file(CHAT), "utf8")).response.body.__data__,
      },
      { recording: named(RECORDED_400) },
    );
    const result = await run(RECORDED_400);
    undo();
    expect(result.verdict).toBe("drifted");
    expect(result.reasons.join("\n")).toMatch(/accepts/);
  });

  it("calls 503 after every retry, a refused key and a malformed stream failed", async () => {
    const options = {
      ...setup.options,
      config: {
        ...setup.options.config,
        retries: { ...setup.options.config.retries, attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      },
    };
    const undo503 = setup.sim.fault({ kind: "status", status: 503 }, { recording: named(CHAT) });
    const undo401 = setup.sim.fault({ kind: "status", status: 401 }, { recording: named(EMBEDDINGS) });
    const undoSse = setup.sim.fault({ kind: "malformed-sse" }, { recording: named(OPENAI_STREAM) });
    const results = (await check(options)).results;
    undo503();
    undo401();
    undoSse();
    expect(byName(results, CHAT)).toMatchObject({
      verdict: "failed",
      reasons: [expect.stringMatching(/^503 .*after 2 attempts$/)],
    });
    // The 401 stops every later request to OpenAI: the stream fails either way.
    expect(byName(results, EMBEDDINGS)).toMatchObject({
      verdict: "failed",
      reasons: [expect.stringMatching(/^OPENAI_API_KEY rejected: 401/)],
    });
    expect(byName(results, OPENAI_STREAM).verdict).toBe("failed");
  });

  it("skips recordings without credentials, outside the filter or over the budget", async () => {
    const noKey = (await check({ ...setup.options, env: { ...TEST_ENV, OPENAI_API_KEY: undefined } }))
      .results;
    expect(byName(noKey, OPENAI_STREAM)).toMatchObject({
      verdict: "skipped",
      reasons: ["no credentials: set OPENAI_API_KEY"],
    });
    const filtered = (await check({ ...setup.options, filter: "**/agents/**" })).results;
    expect(byName(filtered, EMBEDDINGS)).toMatchObject({
      verdict: "skipped",
      reasons: ["filtered out (--filter **/agents/**)"],
    });
    expect(byName(filtered, CHAT).verdict).toBe("unchanged");
    const budget = (await check({ ...setup.options, maxRequests: 2 })).results;
    expect(budget.filter((r) => r.reasons[0] === "over budget (--max-requests 2)")).toHaveLength(
      budget.filter((r) => r.verdict !== "skipped" || r.reasons[0]?.startsWith("over budget")).length - 2,
    );
  });

  it("marks nondeterminism when samples disagree and judges on the closest", async () => {
    let calls = 0;
    const undo = setup.sim.mutate(named(CHAT), (data) => {
      calls++;
      if (calls % 2 === 0)
        (choice0(data).message as Record<string, unknown>).content =
          "A completely different reply this time.";
      return data;
    });
    const result = await run(CHAT).catch(() => null);
    const sampled = byName(
      (await check({ ...setup.options, samples: 2, filter: `**/${CHAT}*` })).results,
      CHAT,
    );
    undo();
    expect(result).not.toBeNull();
    expect(sampled.nondeterministic).toMatchObject({ samples: 2 });
    expect(sampled.verdict).toBe("unchanged");
  });
});
