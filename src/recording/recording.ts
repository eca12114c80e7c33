// From a file's text to a typed `Recording`: lossless parse, classify into a kind (spec §2),
// validate that kind's schema, and say what the file's name should be (spec §5).
import path from "node:path";
import type { z } from "zod";
import type { AnswerFamily, Endpoint } from "../capture.ts";
import { formatJsonPath } from "./json-path.ts";
import { JsonSyntaxError, parseJson } from "./json-read.ts";
import { isJsonObject, type JsonObject, type JsonValue } from "./json-value.ts";
import {
  fileProcessorRequestSchema,
  fileSchema,
  httpRequestSchema,
  inferenceRequestSchema,
  type RecordingKind,
  responseSchemas,
  toolRequestSchema,
} from "./schema.ts";

export type { RecordingKind } from "./schema.ts";

export interface Recording {
  kind: RecordingKind;
  /** `2025-08`: no `test_id`, raw ids, 12-hex file names. */
  layout: "current" | "2025-08";
  /** The whole file, lossless: what refresh rewrites and the writer writes back. */
  data: JsonObject;
  request: JsonObject;
  response: JsonObject;
  testId: string | null;
  /** The recorded endpoint path (`/v1/chat/completions`), or the URL for passthrough. */
  endpoint: string | null;
  model: string | null;
  streaming: boolean;
  /** The endpoint family to replay and compare, or null with `notReplayable` saying why. */
  replay: Endpoint | null;
  notReplayable: string | null;
}

export type ReadResult = { ok: true; recording: Recording } | { ok: false; errors: string[] };

const ENDPOINTS: Record<string, Endpoint> = {
  "/v1/chat/completions": "chat",
  "/chat/completions": "chat",
  "/v1/completions": "completion",
  "/completions": "completion",
  "/v1/embeddings": "embeddings",
  "/embeddings": "embeddings",
  "/v1/models": "models",
  "/models": "models",
  "/v1/openai/v1/models": "models",
};
/** The openai-python class a response was stored as names its endpoint for sure. */
const RESPONSE_TYPES: Record<string, Endpoint> = {
  "openai.types.chat.chat_completion.ChatCompletion": "chat",
  "openai.types.chat.chat_completion_chunk.ChatCompletionChunk": "chat",
  "openai.types.completion.Completion": "completion",
  "openai.types.create_embedding_response.CreateEmbeddingResponse": "embeddings",
  "openai.types.model.Model": "models",
};
const INFERENCE_KINDS: Record<Endpoint, (streaming: boolean) => RecordingKind> = {
  chat: (streaming) => (streaming ? "chat-completion-stream" : "chat-completion"),
  completion: () => "completion",
  embeddings: () => "embeddings",
  models: () => "model-list",
  passthrough: () => "http-passthrough",
  genai: () => "google-genai",
};
/** Ollama's native endpoints whose answers are behaviour, read by the `ollama` view. */
const OLLAMA_ANSWERS = new Set(["/api/generate", "/api/chat", "/api/embed", "/api/embeddings", "/api/tags"]);

/** Parses and validates one recording. `file` is only used to tell the layout and in errors. */
export function readRecording(text: string, file: string): ReadResult {
  let tree: JsonValue;
  try {
    tree = parseJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, errors: [`invalid JSON: ${error.message}`] };
    throw error;
  }
  if (!isJsonObject(tree))
    return { ok: false, errors: [`$: expected a recording object, found ${typeName(tree)}`] };
  const top = check(fileSchema, tree, "$");
  if (top.length > 0) return { ok: false, errors: top };
  return classify(tree, file);
}

