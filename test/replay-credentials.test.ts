import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.ts";
import { resolveCredentials, scrubJson, scrubText } from "../src/replay/credentials.ts";
import { routeProvider } from "../src/replay/providers.ts";
import { replayAll } from "../src/replay/replay.ts";
import type { ReplayTarget } from "../src/replay/types.ts";
import { loadFixture, loadFixtureRecordings, replayTargetFor } from "./support/simulator/fixtures.ts";
import { collect, simulatorOptions, TEST_ENV } from "./support/simulator/replay-setup.ts";
import { type Simulator, startSimulator } from "./support/simulator.ts";

const openaiChat = loadFixture("06931312f62d0b59939d9a2d8cf674611bde5725285ce77ffaae46af1dba9065.json");
const bedrockChat = loadFixture("0eca8ac9656056d4fd9b1802f01f6ae9f7ff628af04d5ed39f779a78a41a159b.json");
const ollamaChat = loadFixture("0e8f2b001dd9.json");

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const runtime = {
  local: false,
  now: Date.now,
  memo: <T>(_: string, make: () => T) => make(),
  addSecret: () => {},
};

describe("missing credentials", () => {
  it("skips a recording whose provider key is not set, without sending it", async () => {
    const targets = [replayTargetFor(openaiChat), replayTargetFor(ollamaChat)] as ReplayTarget[];
    sim = await startSimulator({ recordings: [openaiChat, ollamaChat] });
    const results = await collect(replayAll(targets, simulatorOptions(sim, targets, { env: {} })));

    const openai = results.find((r) => r.target.file === openaiChat.file);
    expect(openai?.outcome).toEqual({ kind: "skipped", reason: "no credentials: set OPENAI_API_KEY" });
    expect(openai?.provider).toBe("api.openai.com");
    expect(results.find((r) => r.target.file === ollamaChat.file)?.outcome.kind).toBe("captured");
    expect(sim.requests.map((r) => r.file)).toEqual([ollamaChat.file]);
  });

  it("requires the key a config entry names for any other host", () => {
    const config = parseConfig(
      { providers: [{ host: "llm.example.com", "api-key-env": "AWS_BEARER_TOKEN_BEDROCK" }] },
      "test",
    );
    const route = routeProvider("https://llm.example.com/openai/v1/v1/chat/completions", config, []);
    expect(resolveCredentials(route, {}, runtime)).toEqual({
      ok: false,
      reason: "no credentials: set AWS_BEARER_TOKEN_BEDROCK",
    });
    expect(resolveCredentials(route, { AWS_BEARER_TOKEN_BEDROCK: "t0k" }, runtime)).toMatchObject({
      ok: true,
      credentials: { auth: { credential: "AWS_BEARER_TOKEN_BEDROCK" }, secrets: ["t0k"] },
    });
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's syntax for a variable
  it("fills ${NAME} in configured headers from the environment, and needs it set", async () => {
    const target = replayTargetFor(bedrockChat) as ReplayTarget;
    const config = parseConfig(
      {
        providers: [
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's syntax for a variable
          { host: "*.amazonaws.com", headers: { "x-goog-api-key": "${GATEWAY_KEY}", "x-team": "drift" } },
        ],
      },
      "test",
    );
    sim = await startSimulator({ recordings: [bedrockChat] });
    const [missing] = await collect(
      replayAll([target], simulatorOptions(sim, [target], { config, env: {} })),
    );
    expect(missing?.outcome).toEqual({
      kind: "skipped",
      reason: "no credentials: set AWS_BEARER_TOKEN_BEDROCK, GATEWAY_KEY",
    });

    const [sent] = await collect(
      replayAll(
        [target],
        simulatorOptions(sim, [target], { config, env: { ...TEST_ENV, GATEWAY_KEY: "gw-secret-1" } }),
      ),
    );
    expect(sent?.outcome.kind).toBe("captured");
    expect(sim.requests[0]?.headers).toMatchObject({
      "x-goog-api-key": "gw-secret-1",
      "x-team": "drift",
      authorization: `Bearer ${TEST_ENV.AWS_BEARER_TOKEN_BEDROCK}`,
    });
  });
});

describe("keys never leave the process", () => {
  it("scrubs keys a provider echoes back from captures and failure reasons", async () => {
    const recordings = loadFixtureRecordings();
    const targets = recordings.map(replayTargetFor).filter((t): t is ReplayTarget => t !== null);
    sim = await startSimulator({ recordings });
    const keys = [TEST_ENV.OPENAI_API_KEY, TEST_ENV.AZURE_OPENAI_API_KEY, TEST_ENV.AWS_BEARER_TOKEN_BEDROCK];
    // A provider that repeats the key in its answers, its refusals and its errors.
    sim.mutate(
      () => true,
      (data) => JSON.parse(JSON.stringify(data).replaceAll('"model":"', `"model":"${keys.join(" ")} `)),
    );
    const echo = {
      error: { message: `Incorrect API key provided: ${keys.join(", ")}`, type: "auth", code: keys[0] },
    };
    sim.fault({ kind: "status", status: 418, body: echo }, { recording: targets[0]?.file });
    sim.fault({ kind: "status", status: 400, body: echo }, { recording: targets[1]?.file });
    const results = await collect(replayAll(targets, simulatorOptions(sim, targets)));

    const text = JSON.stringify(results);
    expect(results.filter((r) => r.outcome.kind === "failed")).toHaveLength(1);
    expect(text).toContain("***");
    for (const key of keys) expect(text).not.toContain(key);
    // The keys did go out, as credentials.
    expect(sim.requests.some((r) => r.headers.authorization === `Bearer ${TEST_ENV.OPENAI_API_KEY}`)).toBe(
      true,
    );
  });

  it("scrubs every secret from text and from JSON keys and values", () => {
    const key = "sk-test-0123456789";
    expect(scrubText(`key ${key} and ${key} again`, [key])).toBe("key *** and *** again");
    expect(scrubJson({ [key]: [`a ${key}`, 3, null] }, [key])).toEqual({ "***": ["a ***", 3, null] });
  });

  it("leaves placeholder keys shorter than a real key alone, so they are not cut out of answers", () => {
    expect(scrubText("The bucket is EMPTY.", ["EMPTY"])).toBe("The bucket is EMPTY.");
    expect(scrubJson({ content: "EMPTY" }, ["EMPTY"])).toEqual({ content: "EMPTY" });
  });
});
