// Which provider a recording goes to: the recorded URL's host matched against the configured
// host globs and the `--provider HOST=BASE_URL` overrides, with each provider's defaults for
// credentials and authentication style.

import picomatch from "picomatch";
import { type Config, isHttpUrl, type ProviderConfig } from "../config.ts";

export type AuthStyle = "bearer" | "azure" | "none";

export interface ProviderRoute {
  /** The recorded host, with its port when the URL had one. */
  host: string;
  /** Identity for the per-provider limit: the matched config entry, else the host. */
  limitKey: string;
  /** The base URL to send to instead of the recorded one, or null to keep the recorded one. */
  baseUrl: string | null;
  auth: AuthStyle;
  /** The variable holding the API key, or null when the provider takes none. */
  apiKeyEnv: string | null;
  /** Configured headers and query; values may name variables as `${NAME}`. */
  headers: Record<string, string>;
  query: Record<string, string>;
  concurrency: number | null;
}

export interface ProviderOverride {
  host: string;
  baseUrl: string;
}

/** Parses one `--provider HOST=BASE_URL` value. */
export function parseProviderOverride(text: string): ProviderOverride {
  const at = text.indexOf("=");
  const host = text.slice(0, at).trim();
  const baseUrl = text.slice(at + 1).trim();
  if (at <= 0 || host.includes("/")) {
    throw new Error(
      `--provider ${text}: expected HOST=BASE_URL, e.g. api.openai.com=http://localhost:8080/v1`,
    );
  }
  if (!isHttpUrl(baseUrl)) throw new Error(`--provider ${text}: expected an http(s) URL after "="`);
  return { host, baseUrl };
}

/** Routes a recorded URL. The first matching config entry and the last matching override win. */
export function routeProvider(
  recordedUrl: string,
  config: Config,
  overrides: readonly ProviderOverride[],
): ProviderRoute {
  const url = new URL(recordedUrl);
  const host = url.host;
  const matches = (glob: string) => hostMatcher(glob)(host) || hostMatcher(glob)(url.hostname);
  const index = config.providers.findIndex((p) => matches(p.host));
  const entry: ProviderConfig | undefined = config.providers[index];
  const override = overrides.findLast((o) => matches(o.host));
  const azure = entry?.azure != null || hostMatcher("*.openai.azure.com")(url.hostname);
  const query = { ...entry?.query };
  if (entry?.azure) query["api-version"] = entry.azure.apiVersion;
  const apiKeyEnv =
    entry?.apiKeyEnv ?? (entry?.azure ? "AZURE_OPENAI_API_KEY" : defaultApiKeyEnv(url.hostname));
  return {
    host,
    limitKey: entry ? `config:${index}` : `host:${host}`,
    baseUrl: override?.baseUrl ?? entry?.baseUrl ?? null,
    auth: apiKeyEnv === null ? "none" : azure ? "azure" : "bearer",
    apiKeyEnv,
    headers: { ...entry?.headers },
    query,
    concurrency: entry?.concurrency ?? null,
  };
}

/** The variable a host's key is read from when the config names none. */
export function defaultApiKeyEnv(hostname: string): string | null {
  if (hostname === "api.openai.com") return "OPENAI_API_KEY";
  if (hostMatcher("*.openai.azure.com")(hostname)) return "AZURE_OPENAI_API_KEY";
  // Local servers (Ollama, vLLM on localhost, 127.0.0.1, 0.0.0.0) take none; other hosts only
  // when the config names one.
  return null;
}

/**
 * The base URL requests go to. A configured base URL with a path replaces the recorded base; one
 * that is only an origin keeps the recorded path (`http://localhost:11434` for a recorded
 * `http://0.0.0.0:11434/v1`), so one host setting serves every endpoint of that host.
 */
export function effectiveBaseUrl(recordedBase: string, route: ProviderRoute): string {
  if (route.baseUrl === null) return trimSlash(recordedBase);
  const configured = new URL(route.baseUrl);
  if (configured.pathname !== "/") return trimSlash(route.baseUrl);
  return configured.origin + trimSlash(new URL(recordedBase).pathname);
}

/** Passthrough URLs keep their recorded path: only the origin moves to the configured one. */
export function effectivePassthroughUrl(recordedUrl: string, route: ProviderRoute): string {
  if (route.baseUrl === null) return recordedUrl;
  const url = new URL(recordedUrl);
  return new URL(url.pathname + url.search, new URL(route.baseUrl).origin).toString();
}

const matchers = new Map<string, (host: string) => boolean>();

/** A compiled glob, kept: a run routes thousands of recordings through a handful of globs. */
function hostMatcher(glob: string): (host: string) => boolean {
  let matcher = matchers.get(glob);
  if (matcher === undefined) {
    matcher = picomatch(glob);
    matchers.set(glob, matcher);
  }
  return matcher;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
