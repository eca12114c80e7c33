// The project's configuration file: `.github/recording-drift.yml` (or `--config FILE`, YAML or
// JSON). Keys are kebab-case in the file and camelCase once parsed. Every object is strict, so a
// misspelt key is an error that names the file and the key path rather than a silent default.

import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

export const DEFAULT_CONFIG_PATH = ".github/recording-drift.yml";

/** The values used for every key the file leaves out. */
export const DEFAULTS = {
  concurrency: 8,
  // rateLimitBudgetMs: how long a provider may keep answering 429 before the rest of its
  // recordings fail as rate-limited without being sent.
  retries: { attempts: 3, baseDelayMs: 500, maxDelayMs: 8_000, rateLimitBudgetMs: 300_000 },
  timeouts: { requestMs: 120_000, streamIdleMs: 30_000 },
  // An answer's bytes after decompression: a whole body or stream, and one event of a stream.
  limits: { answerBytes: 64 * 1024 * 1024, eventBytes: 64 * 1024 * 1024 },
} as const;

const httpUrl = z
  .string({ error: "expected an http(s) URL" })
  .refine(isHttpUrl, { error: "expected an http(s) URL" });

const hostGlob = z
  .string({ error: "expected a host or host glob, e.g. api.openai.com" })
  .regex(/^[^/\s]+$/, { error: "expected a host or host glob without scheme or path, e.g. api.openai.com" });

const stringMap = z.record(z.string(), z.string({ error: "expected a string" }), {
  error: "expected a map of strings",
});
const positiveInt = z
  .int({ error: "expected a positive integer" })
  .positive({ error: "expected a positive integer" });
const ratio = z
  .number({ error: "expected a number between 0 and 1" })
  .min(0, { error: "expected a number between 0 and 1" })
  .max(1, { error: "expected a number between 0 and 1" });
const flag = z.boolean({ error: "expected true or false" });

const envName = z
  .string({ error: "expected an environment variable name" })
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "expected an environment variable name" });

/** The provider kinds replay/ has a profile for (auth, variables, URL rewriting, adjustments). */
export const PROVIDER_KINDS = [
  "openai",
  "azure",
  "watsonx",
  "bedrock",
  "gemini",
  "vertex",
  "ollama",
  "openai-compatible",
] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

const providerSchema = z
  .strictObject({
    host: hostGlob,
    kind: z.enum(PROVIDER_KINDS, { error: `expected one of ${PROVIDER_KINDS.join(", ")}` }).optional(),
    "base-url": httpUrl.optional(),
    "api-key-env": envName.optional(),
    "base-url-env": envName.optional(),
    "project-env": envName.optional(),
    "location-env": envName.optional(),
    "token-url": httpUrl.optional(),
    headers: stringMap.optional(),
    query: stringMap.optional(),
    azure: z.strictObject({ "api-version": z.string({ error: "expected a string" }) }).optional(),
    concurrency: positiveInt.optional(),
  })
  .transform((p) => ({
    host: p.host,
    kind: p.kind ?? null,
    baseUrl: p["base-url"] ?? null,
    apiKeyEnv: p["api-key-env"] ?? null,
    baseUrlEnv: p["base-url-env"] ?? null,
    projectEnv: p["project-env"] ?? null,
    locationEnv: p["location-env"] ?? null,
    tokenUrl: p["token-url"] ?? null,
    headers: p.headers ?? {},
    query: p.query ?? {},
    azure: p.azure ? { apiVersion: p.azure["api-version"] } : null,
    concurrency: p.concurrency ?? null,
  }));

const overrideSchema = z
  .strictObject({
    "test-id": z.string({ error: "expected a glob" }).optional(),
    provider: hostGlob.optional(),
    threshold: ratio.optional(),
    "embedding-threshold": ratio.optional(),
    "case-fold": flag.optional(),
    "strip-punctuation": flag.optional(),
  })
  .transform((o) => ({
    testId: o["test-id"] ?? null,
    provider: o.provider ?? null,
    threshold: o.threshold ?? null,
    embeddingThreshold: o["embedding-threshold"] ?? null,
    caseFold: o["case-fold"] ?? null,
    stripPunctuation: o["strip-punctuation"] ?? null,
  }));

