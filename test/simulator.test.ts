import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { type FixtureRecording, loadFixture } from "./support/simulator/fixtures.ts";
import { type Simulator, type SimulatorOptions, startSimulator } from "./support/simulator.ts";

const chat = loadFixture("06931312f62d0b59939d9a2d8cf674611bde5725285ce77ffaae46af1dba9065.json");
const toolStream = loadFixture("f3390346d060f9a2c0fd64488d9d2800c31d46f2580072893325a28e750411c6.json");
const vllmChat = loadFixture("440d2fa92833ebdb48a846e628ade5b5b4e2c4351b76c33cc08970fbea66d027.json");
const embeddings = loadFixture("050f63320eeea2dc946617884f63e55d84fd718af642afa609c36154deb34dce.json");
const models = loadFixture(
  "models-64a2277c90f0f42576f60c1030e3a020403d34a95f56931b792d5939f4cebc57-0da7d1b1.json",
);
const recordedError = loadFixture("28a43dc80443ccae98eee165c58522090fd6f0637031153b0105399093d39c52.json");
const passthroughStream = loadFixture(
  "2cb6caa89a82691b08f59f724d697f518e57b07818c26c8a78c972dab8f3a95c.json",
);
const passthroughError = loadFixture("cf0be7f9e2ebfc78903aa4ada30204585952f77bc5acb3ff7702bd7878d44b44.json");

type Json = Record<string, unknown>;
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function serve(
  recordings: FixtureRecording[],
  options: Partial<SimulatorOptions> = {},
): Promise<Simulator> {
  sim = await startSimulator({ recordings, ...options });
  return sim;
}

const requestOf = (r: FixtureRecording) => (r.json as { request: Json }).request;
const stored = (r: FixtureRecording) => (r.json as { response: Json }).response;
const storedData = (r: FixtureRecording): unknown => {
  const body = stored(r).body;
  return Array.isArray(body) ? body.map((b) => (b as Json).__data__) : (body as Json).__data__;
};

/** What the SDK would send for a chat recording, to the path it would send it. */
function post(s: Simulator, path: string, body: unknown): Promise<Response> {
  return fetch(s.url + path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

function sseEvents(text: string): unknown[] {
  return text
    .split("\n\n")
    .filter((event) => event.startsWith("data: ") && event !== "data: [DONE]")
    .map((event) => JSON.parse(event.slice(6)));
}

describe("answers like a live API", () => {
  it("sends fresh ids, created and fingerprint, no null declared fields, keys in wire order", async () => {
    const s = await serve([vllmChat]);
    const response = await post(s, "/v1/chat/completions", requestOf(vllmChat).body);
    const text = await response.text();
    const body = JSON.parse(text) as Json;

    expect(response.headers.get("content-type")).toBe("application/json");
    expect(body.id).toMatch(/^chatcmpl-[A-Za-z0-9]{29}$/);
    expect(Math.abs((body.created as number) - Date.now() / 1000)).toBeLessThan(60);
    expect(Object.keys(body).slice(0, 5)).toEqual(["id", "object", "created", "model", "choices"]);
    // Only the extras vLLM sent as null stay null.
    expect([...text.matchAll(/"(\w+)":null/g)].map((m) => m[1])).toEqual([
      "reasoning",
      "stop_reason",
      "token_ids",
      "prompt_logprobs",
      "prompt_token_ids",
      "kv_transfer_params",
    ]);
    const toolCall = (body.choices as Json[])[0]?.message as { tool_calls: Json[] };
    expect(toolCall.tool_calls[0]?.id).toMatch(/^call_/);
    expect(Object.keys(toolCall.tool_calls[0] as Json)).toEqual(["id", "type", "function"]);
  });

  it("changes the system_fingerprint and the obfuscation, keeping one id per stream", async () => {
    const s = await serve([toolStream]);
    const events = sseEvents(
      await (await post(s, "/v1/chat/completions", requestOf(toolStream).body)).text(),
    ) as Json[];
    const chunks = storedData(toolStream) as Json[];

    expect(new Set(events.map((e) => e.id)).size).toBe(1);
    expect(events[0]?.system_fingerprint).toMatch(/^fp_[0-9a-f]{10}$/);
    expect(events[0]?.system_fingerprint).not.toBe(chunks[0]?.system_fingerprint);
    expect(events.map((e) => e.obfuscation)).not.toEqual(chunks.map((c) => c.obfuscation));
    const firstChoice = ((events[0] as Json).choices as Array<{ delta: { tool_calls: Json[] } }>)[0];
    const firstCall = firstChoice?.delta.tool_calls[0];
    expect(firstCall?.id).toMatch(/^call_/);
    expect(firstCall?.id).not.toBe("call_EJnfJg4fsWpXzSiLFfxw4AEU");
  });

  it("cuts streams at different places and keeps the text, ending with data: [DONE]", async () => {
    const textStream = loadFixture("00bf38cb0b6eef2963c49f52798781840456635d0510be615cda65f93cd1cdfb.json");
    const pieces = (chunks: Json[]) =>
      chunks.map((c) => ((c.choices as Json[])[0]?.delta as Json | undefined)?.content ?? "");
    const storedPieces = pieces(storedData(textStream) as Json[]);
    const cuts = new Set<string>();
    for (const seed of [1, 2, 3]) {
      const s = await serve([textStream], { seed });
      const text = await (await post(s, "/v1/chat/completions", requestOf(textStream).body)).text();
      await s.close();
      expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
      const live = pieces(sseEvents(text) as Json[]);
      expect(live.join("")).toBe(storedPieces.join(""));
      cuts.add(JSON.stringify(live));
    }
    expect(cuts.size).toBe(3);
    expect(cuts.has(JSON.stringify(storedPieces))).toBe(false);
  });

  it("serves the stored data as it is with liveify: false", async () => {
    const s = await serve([chat], { liveify: false });
    const body = await (await post(s, "/v1/chat/completions", requestOf(chat).body)).json();
    expect(body).toEqual(storedData(chat));
  });
});

describe("endpoints", () => {
  it("serves embeddings as floats, or as little-endian float32 base64 when asked", async () => {
    const s = await serve([embeddings, { file: "no-format.json", json: withoutEncodingFormat(embeddings) }]);
    const request = requestOf(embeddings).body as Json;
    const floats = (await (await post(s, "/v1/embeddings", request)).json()) as { data: Json[] };
    const values = (storedData(embeddings) as { data: Json[] }).data[0]?.embedding as number[];
    expect(floats.data[0]?.embedding).toEqual(values);

    const client = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: "k", maxRetries: 0 });
    const { encoding_format: _, ...withoutFormat } = request;
    const decoded = await client.embeddings.create(withoutFormat as never);
    expect(decoded.data[0]?.embedding).toEqual(values.map(Math.fround));
    expect(s.requests[1]?.body).toMatchObject({ encoding_format: "base64" });
  });

  it("lists models at GET /v1/models", async () => {
    const s = await serve([models]);
    const client = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: "k", maxRetries: 0 });
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toEqual((storedData(models) as Json[]).map((m) => m.id));
    expect(s.requests[0]).toMatchObject({ method: "GET", path: "/v1/models", body: null });
  });

  it("refuses a recorded error's request again with its status and error body", async () => {
    const s = await serve([recordedError]);
    const response = await post(s, "/v1/chat/completions", requestOf(recordedError).body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { message: "invalid image input", type: "invalid_request_error", param: null, code: null },
    });
  });

  it("serves HTTP passthrough as stored: raw SSE lines, or the stored status and body", async () => {
    const s = await serve([passthroughStream, passthroughError]);
    const streamed = await fetch(`${s.url}/v1beta/interactions`, {
      method: "POST",
      body: JSON.stringify(requestOf(passthroughStream).payload),
    });
    expect(streamed.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect((await streamed.text()).split("\n").slice(0, -1)).toEqual(stored(passthroughStream).body);

    const refused = await post(s, "/v1/messages", requestOf(passthroughError).payload);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual(stored(passthroughError).body);
  });
});

