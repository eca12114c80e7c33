// API keys and other secrets read from the environment, and the scrubbing that keeps every one
// of them out of logs, errors, reports and captures: a provider may echo a key back in an error
// message, and a capture can end up written into a recording.

import type { ProviderRoute } from "./providers.ts";

export interface Credentials {
  apiKey: string | null;
  /** Configured headers and query with `${NAME}` references filled in. */
  headers: Record<string, string>;
  query: Record<string, string>;
  /** Every value read from the environment, for scrubbing. */
  secrets: string[];
}

export type CredentialsResult = { ok: true; credentials: Credentials } | { ok: false; reason: string };

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function resolveCredentials(
  route: ProviderRoute,
  env: Readonly<Record<string, string | undefined>>,
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
  const apiKey = route.apiKeyEnv === null ? null : read(route.apiKeyEnv);
  const fill = (map: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(map).map(([k, v]) => [k, v.replace(REFERENCE, (_, name) => read(name))]),
    );
  const headers = fill(route.headers);
  const query = fill(route.query);
  if (missing.length > 0) {
    const names = [...new Set(missing)];
    return {
      ok: false,
      reason: `no credentials: ${names.join(", ")} ${names.length === 1 ? "is" : "are"} not set`,
    };
  }
  return { ok: true, credentials: { apiKey, headers, query, secrets } };
}

/** Replaces every secret in a text. */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join("***");
  }
  return out;
}

/** Replaces every secret in every string (keys too) of a JSON value. */
export function scrubJson<T>(value: T, secrets: readonly string[]): T {
  // One native serialization to find out whether there is anything to do: most answers hold no
  // key, and walking a large capture for nothing is the costliest step of a request.
  const text = JSON.stringify(value) ?? "";
  const present = secrets.filter(
    (secret) => secret !== "" && text.includes(JSON.stringify(secret).slice(1, -1)),
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
