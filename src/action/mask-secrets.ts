// Masks, in the Actions log, every secret the configured providers read from the environment,
// before any replay can print one: API key variables (configured or the default per host) and
// `${NAME}` references in configured headers and query parameters.
import * as core from "@actions/core";
import type { Config } from "../config.ts";
import { secretVariableNames } from "../replay/credentials.ts";

export function maskProviderSecrets(config: Config, env: NodeJS.ProcessEnv): void {
  for (const name of secretVariableNames(config)) {
    const value = env[name];
    if (value) core.setSecret(value);
  }
}