const configSchema = z
  .strictObject({
    providers: z.array(providerSchema, { error: "expected a list" }).optional(),
    concurrency: positiveInt.optional(),
    retries: z
      .strictObject({
        attempts: positiveInt.optional(),
        "base-delay-ms": z.int({ error: "expected a whole number of ms" }).nonnegative().optional(),
        "max-delay-ms": z.int({ error: "expected a whole number of ms" }).nonnegative().optional(),
        "rate-limit-budget-ms": z.int({ error: "expected a whole number of ms" }).nonnegative().optional(),
      })
      .optional(),
    timeouts: z
      .strictObject({
        "request-ms": positiveInt.optional(),
        "stream-idle-ms": positiveInt.optional(),
      })
      .optional(),
    limits: z
      .strictObject({
        "answer-bytes": positiveInt.optional(),
        "event-bytes": positiveInt.optional(),
      })
      .optional(),
    compare: z
      .strictObject({
        threshold: ratio.optional(),
        "embedding-threshold": ratio.optional(),
        "case-fold": flag.optional(),
        "strip-punctuation": flag.optional(),
        overrides: z.array(overrideSchema, { error: "expected a list" }).optional(),
      })
      .optional(),
  })
  .transform((c) => ({
    providers: c.providers ?? [],
    concurrency: c.concurrency ?? DEFAULTS.concurrency,
    retries: {
      attempts: c.retries?.attempts ?? DEFAULTS.retries.attempts,
      baseDelayMs: c.retries?.["base-delay-ms"] ?? DEFAULTS.retries.baseDelayMs,
      maxDelayMs: c.retries?.["max-delay-ms"] ?? DEFAULTS.retries.maxDelayMs,
      rateLimitBudgetMs: c.retries?.["rate-limit-budget-ms"] ?? DEFAULTS.retries.rateLimitBudgetMs,
    },
    timeouts: {
      requestMs: c.timeouts?.["request-ms"] ?? DEFAULTS.timeouts.requestMs,
      streamIdleMs: c.timeouts?.["stream-idle-ms"] ?? DEFAULTS.timeouts.streamIdleMs,
    },
    limits: {
      answerBytes: c.limits?.["answer-bytes"] ?? DEFAULTS.limits.answerBytes,
      eventBytes: c.limits?.["event-bytes"] ?? DEFAULTS.limits.eventBytes,
    },
    // Left null when unset: compare/options.ts holds the comparison defaults.
    compare: {
      threshold: c.compare?.threshold ?? null,
      embeddingThreshold: c.compare?.["embedding-threshold"] ?? null,
      caseFold: c.compare?.["case-fold"] ?? null,
      stripPunctuation: c.compare?.["strip-punctuation"] ?? null,
      overrides: c.compare?.overrides ?? [],
    },
  }));

export type Config = z.output<typeof configSchema>;
export type ProviderConfig = Config["providers"][number];
export type CompareOverride = Config["compare"]["overrides"][number];

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The configuration when no file is present: every default. */
export function defaultConfig(): Config {
  return parseConfig({}, "(defaults)");
}

/** Validates an already-parsed document; `source` names it in errors. */
export function parseConfig(document: unknown, source: string): Config {
  const result = configSchema.safeParse(document ?? {});
  if (result.success) return result.data;
  const lines = result.error.issues.flatMap((issue) => {
    const path = formatPath(issue.path);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => `${source}: ${joinPath(path, key)}: unknown key`);
    }
    if (issue.code === "invalid_type" && issue.path.length === 0) {
      return [`${source}: expected a mapping at the top level`];
    }
    return [`${source}: ${path || "(top level)"}: ${issue.message.replace(/^Invalid input: /, "")}`];
  });
  throw new ConfigError(lines.join("\n"));
}

/**
 * Loads `--config FILE` when given (it must exist), else `.github/recording-drift.yml` under
 * `cwd` when present, else the defaults. `source` is the file read, or null.
 */
export async function loadConfig(
  options: { cwd?: string; configPath?: string | null } = {},
): Promise<{ config: Config; source: string | null }> {
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.configPath ?? null;
  const source = explicit ?? DEFAULT_CONFIG_PATH;
  let text: string;
  try {
    text = await readFile(resolve(cwd, source), "utf8");
  } catch (error) {
    if (explicit === null && (error as NodeJS.ErrnoException).code === "ENOENT") {
      return { config: defaultConfig(), source: null };
    }
    throw new ConfigError(`${source}: cannot read: ${(error as Error).message}`);
  }
  return { config: parseConfigText(text, source), source };
}

/**
 * The config as the base of a change has it (`diff`, `pr-check`): a pull request must not
 * choose its own gate, so its head's config is never read. `read` gives the base's file or null.
 */
export async function loadBaseConfig(
  configPath: string | null,
  read: (relative: string) => Promise<string | null>,
): Promise<{ config: Config; source: string | null }> {
  const source = configPath ?? DEFAULT_CONFIG_PATH;
  const text = await read(source).catch((error: unknown) => {
    throw new ConfigError(`${source}: cannot read at the base: ${(error as Error).message}`);
  });
  if (text !== null) return { config: parseConfigText(text, source), source };
  if (configPath === null) return { config: defaultConfig(), source: null };
  throw new ConfigError(`${source}: not in the base, which the config is read from (never from the change)`);
}

function parseConfigText(text: string, source: string): Config {
  return parseConfig(parseDocument(text, source), source);
}

function parseDocument(text: string, source: string): unknown {
  try {
    return source.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(
      `${source}: not valid ${source.endsWith(".json") ? "JSON" : "YAML"}: ${(error as Error).message}`,
    );
  }
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : joinPath(out, String(key))),
    "",
  );
}

function joinPath(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}
