import { describe, expect, it } from "vitest";
import { defaultConfig, parseConfig } from "../src/config.ts";
import { parseProviderOverride, routeProvider } from "../src/replay/providers.ts";

const route = (url: string, config = defaultConfig(), overrides: string[] = []) =>
  routeProvider(url, config, overrides.map(parseProviderOverride));

describe("default providers", () => {
  it("reads OpenAI's key from OPENAI_API_KEY and sends it as a bearer token", () => {
    expect(route("https://api.openai.com/v1/v1/chat/completions")).toMatchObject({
      host: "api.openai.com",
      auth: "bearer",
      apiKeyEnv: "OPENAI_API_KEY",
      baseUrl: null,
    });
  });

  it("reads Azure's key from AZURE_OPENAI_API_KEY and sends it as api-key", () => {
    expect(route("https://lls-test.openai.azure.com/openai/v1/v1/chat/completions")).toMatchObject({
      host: "lls-test.openai.azure.com",
      auth: "azure",
      apiKeyEnv: "AZURE_OPENAI_API_KEY",
      query: {},
    });
  });

  it("takes no key for local servers, nor for other hosts the config does not name", () => {
    for (const url of [
      "http://0.0.0.0:11434/v1/v1/chat/completions",
      "http://localhost:8000/v1/v1/models",
      "http://127.0.0.1:8080/v1/models",
      "https://bedrock-runtime.us-west-2.amazonaws.com/openai/v1/v1/chat/completions",
    ]) {
      expect(route(url)).toMatchObject({ auth: "none", apiKeyEnv: null });
    }
  });
});

describe("configured providers", () => {
  const config = parseConfig(
    {
      providers: [
        { host: "*.openai.azure.com", azure: { "api-version": "2024-10-21" }, concurrency: 4 },
        { host: "localhost:8000", "base-url": "http://vllm:8000/v1", "api-key-env": "VLLM_KEY" },
        { host: "0.0.0.0", headers: { "x-a": "1" }, query: { q: "2" } },
      ],
    },
    "test",
  );

  it("matches host globs, host:port, and a bare hostname on any port", () => {
    expect(route("https://x.openai.azure.com/openai/v1/v1/models", config)).toMatchObject({
      limitKey: "config:0",
      concurrency: 4,
      query: { "api-version": "2024-10-21" },
      auth: "azure",
    });
    expect(route("http://localhost:8000/v1/v1/chat/completions", config)).toMatchObject({
      limitKey: "config:1",
      baseUrl: "http://vllm:8000/v1",
      apiKeyEnv: "VLLM_KEY",
      auth: "bearer",
    });
    expect(route("http://0.0.0.0:11434/v1/v1/chat/completions", config)).toMatchObject({
      limitKey: "config:2",
      headers: { "x-a": "1" },
      query: { q: "2" },
    });
    expect(route("http://localhost:11434/v1/v1/chat/completions", config).limitKey).toBe(
      "host:localhost:11434",
    );
  });

  it("lets --provider override a configured base URL, keeping the entry's other settings", () => {
    const routed = route("http://localhost:8000/v1/v1/chat/completions", config, [
      "localhost:8000=http://127.0.0.1:1/v1",
    ]);
    expect(routed).toMatchObject({ baseUrl: "http://127.0.0.1:1/v1", apiKeyEnv: "VLLM_KEY" });
  });
});

describe("--provider HOST=BASE_URL", () => {
  it("parses a host (or glob) and an http(s) base URL", () => {
    expect(parseProviderOverride("*.openai.azure.com=https://proxy.example/openai/v1")).toEqual({
      host: "*.openai.azure.com",
      baseUrl: "https://proxy.example/openai/v1",
    });
  });

  it("rejects anything else with the value it was given", () => {
    expect(() => parseProviderOverride("api.openai.com")).toThrow(
      "--provider api.openai.com: expected HOST=BASE_URL, e.g. api.openai.com=http://localhost:8080/v1",
    );
    expect(() => parseProviderOverride("api.openai.com=ftp://x")).toThrow(
      '--provider api.openai.com=ftp://x: expected an http(s) URL after "="',
    );
    expect(() => parseProviderOverride("https://api.openai.com=http://x")).toThrow(/expected HOST=BASE_URL/);
  });
});
