import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, defaultConfig, loadConfig, parseConfig } from "../src/config.ts";
import { makeTempDir } from "./support/temp-dir.ts";

function repoWith(files: Record<string, string>): string {
  const dir = makeTempDir("recording-drift-config-");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const FILE = ".github/recording-drift.yml";

describe("loading", () => {
  it("uses the defaults when the repository has no config file", async () => {
    const { config, source } = await loadConfig({ cwd: repoWith({}) });
    expect(source).toBeNull();
    expect(config).toEqual(defaultConfig());
    expect(config).toMatchObject({
      providers: [],
      concurrency: 8,
      retries: { attempts: 3, baseDelayMs: 500, maxDelayMs: 8000 },
      timeouts: { requestMs: 120_000, streamIdleMs: 30_000 },
      compare: {
        threshold: null,
        embeddingThreshold: null,
        caseFold: null,
        stripPunctuation: null,
        overrides: [],
      },
    });
  });

  it("reads .github/recording-drift.yml and turns kebab-case keys into camelCase", async () => {
    const cwd = repoWith({
      [FILE]: [
        "providers:",
        "  - host: '*.openai.azure.com'",
        "    base-url: https://proxy.example/openai/v1",
        "    api-key-env: MY_AZURE_KEY",
        "    azure: { api-version: 2024-10-21 }",
        "    headers: { x-team: drift }",
        "    concurrency: 2",
        "concurrency: 16",
        "retries: { attempts: 5 }",
        "timeouts: { stream-idle-ms: 5000 }",
        "compare:",
        "  threshold: 0.9",
        "  case-fold: true",
        "  overrides:",
        "    - { test-id: 'tests/integration/inference/*', provider: api.openai.com, embedding-threshold: 0.95 }",
      ].join("\n"),
    });
    const { config, source } = await loadConfig({ cwd });
    expect(source).toBe(FILE);
    expect(config.providers).toEqual([
      {
        host: "*.openai.azure.com",
        kind: null,
        baseUrl: "https://proxy.example/openai/v1",
        apiKeyEnv: "MY_AZURE_KEY",
        baseUrlEnv: null,
        projectEnv: null,
        locationEnv: null,
        tokenUrl: null,
        headers: { "x-team": "drift" },
        query: {},
        azure: { apiVersion: "2024-10-21" },
        concurrency: 2,
      },
    ]);
    expect(config.concurrency).toBe(16);
    expect(config.retries).toEqual({
      attempts: 5,
      baseDelayMs: 500,
      maxDelayMs: 8000,
      rateLimitBudgetMs: 300_000,
    });
    expect(config.timeouts).toEqual({ requestMs: 120_000, streamIdleMs: 5000 });
    expect(config.compare).toMatchObject({ threshold: 0.9, caseFold: true, stripPunctuation: null });
    expect(config.compare.overrides).toEqual([
      {
        testId: "tests/integration/inference/*",
        provider: "api.openai.com",
        threshold: null,
        embeddingThreshold: 0.95,
        caseFold: null,
        stripPunctuation: null,
      },
    ]);
  });

  it("reads --config FILE as JSON when it ends in .json", async () => {
    const cwd = repoWith({ "ci/drift.json": '{"concurrency": 3}' });
    const { config, source } = await loadConfig({ cwd, configPath: "ci/drift.json" });
    expect(source).toBe("ci/drift.json");
    expect(config.concurrency).toBe(3);
  });

  it("fails when --config names a file that is not there", async () => {
    await expect(loadConfig({ cwd: repoWith({}), configPath: "missing.yml" })).rejects.toThrow(
      /^missing\.yml: cannot read: ENOENT/,
    );
  });

  it("reports a file that is not YAML or JSON, naming it", async () => {
    const cwd = repoWith({ [FILE]: "providers: [\n", "bad.json": "{" });
    await expect(loadConfig({ cwd })).rejects.toThrow(/^\.github\/recording-drift\.yml: not valid YAML: /);
    await expect(loadConfig({ cwd, configPath: "bad.json" })).rejects.toThrow(/^bad\.json: not valid JSON: /);
  });

  it("treats an empty file as all defaults", async () => {
    const { config } = await loadConfig({ cwd: repoWith({ [FILE]: "" }) });
    expect(config).toEqual(defaultConfig());
  });
});

describe("validation errors name the file and the key", () => {
  const error = (document: unknown) => {
    try {
      parseConfig(document, FILE);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error("no error");
  };

  it("a base URL that is not http(s)", () => {
    expect(error({ providers: [{ host: "api.openai.com", "base-url": "ftp://x" }] })).toBe(
      `${FILE}: providers[0].base-url: expected an http(s) URL`,
    );
    expect(error({ providers: [{ host: "api.openai.com", "base-url": 42 }] })).toBe(
      `${FILE}: providers[0].base-url: expected an http(s) URL`,
    );
  });

  it("a provider kind it has no profile for, a bad variable name, a token URL that is not http(s)", () => {
    expect(error({ providers: [{ host: "x.example", kind: "anthropic" }] })).toBe(
      `${FILE}: providers[0].kind: expected one of openai, azure, watsonx, bedrock, gemini, vertex, ollama, openai-compatible`,
    );
    expect(error({ providers: [{ host: "x.example", "project-env": "MY PROJECT" }] })).toBe(
      `${FILE}: providers[0].project-env: expected an environment variable name`,
    );
    expect(error({ providers: [{ host: "*.ml.cloud.ibm.com", "token-url": "iam.local" }] })).toBe(
      `${FILE}: providers[0].token-url: expected an http(s) URL`,
    );
    expect(error({ retries: { "rate-limit-budget-ms": -1 } })).toMatch(/retries\.rate-limit-budget-ms/);
  });

  it("an unknown key, at any depth", () => {
    expect(error({ provider: [] })).toBe(`${FILE}: provider: unknown key`);
    expect(error({ providers: [{ host: "h", baseurl: "http://x" }] })).toBe(
      `${FILE}: providers[0].baseurl: unknown key`,
    );
    expect(error({ compare: { overrides: [{ testid: "x" }] } })).toBe(
      `${FILE}: compare.overrides[0].testid: unknown key`,
    );
  });

  it("a wrong type", () => {
    expect(error({ concurrency: "8" })).toBe(`${FILE}: concurrency: expected a positive integer`);
    expect(error({ concurrency: 0 })).toBe(`${FILE}: concurrency: expected a positive integer`);
    expect(error({ compare: { threshold: 2 } })).toBe(
      `${FILE}: compare.threshold: expected a number between 0 and 1`,
    );
    expect(error({ providers: [{ host: "h", headers: { a: 1 } }] })).toBe(
      `${FILE}: providers[0].headers.a: expected a string`,
    );
    expect(error({ retries: { attempts: 1.5 } })).toBe(
      `${FILE}: retries.attempts: expected a positive integer`,
    );
  });

  it("a host with a scheme, and a missing host", () => {
    expect(error({ providers: [{ host: "https://api.openai.com" }] })).toBe(
      `${FILE}: providers[0].host: expected a host or host glob without scheme or path, e.g. api.openai.com`,
    );
    expect(error({ providers: [{}] })).toBe(
      `${FILE}: providers[0].host: expected a host or host glob, e.g. api.openai.com`,
    );
  });

  it("a document that is not a mapping", () => {
    expect(error(["a"])).toBe(`${FILE}: expected a mapping at the top level`);
  });

  it("every problem at once, one per line", () => {
    expect(error({ concurrency: -1, nope: true }).split("\n")).toHaveLength(2);
  });
});
