// Vertex AI's REST API for google-genai recordings, from Google's documentation of
// `projects.locations.publishers.models.generateContent` / `streamGenerateContent`: the SDK call's
// arguments as the JSON request (camelCase fields, `config` split into systemInstruction, tools,
// toolConfig, safetySettings and generationConfig, schema types upper case), and the stored
// GenerateContentResponse as the JSON answer or as `data:` events (`alt=sse`, no [DONE]).

import type { Expectation } from "./expectations.ts";
import { TEST_ENV } from "./provider-wires.ts";

const TOP_LEVEL = ["tools", "tool_config", "safety_settings", "labels", "cached_content"];
/** Sent as given: function arguments and responses, labels, and JSON schemas (a Value, not a Schema). */
const OPAQUE = new Set(["args", "response", "labels", "parameters_json_schema", "response_json_schema"]);

export function vertexExpectation(file: string, json: Record<string, unknown>): Expectation | null {
  const request = json.request as Record<string, unknown>;
  const kwargs = (request.body ?? {}) as Record<string, unknown>;
  const streaming = request.endpoint === "/generate_content_stream";
  const model = String(kwargs.model ?? "");
  const { GOOGLE_CLOUD_PROJECT: project, GOOGLE_CLOUD_LOCATION: location } = TEST_ENV;
  const config = { ...((kwargs.config ?? {}) as Record<string, unknown>) };
  const body: Record<string, unknown> = {
    contents: (Array.isArray(kwargs.contents) ? kwargs.contents : [kwargs.contents]).map(content),
  };
  if (config.system_instruction != null) body.systemInstruction = content(config.system_instruction);
  for (const key of TOP_LEVEL) if (config[key] != null) body[camel(key)] = camelized(config[key], key);
  const generation = Object.fromEntries(
    Object.entries(config)
      .filter(([key, value]) => value != null && key !== "system_instruction" && !TOP_LEVEL.includes(key))
      .map(([key, value]) => [camel(key), camelized(value, key)]),
  );
  if (Object.keys(generation).length > 0) body.generationConfig = generation;
  return {
    file,
    json,
    family: "genai",
    method: "POST",
    path: `/v1/projects/${project}/locations/${location}/${model}:${streaming ? "streamGenerateContent" : "generateContent"}`,
    query: streaming ? { alt: "sse" } : {},
    headers: {},
    body,
    streaming,
    base64: false,
  };
}

/** The stored response (the SDK's dump) as Vertex sends it: camelCase, no SDK-only fields. */
export function vertexAnswerBody(stored: unknown): unknown {
  const { sdk_http_response: _, ...rest } = stored as Record<string, unknown>;
  return camelized(rest, null);
}

function content(value: unknown): unknown {
  return typeof value === "string" ? { role: "user", parts: [{ text: value }] } : camelized(value, null);
}

function camelized(value: unknown, parent: string | null): unknown {
  if (parent !== null && OPAQUE.has(parent)) return value;
  if (Array.isArray(value)) return value.map((item) => camelized(item, parent));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) =>
      parent === "properties"
        ? [key, camelized(item, null)]
        : key === "type" && typeof item === "string"
          ? [key, item.toUpperCase()]
          : [camel(key), camelized(item, key)],
    ),
  );
}

function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