function classify(data: JsonObject, file: string): ReadResult {
  const request = data.request as JsonObject;
  const response = data.response as JsonObject;
  const testId = typeof data.test_id === "string" ? data.test_id : null;
  const layout =
    "test_id" in data ||
    "id_normalization_mapping" in data ||
    !/^[0-9a-f]{12}\.json$/.test(path.basename(file))
      ? "current"
      : "2025-08";
  const base = {
    layout,
    data,
    request,
    response,
    testId,
    model: null,
    streaming: response.is_streaming === true,
  } as const;

  if ("tool_name" in request) {
    return finish(
      base,
      "tool-invocation",
      toolRequestSchema,
      null,
      "tool invocation: no HTTP request is stored",
    );
  }
  if ("file_id" in request) {
    return finish(
      base,
      "file-processor",
      fileProcessorRequestSchema,
      null,
      "file processor: no HTTP request is stored",
    );
  }
  if ("payload" in request) {
    const url = typeof request.url === "string" ? request.url : null;
    return finish({ ...base, endpoint: url }, "http-passthrough", httpRequestSchema, "passthrough", null);
  }
  const requestErrors = check(inferenceRequestSchema, request, "$.request");
  if (requestErrors.length > 0) return { ok: false, errors: requestErrors };
  const endpoint = request.endpoint as string;
  const model = typeof request.model === "string" ? request.model : null;
  const withEndpoint = { ...base, endpoint, model };
  if ((request.url as string).startsWith("vertexai:")) {
    // The stored body is the SDK call's arguments; replay/ sends them to Vertex AI's REST API.
    return finish(withEndpoint, "google-genai", null, "genai", null);
  }
  // The 2025-08 recorder labelled some chat calls `/v1/completions`; the stored type is right.
  const family = familyOfBody(response.body) ?? ENDPOINTS[endpoint];
  if (response.is_exception === true) {
    return finish(
      withEndpoint,
      "recorded-error",
      null,
      family ?? null,
      family ? null : `recorded error on ${endpoint}: not an OpenAI-compatible endpoint`,
    );
  }
  if (family) return finish(withEndpoint, INFERENCE_KINDS[family](base.streaming), null, family, null);
  if (endpoint === "/api/ps") {
    // Which models Ollama has loaded right now depends on what ran before, not on the model.
    return finish(
      withEndpoint,
      "ollama",
      null,
      null,
      "Ollama /api/ps: process state (the models loaded right now), not behaviour",
    );
  }
  if (endpoint.startsWith("/api/")) {
    return finish(
      withEndpoint,
      "ollama",
      null,
      null,
      `Ollama native API ${endpoint}: not an OpenAI-compatible endpoint`,
    );
  }
  return {
    ok: false,
    errors: [
      `$.request.endpoint: expected one of ${Object.keys(ENDPOINTS).join(", ")}, /api/*, found "${endpoint}"`,
    ],
  };
}

/**
 * The family whose semantic view reads this recording's answer: the one it replays as, or, for
 * Ollama's native API (compared, not replayed), `ollama`. Null when no view reads it.
 */
export function answerFamily(recording: Recording): AnswerFamily | null {
  if (recording.replay !== null) return recording.replay;
  const endpoint = recording.endpoint ?? "";
  return recording.kind === "ollama" && OLLAMA_ANSWERS.has(endpoint) ? "ollama" : null;
}

function familyOfBody(body: JsonValue | undefined): Endpoint | undefined {
  const first = Array.isArray(body) ? body[0] : body;
  return isJsonObject(first) && typeof first.__type__ === "string"
    ? RESPONSE_TYPES[first.__type__]
    : undefined;
}

type Base = Omit<Recording, "kind" | "replay" | "notReplayable" | "endpoint"> & { endpoint?: string | null };

function finish(
  base: Base,
  kind: RecordingKind,
  requestSchema: z.ZodType | null,
  replay: Endpoint | null,
  notReplayable: string | null,
): ReadResult {
  const errors = [
    ...(requestSchema ? check(requestSchema, base.request, "$.request") : []),
    ...check(responseSchemas[kind], base.response, "$.response"),
  ];
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, recording: { endpoint: null, ...base, kind, replay, notReplayable } };
}

const MAX_ERRORS = 5;

/** Validates and turns zod issues into `$.path.to[3].field: what was expected` lines. */
function check(schema: z.ZodType, value: unknown, root: string): string[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  const lines = result.error.issues
    .slice(0, MAX_ERRORS)
    .map((issue) => `${formatJsonPath(issue.path, root)}: ${describe(issue)}`);
  const more = result.error.issues.length - MAX_ERRORS;
  if (more > 0) lines.push(`… and ${more} more`);
  return lines;
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys")
    return `unexpected key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
  if (issue.code === "invalid_union") return "does not match any expected shape";
  return issue.message.replace(/^Invalid input: /, "");
}

function typeName(value: JsonValue): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value === "object" ? "number" : typeof value}`;
}
