// Why recordings could not be checked, in one table: the failure and skip messages the replay
// writes (src/replay/attempt-outcome.ts, scheduler.ts, credentials.ts, replay.ts) matched to a
// cause a reviewer recognises and the fix for it. A message no rule knows is its own cause.
import type { CheckResult } from "./check-report.ts";

export interface Cause {
  /** What went wrong, in a few words (`connection refused`), or the message no rule knows. */
  cause: string;
  /** What to do, with option names in backticks (our own words, never the message's). */
  fix: string | null;
  /** The cause with who it hit, for the headline: `Ollama unreachable`. */
  short: string;
  /** The message says more than the cause (what broke, what the server said): quote one. */
  quote?: boolean;
}

interface Rule {
  pattern: RegExp;
  cause: (match: RegExpExecArray, who: string) => Cause;
}

/** Local Ollama, by its port or its native API: its fix is to start it. */
function providerName(result: CheckResult): string {
  if (result.provider?.endsWith(":11434") || result.endpoint?.startsWith("/api/")) return "Ollama";
  return result.provider || "the provider";
}

const FAILURES: readonly Rule[] = [
  {
    pattern: /interrupted/,
    cause: () => ({
      cause: "interrupted",
      fix: "run again: the run was stopped first",
      short: "interrupted",
    }),
  },
  {
    pattern: /^([A-Z][A-Z0-9_]*) rejected: (\d{3})/,
    cause: (m) => ({
      cause: `${m[1]} refused (${m[2]})`,
      fix: `check \`${m[1]}\`: the provider refused it, and every later request to it`,
      short: `${m[1]} refused`,
      quote: true,
    }),
  },
  {
    pattern: /\brejected: 40[13]|^40[13] /,
    cause: (_m, who) => ({
      cause: "credentials refused",
      fix: "check the provider's key",
      short: `${who} refused the key`,
      quote: true,
    }),
  },
  {
    pattern: /connection refused|ECONNREFUSED/,
    cause: (_m, who) => ({
      cause: "connection refused",
      fix:
        who === "Ollama"
          ? "start Ollama or set `providers`"
          : "start the server, or point `providers` (`--provider HOST=URL`) at it",
      short: `${who} unreachable`,
    }),
  },
  {
    pattern: /host not found|ENOTFOUND|EAI_AGAIN/,
    cause: (_m, who) => ({
      cause: "host not found",
      fix: "check the host name, or set `providers`",
      short: `${who} not found`,
    }),
  },
  {
    pattern: /timed out after/,
    cause: (_m, who) => ({
      cause: "the provider timed out",
      fix: "raise `timeouts.request-ms`, or lower `concurrency`",
      short: `${who} timed out`,
    }),
  },
  {
    pattern:
      /connection reset|connection closed|connection timed out|connection error|ECONNRESET|UND_ERR_SOCKET/,
    cause: (_m, who) => ({
      cause: "connection dropped",
      fix: "is the server overloaded? Lower `concurrency`",
      short: `${who} dropped connections`,
    }),
  },
  {
    pattern: /^rate-limited|^429/,
    cause: (_m, who) => ({
      cause: "rate-limited (429)",
      fix: "lower `concurrency`, or raise `retries.rate-limit-budget-ms`",
      short: `${who} rate-limited`,
    }),
  },
  {
    pattern: /^5\d\d /,
    cause: (_m, who) => ({
      cause: "server errors (5xx)",
      fix: "the provider is failing: run again later",
      short: `${who} failing`,
      quote: true,
    }),
  },
  {
    pattern: /limits\.(answer|event)-bytes/,
    cause: (m) => ({
      cause: "answers over the size limit",
      fix: `raise \`limits.${m[1]}-bytes\``,
      short: "answers too large",
    }),
  },
  {
    pattern: /credential-shaped string/,
    cause: () => ({
      cause: "the answer holds a credential-shaped string",
      fix: "not written: look at what the provider answers",
      short: "credentials in answers",
    }),
  },
  {
    pattern: /recording changed during the run/,
    cause: () => ({ cause: "the file changed during the run", fix: "run again", short: "files changed" }),
  },
  {
    pattern: /stream broke|mid-stream|invalid JSON/,
    cause: (_m, who) => ({
      cause: "broken answers",
      fix: "run again; if it repeats, the provider's answers are broken",
      short: `broken answers from ${who}`,
      quote: true,
    }),
  },
];

const SKIPS: readonly Rule[] = [
  {
    pattern: /^unreachable: /,
    cause: () => ({
      cause: "unreachable: the file name is not its request's hash",
      fix: "`refresh --prune-unreachable` deletes them (listed below)",
      short: "unreachable",
    }),
  },
  {
    pattern: /^no credentials: set (.*)$/,
    cause: (m, who) => ({
      cause: "no credentials",
      fix: `set ${codeNames(m[1] as string)}`,
      short: `no key for ${who}`,
    }),
  },
  {
    pattern: /^filtered out/,
    cause: () => ({ cause: "filtered out (--filter)", fix: null, short: "filtered out" }),
  },
  {
    pattern: /--max-requests \d+ budget is spent/,
    cause: () => ({
      cause: "over the request budget",
      fix: "raise `--max-requests`",
      short: "over budget",
    }),
  },
];

/** `OPENAI_API_KEY (or X), Y` with each variable name in backticks. */
function codeNames(names: string): string {
  return names.replaceAll("`", "'").replace(/\b[A-Z][A-Z0-9_]*\b/g, (name) => `\`${name}\``);
}

/** Hashes and counts vary per file and per run: a message without them groups its kind. */
function generalised(message: string): string {
  return message
    .replace(/ after \d+ attempts.*$/, "")
    .replace(/\b[0-9a-f]{12,}\b/g, "…")
    .trim();
}

function classify(result: CheckResult, rules: readonly Rule[]): Cause {
  const message = result.reasons[0] ?? "no reason given";
  const who = providerName(result);
  for (const rule of rules) {
    const match = rule.pattern.exec(message);
    if (match) return rule.cause(match, who);
  }
  const cause = generalised(message);
  // The headline names it in a few words; the section quotes it whole.
  return { cause, fix: null, short: cause.length > 60 ? `${cause.slice(0, 59)}…` : cause };
}

/** Why a failed recording could not be checked, and the fix. */
export function failureCause(result: CheckResult): Cause {
  return classify(result, FAILURES);
}

/** Why a recording was skipped, and the fix when there is one. */
export function skipReason(result: CheckResult): Cause {
  return classify(result, SKIPS);
}

export interface CauseGroup extends Cause {
  provider: string | null;
  count: number;
  /** The first recording's own message, when the cause is known by a rule (it adds detail). */
  example: string | null;
}

/** Results grouped by cause and provider, the largest group first. */
export function groupByCause(
  results: readonly CheckResult[],
  causeOf: (result: CheckResult) => Cause,
): CauseGroup[] {
  const groups = new Map<string, CauseGroup>();
  for (const result of results) {
    const found = causeOf(result);
    const key = JSON.stringify([found.cause, result.provider]);
    const message = result.reasons[0] ?? null;
    const example = found.quote && message !== null ? message.slice(0, 300) : null;
    const group = groups.get(key) ?? { ...found, provider: result.provider, count: 0, example };
    group.count++;
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}
