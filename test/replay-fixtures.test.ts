import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.ts";
import { replayAll } from "../src/replay/replay.ts";
import type { ReplayTarget } from "../src/replay/types.ts";
import {
  type FixtureRecording,
  loadFixture,
  loadFixtureRecordings,
  replayTargetFor,
} from "./support/simulator/fixtures.ts";
import { capturedSample, collect, simulatorOptions, TEST_ENV } from "./support/simulator/replay-setup.ts";
import { type Simulator, startSimulator } from "./support/simulator.ts";

const recordings = loadFixtureRecordings();
const targets = recordings.map(replayTargetFor).filter((t): t is ReplayTarget => t !== null);
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

function targetOf(recording: FixtureRecording): ReplayTarget {
  const target = replayTargetFor(recording);
  if (target === null) throw new Error(`${recording.file} is not replayable`);
  return target;
}

function storedData(recording: FixtureRecording): unknown {
  const response = (recording.json as { response: { body: unknown } }).response.body;
  const unwrap = (v: unknown) => (v as { __data__: unknown }).__data__;
  return Array.isArray(response) ? response.map(unwrap) : unwrap(response);
}

function chunkText(chunks: unknown): string {
  return (chunks as Array<{ choices: Array<{ delta?: { content?: string | null } }> }>)
    .map((chunk) => chunk.choices.map((choice) => choice.delta?.content ?? "").join(""))
    .join("");
}

describe("replaying the fixture corpus", () => {
  it("sends exactly the request the SDK sent for every OpenAI-compatible and passthrough recording", async () => {
    expect(targets.length).toBeGreaterThanOrEqual(30);
    sim = await startSimulator({ recordings });
    const results = await collect(replayAll(targets, simulatorOptions(sim, targets)));

    expect(sim.unmatched).toEqual([]);
    const outcomes = results.map((r) => `${r.outcome.kind} ${r.target.file}`).sort();
    expect(outcomes).toEqual(targets.map((t) => `captured ${t.file}`).sort());
    expect(sim.requests).toHaveLength(targets.length);
    expect(sim.requests.filter((r) => r.file === null)).toEqual([]);
  });

  it("captures a recorded error as the provider's refusal, not as a failure", async () => {
    const recording = loadFixture("28a43dc80443ccae98eee165c58522090fd6f0637031153b0105399093d39c52.json");
    const target = targetOf(recording);
    sim = await startSimulator({ recordings: [recording] });
    const [result] = await collect(replayAll([target], simulatorOptions(sim, [target])));

    expect(result?.attempts).toBe(1);
    expect(result?.outcome).toEqual({
      kind: "captured",
      samples: [
        {
          endpoint: "chat",
          streaming: false,
          status: 400,
          // The whole body the provider sent: refresh quotes it in the recorded error's message.
          body: {
            error: { message: "invalid image input", type: "invalid_request_error", param: null, code: null },
          },
          error: { status: 400, type: "invalid_request_error", code: null, message: "invalid image input" },
        },
      ],
    });
  });

  it("keeps a re-split stream's text and every chunk as the SDK parsed it", async () => {
    const recording = loadFixture("3dcb9e38f66c96323546ef8d7fee216ad11a4dd6f7fe44c4b602671eea12382e.json");
    const target = targetOf(recording);
    sim = await startSimulator({ recordings: [recording], seed: 7 });
    const [result] = await collect(replayAll([target], simulatorOptions(sim, [target])));

    const capture = capturedSample(result);
    expect(capture.streaming).toBe(true);
    expect(chunkText(capture.body)).toBe(chunkText(storedData(recording)));
    expect((capture.body as Array<{ id: string }>)[0]?.id).toMatch(/^chatcmpl-/);
  });

  it("merges extra_body into the body and sends extra_query as the query string, with watsonx's version and your project", async () => {
    const chat = loadFixture("0c7e8d9ed01c821d1621f8fed4be4df0ed348a5fa7a28b5416dba0bbe762a637.json");
    const models = loadFixture(
      "models-83953d70762b611d7b1e6ff232b53374ee7c35538fb0392cf9d92f27815c4fc6-c99eb79a.json",
    );
    const picked = [targetOf(chat), targetOf(models)];
    sim = await startSimulator({ recordings: [chat, models] });
    const results = await collect(replayAll(picked, simulatorOptions(sim, picked)));

    expect(results.map((r) => r.outcome.kind)).toEqual(["captured", "captured"]);
    const chatRequest = sim.requests.find((r) => r.method === "POST");
    const modelsRequest = sim.requests.find((r) => r.method === "GET");
    expect(chatRequest?.path).toBe("/ml/v1/chat/completions");
    expect(chatRequest?.body).toMatchObject({ project_id: TEST_ENV.WATSONX_PROJECT_ID, stream: true });
    expect(chatRequest?.query).toEqual({ version: "2023-10-25" });
    expect(chatRequest?.body).not.toHaveProperty("extra_body");
    expect(modelsRequest?.path).toBe("/ml/v1/models");
    expect(modelsRequest?.query).toEqual({ project_id: TEST_ENV.WATSONX_PROJECT_ID, version: "2023-10-25" });
    expect(modelsRequest?.body).toBeNull();
  });
});

