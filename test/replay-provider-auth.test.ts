// Every provider profile against a simulator that refuses anything but the exact auth the real
// provider takes (checkAuth): OpenAI's bearer key, Azure's api-key, watsonx's IAM token, Bedrock's
// bearer token, Gemini's x-goog-api-key, and nothing at all for local servers.
import { afterEach, describe, expect, it, vi } from "vitest";
import { defaultConfig, parseConfig } from "../src/config.ts";
import { replayAll } from "../src/replay/replay.ts";
import type { ReplayResult, ReplayTarget } from "../src/replay/types.ts";
import { loadFixture, loadFixtureRecordings, replayTargetFor } from "./support/simulator/fixtures.ts";
import { collect, simulatorOptions, TEST_ENV } from "./support/simulator/replay-setup.ts";
import { type Simulator, startSimulator } from "./support/simulator.ts";

const azureChat = loadFixture("02353ad89b7f8bbe82595e780c2de8cef8d55434def4d6f1ef728dbc74c5842d.json");
const watsonx = [
  loadFixture("27dea747700cf454b525994be12276279fc9b82643bb7f71f243353738c3428e.json"),
  loadFixture("0c7e8d9ed01c821d1621f8fed4be4df0ed348a5fa7a28b5416dba0bbe762a637.json"),
  loadFixture("models-83953d70762b611d7b1e6ff232b53374ee7c35538fb0392cf9d92f27815c4fc6-c99eb79a.json"),
];

let sim: Simulator | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await sim?.close();
  sim = undefined;
});

const targetsOf = (recordings: Array<{ file: string; json: unknown }>) =>
  recordings.map(replayTargetFor).filter((t): t is ReplayTarget => t !== null);
const reasonOf = (r: ReplayResult | undefined) =>
  r?.outcome.kind === "captured" ? "captured" : r?.outcome.reason;

describe("each profile carries exactly its provider's auth", () => {
  it("replays every fixture recording through a simulator that checks auth, with nothing refused", async () => {
    const recordings = loadFixtureRecordings();
    const targets = targetsOf(recordings);
    sim = await startSimulator({ recordings, checkAuth: true });
    const results = await collect(replayAll(targets, simulatorOptions(sim, targets)));

    expect(sim.unmatched.map((u) => `${u.file ?? u.path}: ${u.why}`)).toEqual([]);
    expect(results.filter((r) => r.outcome.kind !== "captured").map(reasonOf)).toEqual([]);
    const hosts = new Set(results.map((r) => r.provider));
    for (const host of [
      "api.openai.com",
      "lls-test.openai.azure.com",
      "us-south.ml.cloud.ibm.com",
      "bedrock-runtime.us-west-2.amazonaws.com",
      "bedrock-mantle.us-east-2.api.aws",
      "generativelanguage.googleapis.com",
      "0.0.0.0:11434",
      "us-central1-aiplatform.googleapis.com",
    ]) {
      expect(hosts).toContain(host);
    }
  });

  it("sends Azure to AZURE_API_BASE with the key from AZURE_API_KEY, and needs the base URL", async () => {
    const [target] = targetsOf([azureChat]) as [ReplayTarget];
    sim = await startSimulator({ recordings: [azureChat], checkAuth: true });
    const env = { AZURE_API_KEY: TEST_ENV.AZURE_OPENAI_API_KEY, AZURE_API_BASE: sim.url };
    const [sent] = await collect(
      replayAll([target], simulatorOptions(sim, [target], { providerOverrides: [], env })),
    );
    expect(sent).toMatchObject({ outcome: { kind: "captured" }, sentTo: `${sim.url}/openai/v1` });
    expect(sim.requests[0]?.headers["api-key"]).toBe(TEST_ENV.AZURE_OPENAI_API_KEY);

    const [skipped] = await collect(
      replayAll([target], simulatorOptions(sim, [target], { providerOverrides: [], env: TEST_ENV })),
    );
    expect(skipped?.outcome).toEqual({ kind: "skipped", reason: "no credentials: set AZURE_API_BASE" });
    expect(sim.requests).toHaveLength(1);
  });
});

