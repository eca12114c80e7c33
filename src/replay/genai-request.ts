// A google-genai SDK call (`client.models.generate_content[_stream](model, contents, config)`,
// stored as its keyword arguments) as the request the SDK sends to Vertex AI's REST API:
// `POST {location}-aiplatform.googleapis.com/v1/projects/{project}/locations/{location}/
// publishers/google/models/{model}:generateContent` (or `:streamGenerateContent?alt=sse`), with
// `config` split the way the SDK splits it: system instruction, tools, tool config and safety
// settings at the top, everything else under `generationConfig`. Field names go camelCase as
// on the wire; the names inside function arguments and schema properties are data and stay.
// Written by hand: @google/genai needs Node 22.

import { isJsonObject, setPlainKey } from "../recording/json-value.ts";
import type { Env, ProfileVariables } from "./profiles/profile.ts";
import { readVariable } from "./profiles/profile.ts";
import { effectiveBaseUrl, type ProviderRoute } from "./providers.ts";
import type { WireRequest } from "./types.ts";

export type GenaiRequestResult = { ok: true; wire: WireRequest } | { ok: false; reason: string };

/** Vertex AI's region when GOOGLE_CLOUD_LOCATION is not set (the SDK's own default). */
export const DEFAULT_VERTEX_LOCATION = "us-central1";

/** Config keys the SDK keeps to itself (HTTP options, its automatic function calling loop). */
const SDK_ONLY_CONFIG = new Set([
  "http_options",
  "automatic_function_calling",
  "should_return_http_response",
]);
/** Config keys that are top-level request fields rather than generation settings. */
const TOP_LEVEL_CONFIG = new Set([
  "system_instruction",
  "tools",
  "tool_config",
  "safety_settings",
  "labels",
  "cached_content",
]);
/**
 * Members whose keys are data, not field names: function arguments and responses, labels, JSON
 * schemas (sent as they are), and schema property names (whose values are schemas again).
 */
const DATA_KEYS = new Set([
  "args",
  "response",
  "properties",
  "labels",
  "parameters_json_schema",
  "response_json_schema",
]);

/** The Vertex AI URL a recorded SDK call goes to, from the project and location variables. */
export function vertexUrl(request: unknown, variables: ProfileVariables, env: Env): string | null {
  const body = isJsonObject(request) ? request.body : undefined;
  const endpoint = isJsonObject(request) ? request.endpoint : undefined;
  const model = isJsonObject(body) ? body.model : undefined;
  if (typeof model !== "string" || model === "") return null;
  const method =
    endpoint === "/generate_content_stream"
      ? "streamGenerateContent"
      : endpoint === "/generate_content"
        ? "generateContent"
        : null;
  if (method === null) return null;
  const location = readVariable(env, variables.location) ?? DEFAULT_VERTEX_LOCATION;
  // Unset, the project is a placeholder: the request is skipped for want of it before sending.
  const project = readVariable(env, variables.project) ?? "-";
  const host = location === "global" ? "aiplatform.googleapis.com" : `${location}-aiplatform.googleapis.com`;
  const resource = model.includes("/") ? model : `publishers/google/models/${model}`;
  return `https://${host}/v1/projects/${encodeURIComponent(project)}/locations/${encodeURIComponent(location)}/${resource}:${method}`;
}

export function buildGenaiRequest(request: unknown, url: string, route: ProviderRoute): GenaiRequestResult {
  const kwargs = isJsonObject(request) && isJsonObject(request.body) ? request.body : null;
  if (kwargs === null) return { ok: false, reason: "not replayable: the recorded SDK call has no arguments" };
  const target = new URL(url);
  const streaming = target.pathname.endsWith(":streamGenerateContent");
  const body: Record<string, unknown> = { contents: wireContents(kwargs.contents) };
  const config = isJsonObject(kwargs.config) ? kwargs.config : {};
  const generation: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === null || SDK_ONLY_CONFIG.has(key)) continue;
    if (key === "system_instruction") body.systemInstruction = wireContent(value);
    else if (TOP_LEVEL_CONFIG.has(key)) body[camel(key)] = wireValue(value, key);
    else setPlainKey(generation, camel(key), wireValue(value, key));
  }
  if (Object.keys(generation).length > 0) body.generationConfig = generation;
  return {
    ok: true,
    wire: {
      endpoint: "genai",
      baseURL: effectiveBaseUrl(`${target.origin}/v1`, route),
      path: target.pathname.replace(/^\/v1/, ""),
      method: "POST",
      body,
      query: streaming ? { alt: "sse" } : {},
      headers: {},
      streaming,
      decodeBase64Embeddings: false,
    },
  };
}

/** `contents` as the SDK accepts it (a string, a Content, a list of either) as a list of Contents. */
function wireContents(value: unknown): unknown[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map(wireContent);
}

/** A string is one user turn of text, as the SDK makes it. */
function wireContent(value: unknown): unknown {
  if (typeof value === "string") return { role: "user", parts: [{ text: value }] };
  return wireValue(value, null);
}

/**
 * Field names camelCase, recursively, except the keys of data members; JSON-schema `type`s in
 * the SDK's upper case (`"object"` → `"OBJECT"`), as its Schema type does.
 */
function wireValue(value: unknown, parentKey: string | null): unknown {
  if (parentKey !== null && parentKey !== "properties" && DATA_KEYS.has(parentKey)) return value;
  if (Array.isArray(value)) return value.map((item) => wireValue(item, parentKey));
  if (!isJsonObject(value)) return value;
  const out: Record<string, unknown> = {};
  // Keys are the recording's: `__proto__` among them is data (setPlainKey).
  for (const [key, item] of Object.entries(value)) {
    if (parentKey === "properties") setPlainKey(out, key, wireValue(item, null));
    else if (key === "type" && typeof item === "string") out.type = item.toUpperCase();
    else setPlainKey(out, camel(key), wireValue(item, key));
  }
  return out;
}

function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
