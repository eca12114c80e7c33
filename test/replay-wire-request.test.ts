import { describe, expect, it } from "vitest";
import type { Endpoint } from "../src/capture.ts";
import { defaultConfig, parseConfig } from "../src/config.ts";
import { routeProvider } from "../src/replay/providers.ts";
import { buildWireRequest } from "../src/replay/wire-request.ts";

function wireFor(
  endpoint: Exclude<Endpoint, "genai">,
  request: Record<string, unknown>,
  overrides: string[] = [],
  config = defaultConfig(),
) {
  const route = routeProvider(
    request.url as string,
    config,
    overrides.map((o) => ({ host: o.split("=")[0] as string, baseUrl: o.split("=")[1] as string })),
  );
  const built = buildWireRequest(endpoint, request, route);
  if (!built.ok) throw new Error(built.reason);
  return built.wire;
}

const chatRequest = (url: string, body: Record<string, unknown>, endpoint = "/v1/chat/completions") => ({
  method: "POST",
  url,
  headers: {},
  body,
  endpoint,
  model: "m",
});

describe("the base URL and path", () => {
  it("undoes the doubled /v1: the SDK posted to base + endpoint-without-/v1", () => {
    const wire = wireFor(
      "chat",
      chatRequest("https://api.openai.com/v1/v1/chat/completions", { model: "m" }),
    );
    expect(wire.baseURL).toBe("https://api.openai.com/v1");
    expect(wire.path).toBe("/chat/completions");
  });

  it("keeps Azure's /openai/v1 base and watsonx's /ml/v1 base", () => {
    const azure = wireFor(
      "chat",
      chatRequest("https://lls-test.openai.azure.com/openai/v1/v1/chat/completions", {}),
    );
    expect(azure.baseURL).toBe("https://lls-test.openai.azure.com/openai/v1");
    const watsonx = wireFor(
      "models",
      chatRequest("https://us-south.ml.cloud.ibm.com/ml/v1/v1/models", {}, "/v1/models"),
    );
    expect(watsonx.baseURL).toBe("https://us-south.ml.cloud.ibm.com/ml/v1");
    expect(watsonx.path).toBe("/models");
  });

  it("handles the older layout where the url is not doubled and the endpoint has no /v1", () => {
    const wire = wireFor(
      "chat",
      chatRequest("http://localhost:11434/v1/chat/completions", { model: "m" }, "/chat/completions"),
    );
    expect(wire.baseURL).toBe("http://localhost:11434/v1");
    expect(wire.path).toBe("/chat/completions");
  });

  it("moves only the origin for a base URL without a path, and replaces the base for one with a path", () => {
    const request = chatRequest("http://0.0.0.0:11434/v1/v1/chat/completions", { model: "m" });
    expect(wireFor("chat", request, ["0.0.0.0:11434=http://127.0.0.1:9000"]).baseURL).toBe(
      "http://127.0.0.1:9000/v1",
    );
    expect(wireFor("chat", request, ["0.0.0.0:11434=http://127.0.0.1:9000/ollama/v1/"]).baseURL).toBe(
      "http://127.0.0.1:9000/ollama/v1",
    );
    const config = parseConfig(
      { providers: [{ host: "0.0.0.0:*", "base-url": "http://ollama:11434/v1" }] },
      "test",
    );
    expect(wireFor("chat", request, [], config).baseURL).toBe("http://ollama:11434/v1");
  });

  it("refuses a recording whose endpoint is not the family it was given", () => {
    const route = routeProvider("http://localhost:11434/api/embeddings", defaultConfig(), []);
    const request = { url: "http://localhost:11434/api/embeddings", endpoint: "/api/embeddings", body: {} };
    expect(buildWireRequest("embeddings", request, route)).toEqual({
      ok: false,
      reason: "not replayable: endpoint /api/embeddings is not a embeddings endpoint",
    });
  });
});

describe("SDK keyword arguments to the wire", () => {
  it("merges extra_body into the body, sends extra_query and extra_headers, and drops timeout", () => {
    const wire = wireFor(
      "chat",
      chatRequest("https://us-south.ml.cloud.ibm.com/ml/v1/v1/chat/completions", {
        model: "granite",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
        extra_body: { project_id: "p-1", stream: false },
        extra_query: { version: "2024-05-01", limit: 3 },
        extra_headers: { "X-Trace": "t-1" },
        timeout: 30,
      }),
    );
    expect(wire.body).toEqual({
      model: "granite",
      messages: [{ role: "user", content: "hi" }],
      stream: false,
      project_id: "p-1",
    });
    expect(wire.query).toEqual({ version: "2024-05-01", limit: "3" });
    expect(wire.headers).toEqual({ "X-Trace": "t-1" });
    expect(wire.streaming).toBe(false);
  });

  it("sends a model list as a bodiless GET whatever method the recorder wrote", () => {
    const wire = wireFor("models", chatRequest("https://api.openai.com/v1/v1/models", {}, "/v1/models"));
    expect(wire).toMatchObject({ method: "GET", body: null, streaming: false, path: "/models" });
  });

  it("asks for base64 embeddings when the recording names no encoding_format", () => {
    const url = "https://api.openai.com/v1/v1/embeddings";
    const without = wireFor("embeddings", chatRequest(url, { model: "e", input: ["a"] }, "/v1/embeddings"));
    expect(without.body).toEqual({ model: "e", input: ["a"], encoding_format: "base64" });
    expect(without.decodeBase64Embeddings).toBe(true);
    const withFloat = wireFor(
      "embeddings",
      chatRequest(url, { model: "e", input: ["a"], encoding_format: "float" }, "/v1/embeddings"),
    );
    expect(withFloat.body).toEqual({ model: "e", input: ["a"], encoding_format: "float" });
    expect(withFloat.decodeBase64Embeddings).toBe(false);
  });
});

describe("HTTP passthrough", () => {
  const request = {
    test_id: "t",
    url: "http://0.0.0.0:11434/v1/messages?beta=true",
    method: "post",
    payload: { model: "gpt-oss:20b", messages: [], max_tokens: 64, stream: true },
  };

  it("sends the payload to the recorded URL", () => {
    expect(wireFor("passthrough", request)).toEqual({
      endpoint: "passthrough",
      baseURL: "http://0.0.0.0:11434",
      path: "/v1/messages",
      method: "POST",
      body: request.payload,
      query: { beta: "true" },
      headers: {},
      streaming: true,
      decodeBase64Embeddings: false,
    });
  });

  it("moves only the origin to a configured base URL, even one with a /v1 path", () => {
    const wire = wireFor("passthrough", request, ["0.0.0.0:11434=http://127.0.0.1:11434/v1"]);
    expect(wire.baseURL + wire.path).toBe("http://127.0.0.1:11434/v1/messages");
  });

  it("sends a GET with no body, and refuses a GET whose recorded payload is not empty", () => {
    const get = { test_id: "t", url: "http://0.0.0.0:11434/api/tags", method: "GET", payload: {} };
    expect(wireFor("passthrough", get)).toMatchObject({ method: "GET", body: null, streaming: false });
    const route = routeProvider(get.url, defaultConfig(), []);
    expect(buildWireRequest("passthrough", { ...get, payload: { name: "x" } }, route)).toEqual({
      ok: false,
      reason: "not replayable: a GET passthrough request with a payload (a GET has no body)",
    });
  });
});