describe("embeddings", () => {
  const recording = loadFixture("050f63320eeea2dc946617884f63e55d84fd718af642afa609c36154deb34dce.json");
  const stored = (storedData(recording) as { data: Array<{ embedding: number[] }> }).data[0]?.embedding ?? [];

  it("asks for base64 when no encoding_format was recorded and decodes the stored float32 values exactly", async () => {
    const json = structuredClone(recording.json) as { request: { body: Record<string, unknown> } };
    delete json.request.body.encoding_format;
    const withoutFormat = { file: recording.file, json };
    const target = targetOf(withoutFormat);
    sim = await startSimulator({ recordings: [withoutFormat] });
    const [result] = await collect(replayAll([target], simulatorOptions(sim, [target])));

    expect(sim.unmatched).toEqual([]);
    expect(sim.requests[0]?.body).toMatchObject({ encoding_format: "base64" });
    const live = (capturedSample(result).body as { data: Array<{ embedding: number[] }> }).data[0]?.embedding;
    expect(live).toHaveLength(1536);
    expect(live).toEqual(stored.map(Math.fround));
  });

  it("sends a recorded encoding_format as it is and keeps the floats the API sent", async () => {
    const target = targetOf(recording);
    sim = await startSimulator({ recordings: [recording] });
    const [result] = await collect(replayAll([target], simulatorOptions(sim, [target])));

    expect(sim.requests[0]?.body).toMatchObject({ encoding_format: "float" });
    const live = (capturedSample(result).body as { data: Array<{ embedding: number[] }> }).data[0]?.embedding;
    expect(live).toEqual(stored);
  });
});

describe("authentication on the wire", () => {
  const azure = loadFixture("02353ad89b7f8bbe82595e780c2de8cef8d55434def4d6f1ef728dbc74c5842d.json");
  const openai = loadFixture("06931312f62d0b59939d9a2d8cf674611bde5725285ce77ffaae46af1dba9065.json");
  const ollama = loadFixture("0e8f2b001dd9.json");

  it("sends Azure the api-key header and the configured api-version under the recorded /openai/v1 path", async () => {
    const target = targetOf(azure);
    sim = await startSimulator({ recordings: [azure], query: { "api-version": "2024-10-21" } });
    const config = parseConfig(
      { providers: [{ host: "*.openai.azure.com", azure: { "api-version": "2024-10-21" } }] },
      "test",
    );
    const [result] = await collect(replayAll([target], simulatorOptions(sim, [target], { config })));

    expect(result?.outcome.kind).toBe("captured");
    expect(sim.unmatched).toEqual([]);
    expect(sim.requests[0]?.path).toBe("/openai/v1/chat/completions");
    expect(sim.requests[0]?.headers["api-key"]).toBe(TEST_ENV.AZURE_OPENAI_API_KEY);
    expect(sim.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("sends OpenAI a bearer key and a local server no Authorization header at all", async () => {
    const picked = [targetOf(openai), targetOf(ollama)];
    sim = await startSimulator({ recordings: [openai, ollama] });
    await collect(replayAll(picked, simulatorOptions(sim, picked)));

    const byFile = new Map(sim.requests.map((r) => [r.file, r.headers]));
    expect(byFile.get(openai.file)?.authorization).toBe(`Bearer ${TEST_ENV.OPENAI_API_KEY}`);
    expect(byFile.get(ollama.file)).toBeDefined();
    expect(byFile.get(ollama.file)?.authorization).toBeUndefined();
  });
});
