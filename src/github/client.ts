// The one place an Octokit is made: @actions/github's client plus retries of server errors
// (plugin-retry) and of rate limits (plugin-throttling), pointed at GITHUB_API_URL so it
// works on GitHub Enterprise Server and against the fake GitHub in tests.
import * as core from "@actions/core";
import { getOctokit } from "@actions/github";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import Bottleneck from "bottleneck/light.js";

export type GitHubClient = ReturnType<typeof getOctokit>;

/** The repository a call works on. */
export interface Repository {
  owner: string;
  repo: string;
}

export interface GitHubClientOptions {
  token: string;
  /** API root; defaults to `GITHUB_API_URL` (set by Actions), then https://api.github.com. */
  baseUrl?: string;
  /** Where rate-limit notices go; defaults to the Actions log's warnings. */
  log?: (message: string) => void;
  /** Milliseconds per second of Retry-After, backoff and write pacing; tests shrink it. */
  retryAfterBaseMs?: number;
  /**
   * `false` turns the throttling plugin off, its rate-limit retries and its pacing of writes
   * (one per second, three seconds before each new pull request) with it; tests use it.
   */
  throttle?: boolean;
  /**
   * Seconds of rate-limit waiting (summed over the client's life) worth spending before a call
   * gives up; a limit that asks for more is reported instead. Default 15 minutes.
   */
  rateLimitBudgetSeconds?: number;
}

/** Retries of one call after a rate limit before giving up. */
const RATE_LIMIT_RETRIES = 2;
const RATE_LIMIT_BUDGET_SECONDS = 15 * 60;

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const log = options.log ?? core.warning;
  const retryAfterBaseValue = options.retryAfterBaseMs ?? 1000;
  const budget = options.rateLimitBudgetSeconds ?? RATE_LIMIT_BUDGET_SECONDS;
  let waited = 0;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const withinBudget = waited + retryAfter <= budget;
      const again = retryCount < RATE_LIMIT_RETRIES && withinBudget;
      const next = again
        ? `retrying in ${retryAfter}s (${retryCount + 1} of ${RATE_LIMIT_RETRIES})`
        : withinBudget
          ? "giving up"
          : `giving up: waiting ${retryAfter}s more would pass the ${budget}s budget for rate-limit waits`;
      if (again) waited += retryAfter;
      log(`GitHub ${kind} on ${request.method} ${request.url}: ${next}`);
      return again;
    };
  return getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl ?? (process.env.GITHUB_API_URL || "https://api.github.com"),
      userAgent: "recording-drift",
      retry: { retryAfterBaseValue },
      throttle:
        options.throttle === false
          ? { enabled: false }
          : {
              onRateLimit: onLimit("rate limit"),
              onSecondaryRateLimit: onLimit("secondary rate limit"),
              retryAfterBaseValue,
              // Writes one second apart, as the plugin paces them, on the clock tests shrink.
              write: new Bottleneck.Group({ maxConcurrent: 1, minTime: retryAfterBaseValue }),
            },
    },
    retry,
    throttling,
  );
}
