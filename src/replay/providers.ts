// Which provider a recording goes to: the recorded URL's host matched against the configured
// host globs and the `--provider HOST=BASE_URL` overrides, giving the provider's kind (its
// profile: auth, variables, adjustments), the variables it reads and where requests go.
//
// When several entries match a host, the most specific one wins: an exact host (or host:port)
// beats a glob, and a glob with more literal characters beats one with fewer (`*.openai.azure.com`
// over `*.azure.com` over `*`). On a tie the last `--provider` and the first config entry win.
// The base URL comes from, in order: a matching `--provider`, the config entry's `base-url`, the
// entry's (or the profile's) base URL variable (AZURE_API_BASE, WATSONX_BASE_URL), the recording.

import picomatch from "picomatch";
import { type Config, isHttpUrl, type ProviderConfig } from "../config.ts";
import type { Env, ProfileVariables, ProviderKind, ProviderProfile } from "./profiles/profile.ts";
import { readVariable } from "./profiles/profile.ts";
import { defaultKind, PROFILES } from "./profiles/registry.ts";

export interface ProviderRoute {
  /** The recorded host, with its port when the URL had one. */
  host: string;
  kind: ProviderKind;
  profile: ProviderProfile;
  /** The variables this provider reads, after the config's renames. */
  variables: ProfileVariables;
  /** Identity for the per-provider limit and breakers: the matched config entry, else the host. */
  limitKey: string;
  /** The base URL to send to instead of the recorded one, or null to keep the recorded one. */
  baseUrl: string | null;
  /** Where `baseUrl` came from, for the report: `--provider HOST`, `providers[0]`, a variable. */
  baseUrlSource: string | null;
  /** The variable to set when the profile needs a base URL and none was given. */
  missingBaseUrl: string | null;
  /** A token endpoint the config moves (watsonx's IAM exchange), or null for the real one. */
  tokenUrl: string | null;
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

/** Routes a recorded URL (see the top of this file for which entry wins). */
export function routeProvider(
  recordedUrl: string,
  config: Config,
  overrides: readonly ProviderOverride[],
  env: Env = {},
): ProviderRoute {
  const url = new URL(recordedUrl);
  const host = url.host;
  const index = mostSpecific(config.providers, host, url.hostname, "first");
  const entry: ProviderConfig | undefined = config.providers[index];
  const override = overrides[mostSpecific(overrides, host, url.hostname, "last")];
  const kind: ProviderKind =
    entry?.kind ?? (entry?.azure ? "azure" : null) ?? defaultKind(host, url.hostname);
  const profile = PROFILES[kind];
  const variables: ProfileVariables = {
    apiKey: entry?.apiKeyEnv ? [entry.apiKeyEnv] : profile.variables.apiKey,
    baseUrl: entry?.baseUrlEnv ?? profile.variables.baseUrl,
    project: entry?.projectEnv ?? profile.variables.project,
    location: entry?.locationEnv ?? profile.variables.location,
  };
  const query = { ...entry?.query };
  if (entry?.azure) query["api-version"] = entry.azure.apiVersion;
  const fromEnv = readVariable(env, variables.baseUrl);
  const [baseUrl, baseUrlSource] = override
    ? [override.baseUrl, `--provider ${override.host}`]
    : entry?.baseUrl
      ? [entry.baseUrl, `providers[${index}]`]
      : fromEnv !== undefined && isHttpUrl(fromEnv)
        ? [fromEnv, variables.baseUrl]
        : [null, null];
  return {
    host,
    kind,
    profile,
    variables,
    limitKey: entry ? `config:${index}` : `host:${host}`,
    baseUrl,
    baseUrlSource,
    missingBaseUrl: baseUrl === null && profile.baseUrlRequired ? variables.baseUrl : null,
    tokenUrl: entry?.tokenUrl ?? null,
    headers: { ...entry?.headers },
    query,
    concurrency: entry?.concurrency ?? null,
  };
}

/** The index of the entry whose host glob matches most specifically, or -1. */
function mostSpecific(
  entries: ReadonlyArray<{ host: string }>,
  host: string,
  hostname: string,
  onTie: "first" | "last",
): number {
  let best = -1;
  let bestScore = -1;
  entries.forEach((entry, i) => {
    const score = specificity(entry.host, host, hostname);
    if (score > bestScore || (score === bestScore && score >= 0 && onTie === "last")) {
      best = i;
      bestScore = score;
    }
  });
  return best;
}

/** -1 when the glob does not match; else higher for more specific globs (exact above all). */
function specificity(glob: string, host: string, hostname: string): number {
  if (glob === host) return Number.MAX_SAFE_INTEGER;
  if (glob === hostname) return Number.MAX_SAFE_INTEGER - 1;
  if (!hostMatcher(glob)(host) && !hostMatcher(glob)(hostname)) return -1;
  return glob.replace(/[*?[\]{}()!+@]/g, "").length;
}

/**
 * Warnings for `--provider` values and config entries whose host matched no recorded host of the
 * run: a misspelt host would otherwise silently leave its recordings on the default route.
 */
export function unusedProviderHosts(
  config: Config,
  overrides: readonly string[],
  recordedHosts: ReadonlySet<string>,
): string[] {
  const used = (glob: string) =>
    [...recordedHosts].some((host) => specificity(glob, host, host.replace(/:\d+$/, "")) >= 0);
  return [
    ...overrides
      .map(parseProviderOverride)
      .filter((o) => !used(o.host))
      .map((o) => `--provider ${o.host}=${o.baseUrl}: ${o.host} matches no recorded host`),
    ...config.providers.flatMap((p, i) =>
      used(p.host) ? [] : [`providers[${i}]: ${p.host} matches no recorded host`],
    ),
  ];
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
