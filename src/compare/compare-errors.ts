// Errors and statuses. A recorded error is what the test expects, so the same refusal again is
// `unchanged`; a recorded refusal now accepted is `drifted`; a recorded success now refused with a
// definitive 4xx is `rejected` (kept apart: it is most often the environment, and its answer must
// never overwrite a good one; so is a recorded refusal now answered 404); an answer that says nothing about the request (auth, rate limit,
// server trouble, a broken stream) is `failed`.

import { compareTextField } from "./compare-text.ts";
import type { CompareOptions } from "./options.ts";
import type { ErrorView, SemanticView } from "./semantic-view.ts";
import type { Finding } from "./verdict.ts";

function describe(error: ErrorView): string {
  return [error.status, error.code ?? error.type].filter((part) => part !== null).join(" ") || error.message;
}

/** Why the live error could not be checked, or null when it is a definitive answer. */
function uncheckable(error: ErrorView): string | null {
  const status = error.status;
  if (status === null || status === 0) return `no answer: ${error.message}`;
  if (status < 400) return `provider answered ${status} with an error: ${error.message}`;
  if (status === 401) return "401 unauthorized";
  if (status === 402) return "402 payment required";
  if (status === 403) return "403 forbidden";
  // What openai-node retries (408, 409, 429, 5xx) has already been retried by the replay.
  if (status === 408 || status === 409 || status === 429 || status >= 500)
    return `${describe(error)} after retries`;
  return null;
}

function statusClass(status: number | null): number | null {
  return status === null ? null : Math.floor(status / 100);
}

/** Type and code: two different values are `drifted`; a value appearing or vanishing `minor`. */
function compareLabel(field: "type" | "code", stored: string | null, live: string | null): Finding[] {
  if (stored === live) return [];
  const severity = stored !== null && live !== null ? "drifted" : "minor";
  return [
    {
      severity,
      kind: "error",
      field: `error ${field}`,
      text: `error ${field}: ${stored ?? "none"} → ${live ?? "none"}`,
    },
  ];
}

function compareBothErrors(stored: ErrorView, live: ErrorView, options: CompareOptions): Finding[] {
  const findings: Finding[] = [];
  // Two broken streams carry no status worth comparing (the recorder defaults a missing one).
  if (stored.status !== live.status && !(stored.broken && live.broken)) {
    // A 404 says the model or endpoint is not there, nothing about the request: like a success
    // now refused, it must not overwrite the refusal the test expects unless asked.
    const severity =
      live.status === 404
        ? "rejected"
        : statusClass(stored.status) === statusClass(live.status)
          ? "minor"
          : "drifted";
    findings.push({
      severity,
      kind: "error",
      field: "error status",
      text: `error status: ${stored.status} → ${live.status}`,
    });
  }
  findings.push(
    ...compareLabel("type", stored.type, live.type),
    ...compareLabel("code", stored.code, live.code),
  );
  // Wording is the provider's business: at most `minor`.
  const message = compareTextField("error", "error message", stored.message, live.message, options);
  if (message.finding) findings.push(message.finding);
  return findings;
}

/** Findings when either side is an error; null when both answered normally. */
export function compareErrors(
  stored: SemanticView,
  live: SemanticView,
  options: CompareOptions,
): Finding[] | null {
  const storedError = stored.kind === "error" ? stored : null;
  if (live.kind === "error") {
    if (live.broken) {
      if (storedError?.broken) return compareBothErrors(storedError, live, options);
      return [
        {
          severity: "failed",
          kind: "error",
          field: "stream",
          text: `stream broke mid-way: ${describe(live)}`,
        },
      ];
    }
    const reason = uncheckable(live);
    if (reason) return [{ severity: "failed", kind: "error", field: "status", text: reason }];
    if (storedError) return compareBothErrors(storedError, live, options);
    return [
      {
        severity: "rejected",
        kind: "error",
        field: "status",
        text: `provider now rejects: ${describe(live)}`,
      },
    ];
  }
  if (!storedError) return null;
  const text = storedError.broken
    ? `stream now completes (recorded a break: ${describe(storedError)})`
    : `provider now accepts the request (recorded ${describe(storedError)})`;
  return [{ severity: "drifted", kind: "error", field: "status", text }];
}
