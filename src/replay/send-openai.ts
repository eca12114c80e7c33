// Sends an SDK recording's wire request through openai-node, the way an application would:
// `chat.completions.create`, `completions.create`, `embeddings.create` (which asks for base64 and
// decodes float32 when no format was recorded) and `models.list`. Retries are the scheduler's,
// so each client has `maxRetries: 0`; every response passes through the guarded fetch.

import OpenAI, { type APIError } from "openai";
import type { ChatCompletionCreateParams } from "openai/resources/chat/completions";
import type { CompletionCreateParams } from "openai/resources/completions";
import type { EmbeddingCreateParams } from "openai/resources/embeddings";
import type { Capture, Endpoint } from "../capture.ts";
import { authorizedFetch } from "./authorized-fetch.ts";
import type { Credentials } from "./credentials.ts";
import {
  BrokenAnswerError,
  checkNesting,
  guardedFetch,
  isEventStream,
  StreamBrokenError,
} from "./guarded-fetch.ts";
import type { ProviderRoute } from "./providers.ts";
import type { OpenAIEndpoint, WireRequest } from "./types.ts";

/** What bounds one request: its time limits (`timeouts`) and its answer's size (`limits`). */
export interface RequestBounds {
  requestMs: number;
  streamIdleMs: number;
  answerBytes: number;
  eventBytes: number;
}

/** The whole error body the provider sent, as the Python SDK shows it in its message. */
const errorBodies = new WeakMap<APIError, unknown>();

export function errorBodyOf(error: APIError): unknown {
  return errorBodies.get(error) ?? null;
}

/**
 * openai-node keeps only the body's `error` member on its errors; the recorder's messages quote
 * the whole body (watsonx and vLLM send more than `error`), so keep it beside the error.
 */
class CapturingOpenAI extends OpenAI {
  protected override makeStatusError(
    status: number,
    error: object,
    message: string | undefined,
    headers: Headers,
  ): APIError {
    const made = super.makeStatusError(status, error, message, headers);
    if (error !== undefined && error !== null) errorBodies.set(made, error);
    return made;
  }
}

/** One client per provider, base URL and credential, created on first use. */
export class OpenAIClients {
  readonly #clients = new Map<string, OpenAI>();
  constructor(private readonly timeouts: RequestBounds) {}

  get(wire: WireRequest, route: ProviderRoute, credentials: Credentials): OpenAI {
    const key = `${route.limitKey} ${wire.baseURL} ${credentials.auth.credential}`;
    let client = this.#clients.get(key);
    if (client === undefined) {
      client = new CapturingOpenAI({
        baseURL: wire.baseURL,
        // The SDK refuses to start without a key; the profile's authorization replaces or
        // removes the bearer header it makes of this one.
        apiKey: "none",
        organization: null,
        project: null,
        defaultHeaders: credentials.headers,
        defaultQuery: credentials.query,
        maxRetries: 0,
        timeout: this.timeouts.requestMs,
        logLevel: "off",
        fetch: authorizedFetch(guardedFetch({ ...this.timeouts, requireDone: true }), credentials.auth),
      });
      this.#clients.set(key, client);
    }
    return client;
  }
}

export async function sendOpenAI(client: OpenAI, wire: WireRequest, signal?: AbortSignal): Promise<Capture> {
  const options = { query: wire.query, headers: wire.headers, signal };
  // The recorded kwargs are sent verbatim, whatever the SDK's types say: the SDK does not
  // validate bodies, and a recording may hold parameters newer or older than these types.
  const body: unknown = wire.body ?? {};
  switch (wire.endpoint) {
    case "chat":
    case "completion": {
      const call =
        wire.endpoint === "chat"
          ? client.chat.completions.create(body as ChatCompletionCreateParams, options)
          : client.completions.create(body as CompletionCreateParams, options);
      const { data, response } = await call.withResponse();
      // The SDK answers with a Stream exactly when the body asked for one.
      return wire.streaming
        ? readStream(wire, data as AsyncIterable<unknown>, response, signal)
        : readWhole(wire, data, response);
    }
    case "embeddings": {
      const { encoding_format, ...rest } = wire.body ?? {};
      const params: unknown = wire.decodeBase64Embeddings ? rest : { ...rest, encoding_format };
      const { data, response } = await client.embeddings
        .create(params as EmbeddingCreateParams, options)
        .withResponse();
      return readWhole(wire, data, response);
    }
    case "models": {
      const response = await client.models.list(options).asResponse();
      const data: unknown = await response.json();
      checkAnswer("models", data);
      return capture(wire, response.status, (data as { data: unknown[] }).data);
    }
    case "passthrough":
    case "genai":
      throw new Error(`${wire.endpoint} recordings are sent with send-http`);
  }
}

function readWhole(wire: WireRequest, data: unknown, response: Response): Capture {
  checkAnswer(wire.endpoint, data);
  return capture(wire, response.status, data);
}

async function readStream(
  wire: WireRequest,
  data: AsyncIterable<unknown>,
  response: Response,
  signal: AbortSignal | undefined,
): Promise<Capture> {
  if (!isEventStream(response.headers)) {
    throw new BrokenAnswerError(
      `expected an event stream, got ${response.headers.get("content-type") ?? "no content-type"}`,
    );
  }
  const chunks: unknown[] = [];
  try {
    for await (const chunk of data) {
      checkAnswer(wire.endpoint, chunk);
      chunks.push(chunk);
    }
  } catch (error) {
    throw new StreamBrokenError(chunks.length, error);
  }
  // openai-node ends a stream quietly when its request is aborted: what came is not the answer.
  signal?.throwIfAborted();
  return capture(wire, response.status, chunks);
}

function capture(wire: WireRequest, status: number, body: unknown): Capture {
  return { endpoint: wire.endpoint, streaming: wire.streaming, status, body, error: null };
}

const REQUIRED_LIST: Record<OpenAIEndpoint, [what: string, key: string]> = {
  chat: ["chat completion", "choices"],
  completion: ["completion", "choices"],
  embeddings: ["embedding list", "data"],
  models: ["model list", "data"],
};

/**
 * Throws when a body is not what the endpoint returns (an HTML page, a bare string, `{}`), or
 * nests too deep to handle.
 */
function checkAnswer(endpoint: Endpoint, value: unknown): void {
  checkNesting(value);
  if (endpoint === "passthrough" || endpoint === "genai") return;
  const [what, key] = REQUIRED_LIST[endpoint];
  const list =
    typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  if (Array.isArray(list)) return;
  const got =
    typeof value === "string"
      ? `text ${JSON.stringify(value.slice(0, 60))}`
      : `${JSON.stringify(value)?.slice(0, 60) ?? String(value)}`;
  throw new BrokenAnswerError(`not a ${what}: expected an object with a "${key}" list, got ${got}`);
}
