// Masks, in the Actions log, every secret the configured providers read from the environment,
// before any replay can print one: API key variables (configured or the default per host) and
// `${NAME}` references in configured headers and query parameters.
import * as core from "@actions/core";
import type { Config } from "../config.ts";
import { defaultApiKeyEnv } from "../replay/providers.ts";

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Hosts whose key variable is known without configuration: one per default. */
const HOSTS_WITH_DEFAULT_KEYS = ["api.openai.com", "example.openai.azure.com"];

export function secretNames(config: Config): string[] {
  const names = new Set<string>();
  for (const host of HOSTS_WITH_DEFAULT_KEYS) {
    const name = defaultApiKeyEnv(host);
    if (name) names.add(name);
  }
  for (const provider of config.providers) {
    if (provider.apiKeyEnv) names.add(provider.apiKeyEnv);
    for (const value of [...Object.values(provider.headers), ...Object.values(provider.query)]) {
      for (const [, name] of value.matchAll(REFERENCE)) names.add(name as string);
    }
  }
  return [...names].sort();
}

export function maskProviderSecrets(config: Config, env: NodeJS.ProcessEnv): void {
  for (const name of secretNames(config)) {
    const value = env[name];
    if (value) core.setSecret(value);
  }
}
