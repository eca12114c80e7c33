// Runs the planned attempts: a global concurrency limit and per-provider limits (p-limit),
// retries with the server's requested wait or exponential backoff with jitter, K samples per
// target, an abort signal that stops new requests and aborts those in flight, and results
// yielded as they finish. Results waiting for the consumer are bounded: no new request starts
// while too many are unread.
// Per provider, two breakers: a refused credential (401/403) stops every later request to it,
// and a 429 storm longer than the rate-limit budget does too; the rest fail without being sent.

import { setMaxListeners } from "node:events";
import pLimit, { type LimitFunction } from "p-limit";
import type { Capture } from "../capture.ts";
import type { AttemptOutcome } from "./attempt-outcome.ts";
import type { ReplayResult, ReplayTarget } from "./types.ts";

export interface Job {
  target: ReplayTarget;
  provider: string;
  /** The provider's identity for limits and breakers. */
  limitKey: string;
  /** The credential the provider was sent, for the breaker's reason ("OPENAI_API_KEY rejected"). */
  credential: string | null;
  /** The provider's own concurrency limit, or null for the global one only. */
  limit: number | null;
  /** The base URL the requests go to, for the report. */
  sentTo: string;
  /** One request; `signal` aborts it in flight when the run is interrupted. */
  attempt: (signal: AbortSignal) => Promise<AttemptOutcome>;
}

/** A target is either run or already decided (skipped before any request). */
export type Planned = { kind: "run"; job: Job } | { kind: "done"; result: ReplayResult };

export interface ScheduleOptions {
  concurrency: number;
  retries: { attempts: number; baseDelayMs: number; maxDelayMs: number; rateLimitBudgetMs: number };
  samples: number;
  signal?: AbortSignal;
}

