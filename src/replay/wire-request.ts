// From a recorded `request` to the HTTP request the Python SDK sent (spec §3). The recorded
// `body` holds the SDK call's keyword arguments: `extra_body` merges into the JSON body,
// `extra_query` goes to the query string, `extra_headers` to the headers. The recorded `url` is
// the client's base URL + `endpoint`, and the base already ends in `/v1`, so the request really
// went to base + endpoint-without-its-leading-`/v1`.

import type { Endpoint } from "../capture.ts";
import { setPlainKey } from "../recording/json-value.ts";
import { effectiveBaseUrl, effectivePassthroughUrl, type ProviderRoute } from "./providers.ts";
import type { OpenAIEndpoint, WireRequest } from "./types.ts";

export type WireRequestResult = { ok: true; wire: WireRequest } | { ok: false; reason: string };

/** The path each SDK resource method posts to, relative to the base URL. */
const RESOURCE_PATHS: Record<OpenAIEndpoint, string> = {
  chat: "/chat/completions",
  completion: "/completions",
  embeddings: "/embeddings",
  models: "/models",
};

/** Keyword arguments the SDK consumes itself rather than sending in the body. */
const SDK_ONLY_KWARGS = new Set(["extra_body", "extra_query", "extra_headers", "timeout"]);

/** The recorded URL a request was routed on, or null when it has none. */
export function recordedUrl(request: unknown): string | null {
  const url = isObject(request) ? request.url : undefined;
  return typeof url === "string" && /^https?:\/\//.test(url) ? url : null;
}

export function buildWireRequest(
  endpoint: Exclude<Endpoint, "genai">,
  request: unknown,
  route: ProviderRoute,
): WireRequestResult {
  if (!isObject(request))
    return { ok: false, reason: "not replayable: the recorded request is not an object" };
  const url = recordedUrl(request);
  if (url === null) return { ok: false, reason: "not replayable: the recorded request has no http(s) URL" };
  return endpoint === "passthrough"
    ? passthrough(request, url, route)
    : sdkCall(endpoint, request, url, route);
}

function sdkCall(
  endpoint: OpenAIEndpoint,
  request: Record<string, unknown>,
  url: string,
  route: ProviderRoute,
): WireRequestResult {
  const recordedEndpoint = request.endpoint;
  if (typeof recordedEndpoint !== "string" || !url.endsWith(recordedEndpoint)) {
    return { ok: false, reason: "not replayable: the recorded url does not end with its endpoint" };
  }
  const recordedPath = recordedEndpoint.replace(/^\/v1(?=\/)/, "");
  if (!Object.values(RESOURCE_PATHS).includes(recordedPath)) {
    return {
      ok: false,
      reason: `not replayable: endpoint ${recordedEndpoint} is not a ${endpoint} endpoint`,
    };
  }
  // Between OpenAI endpoints the SDK resource decides: the 2025-08 recorder labelled some chat
  // calls `/v1/completions`, and their stored response type (the family) is what was called.
  const path = RESOURCE_PATHS[endpoint];
  const kwargs = isObject(request.body) ? request.body : {};
  const body: Record<string, unknown> = {};
  const bodyEntries = [
    ...Object.entries(kwargs).filter(([key]) => !SDK_ONLY_KWARGS.has(key)),
    ...(isObject(kwargs.extra_body) ? Object.entries(kwargs.extra_body) : []),
  ];
  for (const [key, value] of bodyEntries) setPlainKey(body, key, value);
  // openai-node's embeddings.create, like the Python SDK, asks for base64 when the caller names
  // no format, and decodes the float32 values itself.
  const decodeBase64Embeddings = endpoint === "embeddings" && !body.encoding_format;
  if (decodeBase64Embeddings) body.encoding_format = "base64";
  return {
    ok: true,
    wire: {
      endpoint,
      baseURL: effectiveBaseUrl(url.slice(0, url.length - recordedEndpoint.length), route),
      path,
      method: endpoint === "models" ? "GET" : "POST",
      body: endpoint === "models" ? null : body,
      query: stringValues(kwargs.extra_query),
      headers: stringValues(kwargs.extra_headers),
      streaming: endpoint !== "models" && body.stream === true,
      decodeBase64Embeddings,
    },
  };
}

function passthrough(request: Record<string, unknown>, url: string, route: ProviderRoute): WireRequestResult {
  const target = new URL(effectivePassthroughUrl(url, route));
  const payload = request.payload;
  const method = typeof request.method === "string" ? request.method.toUpperCase() : "POST";
  if (method !== "GET" && method !== "POST") {
    return { ok: false, reason: `not replayable: passthrough method ${method}` };
  }
  // A GET carries no body (fetch refuses one): the recorder stores its payload as `{}`.
  const body = method === "GET" || !isObject(payload) ? null : payload;
  if (method === "GET" && isObject(payload) && Object.keys(payload).length > 0) {
    return {
      ok: false,
      reason: "not replayable: a GET passthrough request with a payload (a GET has no body)",
    };
  }
  return {
    ok: true,
    wire: {
      endpoint: "passthrough",
      baseURL: target.origin,
      path: target.pathname,
      method,
      body,
      query: Object.fromEntries(target.searchParams),
      headers: {},
      streaming: body?.stream === true,
      decodeBase64Embeddings: false,
    },
  };
}

function stringValues(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
