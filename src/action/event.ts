// The event that triggered the run, read from the payload the runner writes to GITHUB_EVENT_PATH
// (read per run, not at import as @actions/github's `context` does): the pull request's base, and
// whether the checked-out code is the repository's own.
import { readFileSync } from "node:fs";

export interface PullRequestEvent {
  /** The pull request's number. */
  number: number | null;
  /** The commit at the head of the pull request (the run's GITHUB_SHA is a merge commit). */
  headSha: string | null;
  /** The base commit the pull request was opened against. */
  baseSha: string | null;
  /** `owner/name` of the repository the changes come from. */
  headRepository: string | null;
  /** From a fork: GitHub gives such runs no secrets and a read-only token. */
  fromFork: boolean;
}

interface Payload {
  pull_request?: {
    number?: number;
    base?: { sha?: string; repo?: { full_name?: string } };
    head?: { sha?: string; repo?: { fork?: boolean; full_name?: string } | null };
  };
  issue?: { pull_request?: unknown };
  workflow_run?: { head_repository?: { fork?: boolean; full_name?: string } | null };
  repository?: { full_name?: string };
}

function readPayload(env: NodeJS.ProcessEnv): Payload | null {
  if (!env.GITHUB_EVENT_PATH) return null;
  try {
    return JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8")) as Payload;
  } catch {
    return null;
  }
}

/** Whether a repository is another than `base` (a deleted one, null, counts as another). */
function isForeign(repo: { fork?: boolean; full_name?: string } | null | undefined, base: string | null) {
  return repo === null || repo === undefined || repo.fork === true || (repo.full_name ?? null) !== base;
}

/** The pull request of a `pull_request*` event, or null for any other event. */
export function readPullRequestEvent(env: NodeJS.ProcessEnv): PullRequestEvent | null {
  if (!env.GITHUB_EVENT_NAME?.startsWith("pull_request")) return null;
  const pull = readPayload(env)?.pull_request;
  if (!pull) return null;
  const head = pull.head?.repo ?? null;
  const base = pull.base?.repo?.full_name ?? env.GITHUB_REPOSITORY ?? null;
  return {
    number: Number.isSafeInteger(pull.number) && (pull.number as number) > 0 ? (pull.number as number) : null,
    headSha: typeof pull.head?.sha === "string" ? pull.head.sha : null,
    baseSha: pull.base?.sha ?? null,
    headRepository: head?.full_name ?? null,
    // A deleted fork has no head repository: treat it as a fork, the safe side.
    fromFork: isForeign(head, base),
  };
}

/**
 * Where the code of this run may come from when it is not the repository's own, or null: a
 * fork's pull request (`pull_request`, `pull_request_target`), a comment on any pull request
 * (`issue_comment`: its payload does not say where the head is, so the safe side), or a
 * `workflow_run` of a fork's branch. Such code (its config included) must not choose where keys go.
 */
export function foreignCodeSource(env: NodeJS.ProcessEnv): string | null {
  const event = env.GITHUB_EVENT_NAME ?? "";
  if (event.startsWith("pull_request")) {
    const pull = readPullRequestEvent(env);
    return pull?.fromFork ? (pull.headRepository ?? "a deleted fork") : null;
  }
  const payload = readPayload(env);
  if (event === "issue_comment") {
    return payload?.issue?.pull_request ? "a comment on a pull request, whose head may be a fork" : null;
  }
  if (event === "workflow_run") {
    const head = payload?.workflow_run?.head_repository;
    const base = payload?.repository?.full_name ?? env.GITHUB_REPOSITORY ?? null;
    return isForeign(head, base) ? (head?.full_name ?? "a deleted fork") : null;
  }
  return null;
}

/** Stops modes that need provider secrets when the checked-out code is not the repository's own. */
export function refuseForkPullRequest(mode: string, env: NodeJS.ProcessEnv): void {
  const source = foreignCodeSource(env);
  if (source === null) return;
  throw new Error(
    `mode ${mode} replays recordings against live providers and needs their API keys, which must ` +
      `not be given to code from a fork (this one comes from ${source}). ` +
      "On pull requests use mode: pr-check, which needs no secrets; run check and refresh on " +
      "schedule or workflow_dispatch.",
  );
}