export async function* schedule(
  planned: AsyncIterable<Planned> | Iterable<Planned>,
  options: ScheduleOptions,
): AsyncGenerator<ReplayResult> {
  const global = pLimit(options.concurrency);
  const perProvider = new Map<string, LimitFunction>();
  const unread: ReplayResult[] = [];
  const maxUnread = Math.max(options.concurrency * 2, 16);
  // Targets are pulled from `planned` only as room frees up, so however many recordings there
  // are, only about this many are held in memory at once.
  const maxActive = options.concurrency * 4;
  let taken = 0;
  let active = 0;
  let exhausted = false;
  let settled = 0;
  // Aborted by the caller's signal or when the consumer stops reading: start nothing more, abort
  // the requests in flight, and cut retry waits short (a 60 s retry-after must not keep the process alive).
  const halt = new AbortController();
  // Every request waiting out a retry or a pause listens for the halt: many at once is normal.
  setMaxListeners(0, halt.signal);
  const onAbort = () => halt.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) halt.abort();
  // Every waiter (the consumer loop, attempts waiting for room) shares one promise per change.
  let notify = () => {};
  let change = Promise.resolve();
  const rearm = () => {
    change = new Promise<void>((resolve) => (notify = resolve));
  };
  rearm();
  const changed = () => change;
  const wake = () => {
    const wakeAll = notify;
    rearm();
    wakeAll();
  };
  const finish = (result: ReplayResult | null) => {
    settled++;
    if (result !== null) unread.push(result);
    wake();
  };

  // A provider that answered 429 with a wait is paused as a whole: every request to it waits,
  // rather than each one finding out for itself and burning its attempts.
  const pausedUntil = new Map<string, number>();
  const pauseProvider = (job: Job, ms: number) =>
    pausedUntil.set(job.limitKey, Math.max(pausedUntil.get(job.limitKey) ?? 0, Date.now() + ms));

  // A tripped provider's reason: every later request to it fails with it, unsent.
  const tripped = new Map<string, string>();
  // When each provider's current run of 429s began (cleared by any other answer).
  const stormSince = new Map<string, number>();
  const budgetMs = options.retries.rateLimitBudgetMs;
  const budgetReason = `rate-limited: 429 for longer than the budget of ${formatSeconds(budgetMs)} (retries.rate-limit-budget-ms)`;
  /** The breaker's reason when the provider may not be called, tripping it when the budget is spent. */
  const breaker = (job: Job): string | null => {
    const since = stormSince.get(job.limitKey);
    if (since !== undefined && Date.now() - since >= budgetMs && !tripped.has(job.limitKey)) {
      tripped.set(job.limitKey, budgetReason);
    }
    return tripped.get(job.limitKey) ?? null;
  };

  /** One attempt inside both limits; null when stopped before it began. */
  const limited = (job: Job): Promise<Gated> => {
    const run = () =>
      global(async (): Promise<Gated> => {
        while (unread.length >= maxUnread && !halt.signal.aborted) await changed();
        for (;;) {
          const pause = (pausedUntil.get(job.limitKey) ?? 0) - Date.now();
          if (pause <= 0 || halt.signal.aborted || breaker(job) !== null) break;
          // Waking when the budget runs out, so a long pause cannot outlast it.
          const since = stormSince.get(job.limitKey);
          await sleep(
            since === undefined ? pause : Math.min(pause, since + budgetMs - Date.now() + 1),
            halt.signal,
          );
        }
        if (halt.signal.aborted) return null;
        const reason = breaker(job);
        return reason !== null ? { kind: "blocked", reason } : job.attempt(halt.signal);
      });
    if (job.limit === null) return run();
    let limit = perProvider.get(job.limitKey);
    if (limit === undefined) {
      limit = pLimit(job.limit);
      perProvider.set(job.limitKey, limit);
    }
    return limit(run);
  };

  const runJob = async (job: Job): Promise<ReplayResult | null> => {
    const samples: Capture[] = [];
    let attempts = 0;
    let paced = 0;
    let pacedBy: string | null = null;
    const result = (outcome: ReplayResult["outcome"]): ReplayResult => ({
      target: job.target,
      outcome,
      provider: job.provider,
      attempts,
      sentTo: job.sentTo,
    });
    const interrupted = (cause?: string) => {
      if (attempts === 0) return null;
      const reason = `${cause ? `${cause}; ` : ""}interrupted after ${attempts} attempts`;
      return result({ kind: "failed", reason });
    };
    for (let sample = 0; sample < options.samples; sample++) {
      for (let tries = 1; ; tries++) {
        const outcome = await limited(job);
        if (outcome === null) return interrupted(pacedBy ?? undefined);
        if (outcome.kind === "blocked") return result({ kind: "failed", reason: outcome.reason });
        pacedBy = null;
        attempts++;
        // Whatever an aborted request ended in, the cause is the interruption.
        if (outcome.kind !== "answer" && halt.signal.aborted) {
          return result({ kind: "failed", reason: "interrupted: the request in flight was aborted" });
        }
        if (outcome.kind === "answer") {
          stormSince.delete(job.limitKey);
          samples.push(outcome.capture);
          break;
        }
        if (outcome.kind === "unauthorized") {
          // This target says what the provider said; the ones it stops, only which key it refused.
          const refused = `${job.credential ?? job.provider} rejected`;
          if (!tripped.has(job.limitKey)) tripped.set(job.limitKey, `${refused}: ${outcome.status}`);
          const said = outcome.cause.startsWith(String(outcome.status))
            ? outcome.cause
            : String(outcome.status);
          return result({ kind: "failed", reason: `${refused}: ${said}` });
        }
        if (outcome.kind === "fail") return result({ kind: "failed", reason: outcome.cause });
        if (outcome.cause.startsWith("429") && !stormSince.has(job.limitKey)) {
          stormSince.set(job.limitKey, Date.now());
        }
        const stopped = breaker(job);
        if (stopped !== null) return result({ kind: "failed", reason: stopped });
        // A rate limit that says how long to wait is the provider pacing us, not a fault: it
        // pauses the provider and does not use up an attempt (up to a bound, so a provider that
        // never lets up still ends in a failure).
        if (outcome.retryAfterMs !== null && outcome.cause.startsWith("429") && paced < MAX_PACED_RETRIES) {
          paced++;
          pacedBy = outcome.cause;
          tries--;
          pauseProvider(job, outcome.retryAfterMs);
          continue;
        }
        if (tries >= options.retries.attempts) {
          const waits = paced > 0 ? ` and ${paced} rate-limit waits` : "";
          return result({ kind: "failed", reason: `${outcome.cause} after ${tries} attempts${waits}` });
        }
        const wait = outcome.retryAfterMs ?? backoffMs(tries, options.retries);
        if (!(await sleep(wait, halt.signal))) return interrupted(outcome.cause);
      }
    }
    return result({ kind: "captured", samples });
  };

  const feed = async () => {
    for await (const item of planned) {
      if (halt.signal.aborted) break;
      taken++;
      if (item.kind === "done") finish(item.result);
      else {
        active++;
        const settle = (result: ReplayResult | null) => {
          active--;
          finish(result);
        };
        runJob(item.job).then(settle, (error: unknown) => settle(crashed(item.job, error)));
      }
      while ((active >= maxActive || unread.length >= maxUnread) && !halt.signal.aborted) await changed();
    }
  };
  let feedError: unknown = null;
  feed()
    .catch((error: unknown) => {
      feedError = error;
    })
    .finally(() => {
      exhausted = true;
      wake();
    });
  try {
    while (!exhausted || settled < taken || unread.length > 0) {
      if (feedError !== null) throw feedError;
      const next = unread.shift();
      if (next === undefined) await changed();
      else {
        wake();
        yield next;
      }
    }
  } finally {
    halt.abort();
    options.signal?.removeEventListener("abort", onAbort);
    wake();
  }
}

/** An attempt's outcome, a breaker's refusal to send it, or null when the run stopped first. */
type Gated = AttemptOutcome | { kind: "blocked"; reason: string } | null;

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

/** How many paced 429s (with a retry-after) one target may wait out before they count as failures. */
const MAX_PACED_RETRIES = 20;

/** Exponential backoff with up to 25 % jitter, as openai-node does it. */
export function backoffMs(tries: number, retries: { baseDelayMs: number; maxDelayMs: number }): number {
  const delay = Math.min(retries.baseDelayMs * 2 ** (tries - 1), retries.maxDelayMs);
  return delay * (1 - Math.random() * 0.25);
}

/** Resolves true after `ms`, or false as soon as the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (finished: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      resolve(finished);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** A bug in a sender must not hang the run: report it as that target's failure. */
function crashed(job: Job, error: unknown): ReplayResult {
  const reason = `internal error: ${error instanceof Error ? error.message : String(error)}`;
  return {
    target: job.target,
    outcome: { kind: "failed", reason },
    provider: job.provider,
    attempts: 0,
    sentTo: job.sentTo,
  };
}
