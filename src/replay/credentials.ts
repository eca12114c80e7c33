// API keys and other secrets read from the environment, and the scrubbing that keeps every one
// of them out of logs, errors, reports and captures: a provider may echo a key back in an error
// message, and a capture can end up written into a recording.

import type { Config } from "../config.ts";
import type { Authorization, AuthorizeContext, Env } from "./profiles/profile.ts";
import { defaultKeyVariables } from "./profiles/registry.ts";
import type { ProviderRoute } from "./providers.ts";

export interface Credentials {
  /** The profile's authorization: the headers each request carries. */
  auth: Authorization;
  /** Configured headers and query with `${NAME}` references filled in. */
  headers: Record<string, string>;
  query: Record<string, string>;
  /** Every value read from the environment, for scrubbing. */
  secrets: string[];
}

export type CredentialsResult = { ok: true; credentials: Credentials } | { ok: false; reason: string };

/** What a profile needs besides the route and the environment (see AuthorizeContext). */
export type AuthorizeRuntime = Pick<AuthorizeContext, "local" | "now" | "memo" | "addSecret">;

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * The credentials a route's requests carry, or the variables to set: a provider whose key (or
 * base URL, or project) is not configured is never called anonymously.
 */
export function resolveCredentials(
  route: ProviderRoute,
  env: Env,
  runtime: AuthorizeRuntime,
): CredentialsResult {
  const secrets: string[] = [];
  const missing: string[] = [];
  const read = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === "") {
      missing.push(name);
      return "";
    }
    secrets.push(value);
    return value;
  };
  const authorized = route.profile.authorize({
    ...runtime,
    variables: route.variables,
    env,
    host: route.host,
    tokenUrl: route.tokenUrl,
  });
  if (!authorized.ok && "refused" in authorized) return { ok: false, reason: authorized.refused };
  if (!authorized.ok) missing.push(...authorized.missing);
  if (route.missingBaseUrl !== null) missing.push(route.missingBaseUrl);
  const fill = (map: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(map).map(([k, v]) => [k, v.replace(REFERENCE, (_, name) => read(name))]),
    );
  const headers = fill(route.headers);
  const query = fill(route.query);
  if (!authorized.ok || missing.length > 0) {
    return { ok: false, reason: `no credentials: set ${[...new Set(missing)].join(", ")}` };
  }
  secrets.push(...authorized.auth.secrets);
  return { ok: true, credentials: { auth: authorized.auth, headers, query, secrets } };
}

/**
 * Every variable a run may read a secret from: every profile's key variables and those the
 * config names (`api-key-env`, `${NAME}` in headers and query), whether or not a recording uses
 * them.
 */
export function secretVariableNames(config: Config): string[] {
  const names = new Set<string>(defaultKeyVariables());
  for (const provider of config.providers) {
    if (provider.apiKeyEnv) names.add(provider.apiKeyEnv);
    for (const value of [...Object.values(provider.headers), ...Object.values(provider.query)]) {
      for (const [, name] of value.matchAll(REFERENCE)) names.add(name as string);
    }
  }
  return [...names].sort();
}

/**
 * Shorter values are placeholders (`EMPTY`, `none`, `dummy` for local vLLM or Ollama), not
 * keys: scrubbing them would cut those words out of the models' answers.
 */
export const MIN_SECRET_LENGTH = 8;

/** The values of those variables that are set: scrubbed from every answer, used or not. */
export function environmentSecrets(
  config: Config,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  return secretVariableNames(config)
    .map((name) => env[name])
    .filter((value): value is string => value !== undefined && value.length >= MIN_SECRET_LENGTH);
}

/** Replaces every secret in a text. */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join("***");
  }
  return out;
}

/** Replaces every secret in every string (keys too) of a JSON value. */
export function scrubJson<T>(value: T, secrets: readonly string[]): T {
  // One native serialization to find out whether there is anything to do: most answers hold no
  // key, and walking a large capture for nothing is the costliest step of a request.
  const text = JSON.stringify(value) ?? "";
  const present = secrets.filter(
    (secret) => secret.length >= MIN_SECRET_LENGTH && text.includes(JSON.stringify(secret).slice(1, -1)),
  );
  if (present.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return scrubText(v, present);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [scrubText(k, present), walk(item)]));
    }
    return v;
  };
  return walk(value) as T;
}