describe("matching and the request log", () => {
  it("logs every request and refuses one that matches no recording, saying where it differs", async () => {
    const s = await serve([chat]);
    const body = { ...(requestOf(chat).body as Json), max_tokens: 11 };
    const response = await fetch(`${s.url}/v1/chat/completions?x=1`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer k" },
      body: JSON.stringify(body),
    });

    expect(response.status).toBe(404);
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]).toMatchObject({
      method: "POST",
      path: "/v1/chat/completions",
      query: { x: "1" },
      body,
      file: null,
    });
    expect(s.requests[0]?.headers.authorization).toBe("Bearer k");
    expect(typeof s.requests[0]?.time).toBe("number");
    expect(s.unmatched[0]?.why).toBe(`nearest is ${chat.file}: query.x: expected (absent), got "1"`);

    await post(s, "/v1/chat/completions", body);
    expect(s.unmatched[1]?.why).toBe(`nearest is ${chat.file}: body.max_tokens: expected 128, got 11`);
  });

  it("matches bodies by value whatever their key order", async () => {
    const s = await serve([chat]);
    const body = requestOf(chat).body as Json;
    const reversed = Object.fromEntries(Object.entries(body).reverse());
    expect((await post(s, "/v1/chat/completions", reversed)).status).toBe(200);
    expect(s.unmatched).toEqual([]);
  });
});

describe("hooks for tests", () => {
  it("mutates the served answer until undone", async () => {
    const s = await serve([chat]);
    const undo = s.mutate(chat.file, (data) => {
      const completion = data as { choices: Array<{ message: Json }> };
      (completion.choices[0] as { message: Json }).message.content = "drifted";
      return completion;
    });
    const content = async () =>
      (
        (await (await post(s, "/v1/chat/completions", requestOf(chat).body)).json()) as {
          choices: Array<{ message: Json }>;
        }
      ).choices[0]?.message.content;
    expect(await content()).toBe("drifted");
    undo();
    expect(await content()).not.toBe("drifted");
  });

  it("answers a status fault for the first N requests, with the retry headers asked for", async () => {
    const s = await serve([chat]);
    s.fault(
      { kind: "status", status: 429, retryAfter: "2", retryAfterMs: "1500" },
      { recording: chat.file, times: 1 },
    );
    const first = await post(s, "/v1/chat/completions", requestOf(chat).body);
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("2");
    expect(first.headers.get("retry-after-ms")).toBe("1500");
    expect((await post(s, "/v1/chat/completions", requestOf(chat).body)).status).toBe(200);
  });

  it("answers 429 with retry-after beyond the rate limit", async () => {
    const s = await serve([chat], { rateLimit: { perSecond: 2, retryAfterSeconds: 3 } });
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await post(s, "/v1/chat/completions", requestOf(chat).body)).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it("pads an answer to 10 MB without changing its value", async () => {
    const s = await serve([chat], { liveify: false });
    s.fault({ kind: "huge" });
    const response = await post(s, "/v1/chat/completions", requestOf(chat).body);
    const text = await response.text();
    expect(text.length).toBeGreaterThanOrEqual(10 * 1024 * 1024);
    expect(JSON.parse(text)).toEqual(storedData(chat));
  });
});

function withoutEncodingFormat(recording: FixtureRecording): unknown {
  const json = structuredClone(recording.json) as { request: { body: Json } };
  delete json.request.body.encoding_format;
  return json;
}
