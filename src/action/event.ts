// The pull request that triggered the run, read from the event payload the runner writes to
// GITHUB_EVENT_PATH (read per run, not at import as @actions/github's `context` does).
import { readFileSync } from "node:fs";

export interface PullRequestEvent {
  /** The base commit the pull request was opened against. */
  baseSha: string | null;
  /** `owner/name` of the repository the changes come from. */
  headRepository: string | null;
  /** From a fork: GitHub gives such runs no secrets and a read-only token. */
  fromFork: boolean;
}

interface Payload {
  pull_request?: {
    base?: { sha?: string; repo?: { full_name?: string } };
    head?: { repo?: { fork?: boolean; full_name?: string } | null };
  };
}

/** The pull request of a `pull_request*` event, or null for any other event. */
export function readPullRequestEvent(env: NodeJS.ProcessEnv): PullRequestEvent | null {
  if (!env.GITHUB_EVENT_NAME?.startsWith("pull_request") || !env.GITHUB_EVENT_PATH) return null;
  let payload: Payload;
  try {
    payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8")) as Payload;
  } catch {
    return null;
  }
  const pull = payload.pull_request;
  if (!pull) return null;
  const head = pull.head?.repo ?? null;
  const base = pull.base?.repo?.full_name ?? env.GITHUB_REPOSITORY ?? null;
  return {
    baseSha: pull.base?.sha ?? null,
    headRepository: head?.full_name ?? null,
    // A deleted fork has no head repository: treat it as a fork, the safe side.
    fromFork: head === null || head.fork === true || (head.full_name ?? null) !== base,
  };
}

/** Stops modes that need provider secrets on a fork's pull request, before anything runs. */
export function refuseForkPullRequest(mode: string, env: NodeJS.ProcessEnv): void {
  const event = readPullRequestEvent(env);
  if (!event?.fromFork) return;
  throw new Error(
    `mode ${mode} replays recordings against live providers and needs their API keys, which GitHub ` +
      `does not give to workflows run for pull requests from forks (this one comes from ` +
      `${event.headRepository ?? "a deleted fork"}). On pull_request events use mode: pr-check, ` +
      "which needs no secrets; run check and refresh on schedule or workflow_dispatch.",
  );
}
