// The interface every provider kind implements: which variables it reads (defaults overridable
// per config entry), how a request is authorized, where its base URL may come from, and how its
// wire request differs from the recorded one. The scheduler knows none of this.

import type { ProviderKind } from "../../config.ts";
import type { WireRequest } from "../types.ts";

export type { ProviderKind } from "../../config.ts";

export type Env = Readonly<Record<string, string | undefined>>;

/** The variables a provider reads, by role, after the config's renames. */
export interface ProfileVariables {
  /** Where the key is read from: the first one set wins; empty when the provider takes none. */
  apiKey: string[];
  /** A base URL standing in for the recorded one (Azure's and watsonx's hosts are per account). */
  baseUrl: string | null;
  project: string | null;
  location: string | null;
}

/** Headers one request carries; null removes a header the SDK would set (its bearer token). */
export type AuthHeaders = Record<string, string | null>;

export interface Authorization {
  /** The credential in words for reasons ("OPENAI_API_KEY"), or null when none is sent. */
  credential: string | null;
  /** Headers for the next request (async: a token may have to be fetched or renewed). */
  headers(): Promise<AuthHeaders>;
  /** Every value read from the environment, scrubbed from answers and reasons. */
  secrets: string[];
}

export type AuthorizeResult =
  | { ok: true; auth: Authorization }
  /** The variables to set. */
  | { ok: false; missing: string[] }
  /** Why the credentials must not be used as configured (a key over plain http). */
  | { ok: false; refused: string };

export interface AuthorizeContext {
  variables: ProfileVariables;
  env: Env;
  /** Whether requests go to this machine (a key is then optional for keyless kinds). */
  local: boolean;
  /** The recorded host, for messages. */
  host: string;
  /** The token endpoint a token exchange posts to, when the config moves it. */
  tokenUrl: string | null;
  /** The clock token lifetimes are measured on. */
  now: () => number;
  /** One value per key for the whole run (a token cache shared by every request of a key). */
  memo<T>(key: string, make: () => T): T;
  /** Adds a value obtained later (an access token) to what is scrubbed. */
  addSecret(value: string): void;
}

export interface ProviderProfile {
  kind: ProviderKind;
  /** The variables read when the config renames none. */
  variables: ProfileVariables;
  /** Whether a base URL must come from config or `variables.baseUrl` (the recorded one is no use). */
  baseUrlRequired?: boolean;
  authorize(context: AuthorizeContext): AuthorizeResult;
  /** The wire request this provider expects instead of the recorded one (query, body). */
  adjust?(wire: WireRequest, variables: ProfileVariables, env: Env): WireRequest;
}

/** The value of a variable, or undefined when unset or empty. */
export function readVariable(env: Env, name: string | null): string | undefined {
  if (name === null) return undefined;
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
}

/** The first of `names` that is set, with its name. */
export function firstSet(env: Env, names: readonly string[]): { name: string; value: string } | null {
  for (const name of names) {
    const value = readVariable(env, name);
    if (value !== undefined) return { name, value };
  }
  return null;
}

/** How to name a set of alternatives in "set …": `AZURE_API_KEY (or AZURE_OPENAI_API_KEY)`. */
export function alternatives(names: readonly string[]): string {
  const [first, ...rest] = names;
  return rest.length === 0 ? (first ?? "") : `${first} (or ${rest.join(" or ")})`;
}

/** An authorization with fixed headers from one key. */
export function keyAuthorization(credential: string, value: string, headers: AuthHeaders): Authorization {
  return { credential, secrets: [value], headers: () => Promise.resolve(headers) };
}

/** No credentials: local servers (Ollama, vLLM) take none. */
export const NO_AUTHORIZATION: Authorization = {
  credential: null,
  secrets: [],
  headers: () => Promise.resolve({ authorization: null }),
};

/** Authorization from one required key, sent by `headers(key)`. */
export function requireKey(
  context: AuthorizeContext,
  headers: (key: string) => AuthHeaders,
): AuthorizeResult {
  const found = firstSet(context.env, context.variables.apiKey);
  if (found === null) return { ok: false, missing: [alternatives(context.variables.apiKey)] };
  return { ok: true, auth: keyAuthorization(found.name, found.value, headers(found.value)) };
}

export const bearer = (key: string): AuthHeaders => ({ authorization: `Bearer ${key}` });

/** Hostnames that reach this machine: a key may go there over plain http. */
export function isLocalHost(hostname: string): boolean {
  const name = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return (
    name === "localhost" ||
    name.endsWith(".localhost") ||
    name === "::1" ||
    name === "0.0.0.0" ||
    /^127\.\d+\.\d+\.\d+$/.test(name)
  );
}
