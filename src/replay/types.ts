// The replay room's contract with the `check` command: what to replay, and what came back.

import type { Capture, Endpoint } from "../capture.ts";
import type { Config } from "../config.ts";

/** The endpoints sent through openai-node. */
export type OpenAIEndpoint = Exclude<Endpoint, "passthrough" | "genai">;

/** One recording to replay. `request` is the recorded `request` object, as plain JSON. */
export interface ReplayTarget {
  file: string;
  testId: string | null;
  endpoint: Endpoint;
  /** Whether the recording stored a stream (informational: the wire request decides). */
  streaming: boolean;
  request: unknown;
  /**
   * The HTTP status of a recorded error (`exception_data.status_code`, or a passthrough
   * response's status >= 400): the test expects the provider to refuse again, so that status
   * is an answer to capture rather than a failure to retry.
   */
  recordedStatus?: number | null;
}

export type ReplayOutcome =
  | { kind: "captured"; samples: Capture[] }
  | { kind: "failed"; reason: string }
  | { kind: "skipped"; reason: string };

export interface ReplayResult {
  target: ReplayTarget;
  outcome: ReplayOutcome;
  /** The recorded host (host or host:port) the provider was matched on. */
  provider: string;
  /** HTTP attempts made, over all samples. */
  attempts: number;
  /** The base URL requests were sent to (never with a key), or null when none was planned. */
  sentTo: string | null;
}

export interface ReplayOptions {
  config: Config;
  /** `--provider HOST=BASE_URL` values, in the order given. */
  providerOverrides?: readonly string[];
  /** Where API keys are read from (process.env unless a test passes its own). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Replay each request this many times (default 1). */
  samples?: number;
  /** Request budget: targets whose requests would exceed it are skipped. */
  maxRequests?: number | null;
  /** Stops new requests; requests under way finish and are reported. */
  signal?: AbortSignal;
  /** The clock token lifetimes are measured on (Date.now unless a test passes its own). */
  now?: () => number;
}

/** The HTTP request the Python SDK sent for a recording (credentials are added when sending). */
export interface WireRequest {
  endpoint: Endpoint;
  /** The client's base URL; `baseURL + path` is the request URL. */
  baseURL: string;
  path: string;
  method: "GET" | "POST";
  /** The JSON body, or null for a bodiless request. */
  body: Record<string, unknown> | null;
  query: Record<string, string>;
  headers: Record<string, string>;
  streaming: boolean;
  /** Embeddings sent without `encoding_format`, so the SDK asks for base64 and decodes float32. */
  decodeBase64Embeddings: boolean;
}
