import { describe, expect, it } from "vitest";
import { defaultConfig, parseConfig } from "../src/config.ts";
import { parseProviderOverride, routeProvider, unusedProviderHosts } from "../src/replay/providers.ts";

const route = (url: string, config = defaultConfig(), overrides: string[] = []) =>
  routeProvider(url, config, overrides.map(parseProviderOverride));

describe("default providers", () => {
  it("gives every host of llama-stack's recordings its provider kind and key variables", () => {
    const expected: Array<[url: string, kind: string, keys: string[]]> = [
      ["https://api.openai.com/v1/v1/chat/completions", "openai", ["OPENAI_API_KEY"]],
      [
        "https://lls-test.openai.azure.com/openai/v1/v1/chat/completions",
        "azure",
        ["AZURE_API_KEY", "AZURE_OPENAI_API_KEY"],
      ],
      ["https://us-south.ml.cloud.ibm.com/ml/v1/v1/chat/completions", "watsonx", ["WATSONX_API_KEY"]],
      [
        "https://bedrock-runtime.us-west-2.amazonaws.com/openai/v1/v1/chat/completions",
        "bedrock",
        ["AWS_BEARER_TOKEN_BEDROCK"],
      ],
      ["https://bedrock-mantle.us-east-2.api.aws/v1/v1/models", "bedrock", ["AWS_BEARER_TOKEN_BEDROCK"]],
      ["https://generativelanguage.googleapis.com/v1beta/interactions", "gemini", ["GEMINI_API_KEY"]],
      ["http://0.0.0.0:11434/v1/v1/chat/completions", "ollama", []],
      ["http://localhost:11434/api/ps", "ollama", []],
      ["http://localhost:8000/v1/v1/models", "openai-compatible", []],
      ["http://127.0.0.1:8080/v1/models", "openai-compatible", []],
    ];
    for (const [url, kind, keys] of expected) {
      expect(route(url), url).toMatchObject({ kind, variables: { apiKey: keys }, baseUrl: null });
    }
  });

  it("takes Azure's and watsonx's base URL from AZURE_API_BASE and WATSONX_BASE_URL, and needs Azure's", () => {
    const azure = "https://lls-test.openai.azure.com/openai/v1/v1/chat/completions";
    expect(route(azure)).toMatchObject({ baseUrl: null, missingBaseUrl: "AZURE_API_BASE" });
    expect(
      routeProvider(azure, defaultConfig(), [], { AZURE_API_BASE: "https://mine.openai.azure.com" }),
    ).toMatchObject({
      baseUrl: "https://mine.openai.azure.com",
      baseUrlSource: "AZURE_API_BASE",
      missingBaseUrl: null,
    });
    const watsonx = "https://us-south.ml.cloud.ibm.com/ml/v1/v1/chat/completions";
    expect(route(watsonx)).toMatchObject({ baseUrl: null, missingBaseUrl: null });
    expect(
      routeProvider(watsonx, defaultConfig(), [], { WATSONX_BASE_URL: "https://eu-de.ml.cloud.ibm.com" }),
    ).toMatchObject({ baseUrl: "https://eu-de.ml.cloud.ibm.com", baseUrlSource: "WATSONX_BASE_URL" });
  });
});

