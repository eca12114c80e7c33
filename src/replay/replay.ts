// The replay room's entry point for the `check` command: each target is routed to its provider,
// given credentials and its wire request, counted against the budget, then scheduled. Results
// come back as they finish; keys are scrubbed from every capture and every reason.

import type { Capture } from "../capture.ts";
import { ANSWER_STATUSES, type AttemptOutcome, classifyError } from "./attempt-outcome.ts";
import {
  type Credentials,
  environmentSecrets,
  resolveCredentials,
  scrubJson,
  scrubText,
} from "./credentials.ts";
import { buildGenaiRequest, vertexUrl } from "./genai-request.ts";
import { isLocalHost } from "./profiles/profile.ts";
import { PROFILES } from "./profiles/registry.ts";
import { type ProviderRoute, parseProviderOverride, routeProvider } from "./providers.ts";
import { type Planned, schedule } from "./scheduler.ts";
import { sendGenai } from "./send-genai.ts";
import { sendHttp } from "./send-http.ts";
import { OpenAIClients, sendOpenAI } from "./send-openai.ts";
import type { ReplayOptions, ReplayResult, ReplayTarget, WireRequest } from "./types.ts";
import { buildWireRequest, recordedUrl } from "./wire-request.ts";

export function replayAll(
  targets: AsyncIterable<ReplayTarget> | Iterable<ReplayTarget>,
  options: ReplayOptions,
): AsyncIterable<ReplayResult> {
  const { config } = options;
  const overrides = (options.providerOverrides ?? []).map(parseProviderOverride);
  const env = options.env ?? process.env;
  const samples = options.samples ?? 1;
  const bounds = { ...config.timeouts, ...config.limits };
  const clients = new OpenAIClients(bounds);
  let budget = options.maxRequests ?? Number.POSITIVE_INFINITY;
  // Every key of the run, complete once planning is done (before any request): any provider's
  // answer is scrubbed of all of them, since a proxy or a misrouted host may echo any key. The
  // known key variables count from the start, whether or not a recording uses them; tokens
  // obtained on the way (watsonx's IAM tokens) are added as they come.
  const secrets: string[] = environmentSecrets(config, env);
  const addSecret = (secret: string) => {
    if (!secrets.includes(secret)) secrets.push(secret);
  };
  const memos = new Map<string, unknown>();
  const runtime = {
    now: options.now ?? Date.now,
    addSecret,
    memo: <T>(key: string, make: () => T): T => {
      if (!memos.has(key)) memos.set(key, make());
      return memos.get(key) as T;
    },
  };

  /** Where a google-genai call goes: Vertex AI in the configured project and location. */
  const genaiUrl = (request: unknown): string | null => {
    const url = vertexUrl(request, PROFILES.vertex.variables, env);
    if (url === null) return null;
    // A config entry for the Vertex host may rename the project and location variables.
    const { variables } = routeProvider(url, config, overrides, env);
    return vertexUrl(request, variables, env);
  };

  const plan = (target: ReplayTarget): Planned => {
    const skip = (provider: string, reason: string): Planned => ({
      kind: "done",
      result: { target, outcome: { kind: "skipped", reason }, provider, attempts: 0, sentTo: null },
    });
    const url = target.endpoint === "genai" ? genaiUrl(target.request) : recordedUrl(target.request);
    if (url === null) {
      const what =
        target.endpoint === "genai"
          ? "the recorded google-genai call names no model or no generate_content method"
          : "the recorded request has no http(s) URL";
      return skip("", `not replayable: ${what}`);
    }
    const route = routeProvider(url, config, overrides, env);
    const built =
      target.endpoint === "genai"
        ? buildGenaiRequest(target.request, url, route)
        : buildWireRequest(target.endpoint, target.request, route);
    if (!built.ok) return skip(route.host, built.reason);
    const wire = route.profile.adjust?.(built.wire, route.variables, env) ?? built.wire;
    const destination = new URL(wire.baseURL);
    const local = isLocalHost(destination.hostname);
    const credentials = resolveCredentials(route, env, { ...runtime, local });
    if (!credentials.ok) return skip(route.host, credentials.reason);
    const { auth, secrets: sent } = credentials.credentials;
    const secret = auth.credential ?? (sent.length > 0 ? "a configured secret" : null);
    if (secret !== null && destination.protocol !== "https:" && !local) {
      return skip(route.host, `not sent: ${secret} goes only over https, and ${destination.origin} is not`);
    }
    for (const value of sent) addSecret(value);
    if (budget < samples) return skip(route.host, `over budget (--max-requests ${options.maxRequests})`);
    budget -= samples;
    const attempt = attemptFor(target, wire, route, credentials.credentials);
    return {
      kind: "run",
      job: {
        target,
        provider: route.host,
        limitKey: route.limitKey,
        credential: auth.credential,
        limit: route.concurrency,
        sentTo: wire.baseURL,
        attempt,
      },
    };
  };

  const attemptFor = (
    target: ReplayTarget,
    wire: WireRequest,
    route: ProviderRoute,
    credentials: Credentials,
  ) => {
    const context = {
      endpoint: wire.endpoint,
      answerStatuses: new Set([
        ...ANSWER_STATUSES,
        ...(target.recordedStatus ? [target.recordedStatus] : []),
      ]),
      requestMs: config.timeouts.requestMs,
    };
    const send = (signal: AbortSignal): Promise<Capture> =>
      wire.endpoint === "passthrough"
        ? sendHttp(wire, credentials, bounds, signal)
        : wire.endpoint === "genai"
          ? sendGenai(wire, credentials, bounds, signal)
          : sendOpenAI(clients.get(wire, route, credentials), wire, signal);
    return async (signal: AbortSignal): Promise<AttemptOutcome> => {
      const outcome: AttemptOutcome = await send(signal).then(
        (capture) => ({ kind: "answer", capture }),
        (error: unknown) => classifyError(error, context),
      );
      return outcome.kind === "answer"
        ? { kind: "answer", capture: scrubJson(outcome.capture, secrets) }
        : { ...outcome, cause: scrubText(outcome.cause, secrets) };
    };
  };

  async function* planned() {
    for await (const target of targets) yield plan(target);
  }
  return schedule(planned(), {
    concurrency: config.concurrency,
    retries: config.retries,
    samples,
    signal: options.signal,
  });
}
