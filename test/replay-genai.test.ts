// google-genai recordings (`vertexai://…generate_content[_stream]`): the SDK call's arguments sent
// to Vertex AI's REST API with an OAuth bearer token, the project and location from the
// environment; answers kept in the SDK's layout, judged like chat, refreshed byte for byte.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { check } from "../src/commands/check.ts";
import { refresh } from "../src/commands/refresh.ts";
import { replayAll } from "../src/replay/replay.ts";
import type { ReplayTarget } from "../src/replay/types.ts";
import { setupCheck } from "./support/check-setup.ts";
import { loadFixture, replayTargetFor } from "./support/simulator/fixtures.ts";
import { capturedSample, collect, simulatorOptions, TEST_ENV } from "./support/simulator/replay-setup.ts";
import { type Simulator, startSimulator } from "./support/simulator.ts";

const toolsStream = loadFixture("5391ea814cd6c577d3902322fe934fa8c559c08635324e816d7c8d2538153a4a.json");
const schemaStream = loadFixture("cfe5c805be609468a0b0908da6966e92cea52fcd06d5d2fbafe3559b74a323ab.json");
const systemStream = loadFixture("a6f5d721fabe187edc51f77aebd05b2bad8412f57abb61f7a41cb4e198de5aef.json");
const whole = loadFixture("d3bd848685b27d00da1d27e337d2adace1261b5544baf08529a4079d0821e471.json");
const all = [toolsStream, schemaStream, systemStream, whole];
const PREFIXES = ["5391ea814cd6", "cfe5c805be60", "a6f5d721fabe", "d3bd848685b2"];

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const targetOf = (r: (typeof all)[number]) => replayTargetFor(r) as ReplayTarget;

describe("the Vertex AI request", () => {
  it("goes to the project and location's generateContent with the access token, streamed as SSE", async () => {
    sim = await startSimulator({ recordings: all, checkAuth: true });
    const targets = all.map(targetOf);
    const results = await collect(replayAll(targets, simulatorOptions(sim, targets)));

    expect(sim.unmatched.map((u) => u.why)).toEqual([]);
    expect(results.map((r) => r.outcome.kind)).toEqual(["captured", "captured", "captured", "captured"]);
    const { GOOGLE_CLOUD_PROJECT: project, GOOGLE_CLOUD_LOCATION: location } = TEST_ENV;
    const base = `/v1/projects/${project}/locations/${location}/publishers/google/models/gemini-2.0-flash`;
    expect(sim.requests.map((r) => `${r.path}?${new URLSearchParams(r.query)}`).sort()).toEqual([
      `${base}:generateContent?`,
      `${base}:streamGenerateContent?alt=sse`,
      `${base}:streamGenerateContent?alt=sse`,
      `${base}:streamGenerateContent?alt=sse`,
    ]);
    for (const r of sim.requests)
      expect(r.headers.authorization).toBe(`Bearer ${TEST_ENV.GOOGLE_CLOUD_ACCESS_TOKEN}`);
    expect(results[0]?.provider).toBe(`${location}-aiplatform.googleapis.com`);
  });

  it("splits config as the SDK does: system instruction and tools on top, the rest under generationConfig", async () => {
    sim = await startSimulator({ recordings: all });
    const targets = all.map(targetOf);
    await collect(replayAll(targets, simulatorOptions(sim, targets)));
    const bodyOf = (text: string) =>
      sim?.requests.find((r) => JSON.stringify(r.body).includes(text))?.body as Record<string, unknown>;

    expect(bodyOf("expert on Python")?.systemInstruction).toEqual({
      role: "user",
      parts: [{ text: "You are an expert on Python programming." }],
    });
    const schema = bodyOf("email_verified")?.generationConfig as Record<string, unknown>;
    expect(schema.responseMimeType).toBe("application/json");
    expect(schema.responseSchema).toMatchObject({
      type: "OBJECT",
      properties: { email_verified: { type: "BOOLEAN" } },
      required: ["username", "is_active", "email_verified"],
    });
    // A JSON schema for a function's parameters is sent as written (a Value, not a Schema).
    const tools = bodyOf("get_weather")?.tools as Array<{ functionDeclarations: unknown[] }>;
    expect(tools[0]?.functionDeclarations[0]).toMatchObject({
      name: "get_weather",
      parametersJsonSchema: { type: "object", properties: { location: { type: "string" } } },
    });
  });

  it("keeps the answer in the SDK's layout: snake_case fields, function arguments as sent", async () => {
    sim = await startSimulator({ recordings: [toolsStream] });
    const target = targetOf(toolsStream);
    const [result] = await collect(replayAll([target], simulatorOptions(sim, [target])));
    const chunks = capturedSample(result).body as Array<Record<string, unknown>>;
    expect(chunks[0]).toMatchObject({
      candidates: [
        {
          content: { parts: [{ function_call: { args: { location: "Paris" }, name: "get_weather" } }, {}] },
          finish_reason: "STOP",
        },
      ],
      model_version: "gemini-2.0-flash",
    });
  });

  it("skips without the access token or the project, naming both", async () => {
    sim = await startSimulator({ recordings: [whole] });
    const target = targetOf(whole);
    const env = { GOOGLE_CLOUD_LOCATION: "europe-west4" };
    const [result] = await collect(replayAll([target], simulatorOptions(sim, [target], { env })));
    expect(result).toMatchObject({
      provider: "europe-west4-aiplatform.googleapis.com",
      outcome: {
        kind: "skipped",
        reason: "no credentials: set GOOGLE_CLOUD_ACCESS_TOKEN, GOOGLE_CLOUD_PROJECT",
      },
    });
    expect(sim.requests).toHaveLength(0);
  });
});

describe("check and refresh", () => {
  it("finds each recording unchanged, sees a changed answer as drift, and refreshes byte for byte", async () => {
    const setup = await setupCheck({ liveify: "wire" }, PREFIXES);
    const checked = await check(setup.options);
    expect(checked.results.map((r) => r.verdict)).toEqual([
      "unchanged",
      "unchanged",
      "unchanged",
      "unchanged",
    ]);

    const before = readFileSync(setup.file("a6f5d721fabe"), "utf8");
    const refreshed = await refresh({ ...setup.options, update: "all", dryRun: false });
    expect(refreshed.results.every((r) => r.refreshed)).toBe(true);
    expect(readFileSync(setup.file("a6f5d721fabe"), "utf8")).toBe(before);

    setup.sim.mutate(
      () => true,
      (data) => {
        const responses = (Array.isArray(data) ? data : [data]) as Array<{
          candidates?: Array<Record<string, unknown>>;
        }>;
        for (const r of responses) {
          for (const c of r.candidates ?? []) {
            if (c.finish_reason) c.finish_reason = "SAFETY";
          }
        }
        return data;
      },
    );
    const blocked = await check(setup.options);
    expect(blocked.results.every((r) => r.verdict === "drifted")).toBe(true);
  });
});