describe("configured providers", () => {
  const config = parseConfig(
    {
      providers: [
        { host: "*.openai.azure.com", azure: { "api-version": "2024-10-21" }, concurrency: 4 },
        { host: "localhost:8000", "base-url": "http://vllm:8000/v1", "api-key-env": "VLLM_KEY" },
        { host: "0.0.0.0", headers: { "x-a": "1" }, query: { q: "2" } },
        { host: "*.ml.cloud.ibm.com", "api-key-env": "IBM_KEY", "project-env": "IBM_PROJECT" },
        { host: "gateway.example.com", kind: "gemini" },
      ],
    },
    "test",
  );

  it("matches host globs, host:port, and a bare hostname on any port", () => {
    expect(route("https://x.openai.azure.com/openai/v1/v1/models", config)).toMatchObject({
      limitKey: "config:0",
      kind: "azure",
      concurrency: 4,
      query: { "api-version": "2024-10-21" },
    });
    expect(route("http://localhost:8000/v1/v1/chat/completions", config)).toMatchObject({
      limitKey: "config:1",
      baseUrl: "http://vllm:8000/v1",
      baseUrlSource: "providers[1]",
      variables: { apiKey: ["VLLM_KEY"] },
    });
    expect(route("http://0.0.0.0:11434/v1/v1/chat/completions", config)).toMatchObject({
      limitKey: "config:2",
      kind: "ollama",
      headers: { "x-a": "1" },
      query: { q: "2" },
    });
    expect(route("http://localhost:11434/v1/v1/chat/completions", config).limitKey).toBe(
      "host:localhost:11434",
    );
  });

  it("renames a profile's variables and sets the kind of a host it does not know", () => {
    expect(route("https://us-south.ml.cloud.ibm.com/ml/v1/v1/models", config)).toMatchObject({
      kind: "watsonx",
      variables: { apiKey: ["IBM_KEY"], project: "IBM_PROJECT", baseUrl: "WATSONX_BASE_URL" },
    });
    expect(route("https://gateway.example.com/v1beta/interactions", config)).toMatchObject({
      kind: "gemini",
      variables: { apiKey: ["GEMINI_API_KEY"] },
    });
  });

  it("lets --provider override a configured base URL, keeping the entry's other settings", () => {
    const routed = route("http://localhost:8000/v1/v1/chat/completions", config, [
      "localhost:8000=http://127.0.0.1:1/v1",
    ]);
    expect(routed).toMatchObject({
      baseUrl: "http://127.0.0.1:1/v1",
      baseUrlSource: "--provider localhost:8000",
      variables: { apiKey: ["VLLM_KEY"] },
    });
  });

  it("picks the most specific match: an exact host over a glob, a longer glob over a shorter one", () => {
    const layered = parseConfig(
      {
        providers: [
          { host: "*", "base-url": "http://any:1" },
          { host: "*.openai.azure.com", "base-url": "http://azure:1" },
          { host: "lls-test.openai.azure.com", "base-url": "http://lls:1" },
        ],
      },
      "test",
    );
    const url = "https://lls-test.openai.azure.com/openai/v1/v1/models";
    expect(route(url, layered)).toMatchObject({ baseUrl: "http://lls:1", limitKey: "config:2" });
    expect(route("https://ogx.openai.azure.com/openai/v1/v1/models", layered).baseUrl).toBe("http://azure:1");
    expect(route("https://api.openai.com/v1/v1/models", layered).baseUrl).toBe("http://any:1");
    const overrides = [
      "*=http://o-any:1",
      "lls-test.openai.azure.com=http://o-lls:1",
      "*.azure.com=http://o-az:1",
    ];
    expect(route(url, layered, overrides).baseUrl).toBe("http://o-lls:1");
    // On a tie the last --provider wins.
    expect(route(url, layered, ["*.azure.com=http://a:1", "*.azure.com=http://b:1"]).baseUrl).toBe(
      "http://b:1",
    );
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

describe("overrides you can trust", () => {
  it("warns of a --provider or config host that matches no recorded host, naming it", () => {
    const config = parseConfig(
      { providers: [{ host: "*.openai.azure.com" }, { host: "api.openia.com", "api-key-env": "K" }] },
      "test",
    );
    const hosts = new Set(["api.openai.com", "lls-test.openai.azure.com", "0.0.0.0:11434"]);
    expect(
      unusedProviderHosts(
        config,
        ["0.0.0.0=http://localhost:11434", "localhost:8000=http://vllm:8000/v1"],
        hosts,
      ),
    ).toEqual([
      "--provider localhost:8000=http://vllm:8000/v1: localhost:8000 matches no recorded host",
      "providers[1]: api.openia.com matches no recorded host",
    ]);
  });
});
