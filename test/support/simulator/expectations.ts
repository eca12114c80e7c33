// What the simulator expects on the wire for a recording, derived from the recording alone
// (spec §3) and on purpose not from src/replay: a test then shows the replay code sends exactly
// what the Python SDK sent, rather than agreeing with itself.

import { vertexExpectation } from "./vertex-wire.ts";

export type Family = "chat" | "completion" | "embeddings" | "models" | "passthrough" | "genai";

export interface Expectation {
  file: string;
  json: Record<string, unknown>;
  family: Family;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Headers the request must carry (extra_headers), lower-cased names. */
  headers: Record<string, string>;
  body: unknown;
  streaming: boolean;
  /** The SDK asked for base64 because the recording named no encoding_format. */
  base64: boolean;
}

/** OpenAI-compatible endpoints by their path under the base URL (Ollama's /api/* are not). */
const FAMILIES: Record<string, Family> = {
  "/chat/completions": "chat",
  "/completions": "completion",
  "/embeddings": "embeddings",
  "/models": "models",
};

/** The expected request, or null for a recording with no HTTP request (tool, file). */
export function expectationFor(file: string, json: unknown): Expectation | null {
  if (!isObject(json) || !isObject(json.request)) return null;
  const request = json.request;
  const url = request.url;
  if (typeof url === "string" && url.startsWith("vertexai:")) return vertexExpectation(file, json);
  if (typeof url !== "string" || !/^https?:\/\//.test(url)) return null;
  if ("payload" in request) {
    const parsed = new URL(url);
    const method = String(request.method ?? "POST").toUpperCase();
    return {
      file,
      json,
      family: "passthrough",
      method,
      path: parsed.pathname,
      query: Object.fromEntries(parsed.searchParams),
      headers: {},
      // A GET is sent with no body; its recorded payload is `{}`.
      body: method === "GET" ? null : (request.payload ?? null),
      streaming: isObject(request.payload) && request.payload.stream === true,
      base64: false,
    };
  }
  const endpoint = request.endpoint;
  if (typeof endpoint !== "string" || !url.endsWith(endpoint)) return null;
  // The stored response type names the SDK call: the 2025-08 recorder labelled some chat calls
  // `/v1/completions`, and the SDK had posted them to /chat/completions.
  const recordedFamily = FAMILIES[endpoint.replace(/^\/v1\//, "/")];
  if (recordedFamily === undefined) return null;
  const family = familyOfStoredType(json.response) ?? recordedFamily;
  const sentPath = Object.keys(FAMILIES).find((p) => FAMILIES[p] === family) as string;
  // The client's base URL is the recorded url minus the endpoint; the SDK posted to the base plus
  // the endpoint without its leading /v1.
  const basePath = new URL(url.slice(0, url.length - endpoint.length)).pathname.replace(/\/$/, "");
  const kwargs = isObject(request.body) ? request.body : {};
  const { extra_body, extra_query, extra_headers, timeout: _timeout, ...sent } = kwargs;
  const body: Record<string, unknown> = { ...sent, ...(isObject(extra_body) ? extra_body : {}) };
  const base64 = family === "embeddings" && body.encoding_format === undefined;
  if (base64) body.encoding_format = "base64";
  return {
    file,
    json,
    family,
    method: family === "models" ? "GET" : "POST",
    path: basePath + sentPath,
    query: strings(extra_query),
    headers: Object.fromEntries(Object.entries(strings(extra_headers)).map(([k, v]) => [k.toLowerCase(), v])),
    body: family === "models" ? null : body,
    streaming: family !== "models" && body.stream === true,
    base64,
  };
}

const STORED_TYPES: Record<string, Family> = {
  "openai.types.chat.chat_completion.ChatCompletion": "chat",
  "openai.types.chat.chat_completion_chunk.ChatCompletionChunk": "chat",
  "openai.types.completion.Completion": "completion",
};

function familyOfStoredType(response: unknown): Family | undefined {
  const body = isObject(response) ? response.body : undefined;
  const first = Array.isArray(body) ? body[0] : body;
  return isObject(first) && typeof first.__type__ === "string" ? STORED_TYPES[first.__type__] : undefined;
}

/** JSON with sorted keys, so two values compare by value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

/** Where two JSON values first differ, for the unmatched-request log. */
export function firstDifference(expected: unknown, actual: unknown, path = "$"): string | null {
  if (canonicalJson(expected) === canonicalJson(actual)) return null;
  if (isObject(expected) && isObject(actual)) {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      const found = firstDifference(expected[key], actual[key], `${path}.${key}`);
      if (found !== null) return found;
    }
  }
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) {
    for (let i = 0; i < expected.length; i++) {
      const found = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (found !== null) return found;
    }
  }
  const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v).slice(0, 80));
  return `${path}: expected ${show(expected)}, got ${show(actual)}`;
}

function strings(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