describe("watsonx's IAM token", () => {
  it("is fetched once for requests close together, and renewed before it expires", async () => {
    let clock = 1_000_000;
    const now = () => clock;
    sim = await startSimulator({ recordings: watsonx, checkAuth: true, now, tokenLifetimeSeconds: 3600 });
    const targets = targetsOf(watsonx);
    const together = await collect(replayAll(targets, simulatorOptions(sim, targets, { now })));
    expect(together.map(reasonOf)).toEqual(["captured", "captured", "captured"]);
    expect(sim.iam.issued).toHaveLength(1);

    // Each answer moves time on by 3,500 s: past the renewal margin every time, and past the
    // first token's expiry by the third request. An unrenewed token would be refused (401).
    sim.mutate(
      () => true,
      (data) => {
        clock += 3_500_000;
        return data;
      },
    );
    const config = { ...defaultConfig(), concurrency: 1 };
    const spaced = await collect(replayAll(targets, simulatorOptions(sim, targets, { now, config })));
    expect(spaced.map(reasonOf)).toEqual(["captured", "captured", "captured"]);
    expect(sim.iam.issued).toHaveLength(4);
    const bearers = sim.requests.slice(-3).map((r) => r.headers.authorization);
    expect(bearers).toEqual(sim.iam.issued.slice(1).map((t) => `Bearer ${t.token}`));
  });

  it("stops at a key IAM refuses: nothing is sent to watsonx", async () => {
    sim = await startSimulator({ recordings: watsonx, checkAuth: true });
    const targets = targetsOf(watsonx);
    const env = { ...TEST_ENV, WATSONX_API_KEY: "not-the-key-0000" };
    const results = await collect(replayAll(targets, simulatorOptions(sim, targets, { env })));
    expect(results.every((r) => reasonOf(r) === "WATSONX_API_KEY rejected: 400")).toBe(true);
    expect(sim.requests).toHaveLength(0);
  });

  it("never sends the key to a token endpoint over plain http, unless on this machine", async () => {
    const targets = targetsOf(watsonx);
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const config = parseConfig(
      { providers: [{ host: "*.ml.cloud.ibm.com", "token-url": "http://iam.example:8080/identity/token" }] },
      "test",
    );
    const results = await collect(replayAll(targets, { config, env: TEST_ENV }));
    expect(results.map(reasonOf)).toEqual(
      Array(3).fill("not sent: WATSONX_API_KEY goes only over https, and http://iam.example:8080 is not"),
    );
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("needs the project id as much as the key", async () => {
    sim = await startSimulator({ recordings: watsonx });
    const targets = targetsOf(watsonx);
    const results = await collect(replayAll(targets, simulatorOptions(sim, targets, { env: {} })));
    expect(results.map(reasonOf)).toEqual(
      Array(3).fill("no credentials: set WATSONX_API_KEY, WATSONX_PROJECT_ID"),
    );
  });
});

describe("no request without credentials", () => {
  it("with no keys set, sends nothing to a non-local host and names the variable to set", async () => {
    const recordings = loadFixtureRecordings();
    const targets = targetsOf(recordings);
    const sent: string[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation((input) => {
      sent.push(String(input instanceof Request ? input.url : input));
      return Promise.reject(new TypeError("fetch failed"));
    });
    const config = { ...defaultConfig(), retries: { ...defaultConfig().retries, attempts: 1 } };
    const results = await collect(replayAll(targets, { config, env: {} }));

    expect(sent.length).toBeGreaterThan(0);
    for (const url of sent) expect(new URL(url).hostname).toMatch(/^(0\.0\.0\.0|localhost|127\.0\.0\.1)$/);
    const skipped = new Map(results.map((r) => [r.provider, reasonOf(r)]));
    expect(Object.fromEntries([...skipped].filter(([host]) => !/11434|8000|8080/.test(host)))).toEqual({
      "api.openai.com": "no credentials: set OPENAI_API_KEY",
      "lls-test.openai.azure.com":
        "no credentials: set AZURE_API_KEY (or AZURE_OPENAI_API_KEY), AZURE_API_BASE",
      "ogx-test.openai.azure.com":
        "no credentials: set AZURE_API_KEY (or AZURE_OPENAI_API_KEY), AZURE_API_BASE",
      "us-south.ml.cloud.ibm.com": "no credentials: set WATSONX_API_KEY, WATSONX_PROJECT_ID",
      "bedrock-runtime.us-west-2.amazonaws.com": "no credentials: set AWS_BEARER_TOKEN_BEDROCK",
      "bedrock-mantle.us-east-2.api.aws": "no credentials: set AWS_BEARER_TOKEN_BEDROCK",
      "generativelanguage.googleapis.com": "no credentials: set GEMINI_API_KEY",
      "us-central1-aiplatform.googleapis.com":
        "no credentials: set GOOGLE_CLOUD_ACCESS_TOKEN, GOOGLE_CLOUD_PROJECT",
    });
  });

  it("sends a key only over https, except to this machine", async () => {
    const target = targetsOf([
      loadFixture("06931312f62d0b59939d9a2d8cf674611bde5725285ce77ffaae46af1dba9065.json"),
    ])[0] as ReplayTarget;
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const [result] = await collect(
      replayAll([target], {
        config: defaultConfig(),
        env: TEST_ENV,
        providerOverrides: ["api.openai.com=http://proxy.example:8080/v1"],
      }),
    );
    expect(result?.outcome).toEqual({
      kind: "skipped",
      reason: "not sent: OPENAI_API_KEY goes only over https, and http://proxy.example:8080 is not",
    });
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
