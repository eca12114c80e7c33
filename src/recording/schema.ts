// zod schemas for every kind of recording in spec §2. They check the parts recording-drift
// reads and writes (and fail with a JSON path when those are off); everything else in a
// provider's answer is left open (`looseObject`) because providers add fields freely.
import { z } from "zod";
import { type JsonNumber, PyFloat } from "./json-value.ts";

const num = z.custom<JsonNumber>(
  (v) => typeof v === "number" || typeof v === "bigint" || v instanceof PyFloat,
  "expected a number",
);
const int = z.custom<JsonNumber>(
  (v) => (typeof v === "number" && Number.isInteger(v)) || typeof v === "bigint",
  "expected an integer",
);
const obj = z.record(z.string(), z.unknown());
const wrapped = <T extends z.ZodType>(data: T) => z.looseObject({ __type__: z.string(), __data__: data });

// --- requests ---------------------------------------------------------------------------

export const inferenceRequestSchema = z.looseObject({
  method: z.string(),
  url: z.string(),
  headers: obj,
  body: obj,
  endpoint: z.string().startsWith("/"),
  model: z.string().nullable().optional(),
  provider_metadata: obj.optional(),
});

export const httpRequestSchema = z.looseObject({
  test_id: z.string().nullable(),
  url: z.string(),
  method: z.string(),
  payload: obj,
});

export const toolRequestSchema = z.looseObject({
  test_id: z.string().nullable().optional(),
  provider: z.string(),
  tool_name: z.string(),
  kwargs: obj,
});

export const fileProcessorRequestSchema = z.looseObject({
  test_id: z.string().nullable().optional(),
  provider: z.string(),
  api: z.string(),
  file_id: z.string(),
});

// --- responses --------------------------------------------------------------------------

const chatMessage = z.looseObject({ role: z.string().nullable().optional(), content: z.unknown() });
const chatChoice = z.looseObject({
  index: int,
  finish_reason: z.string().nullable(),
  message: chatMessage,
});
const chatCompletion = z.looseObject({
  id: z.string().nullable(),
  choices: z.array(chatChoice),
  created: num.nullable(),
  model: z.string().nullable(),
});
const chunkChoice = z.looseObject({
  index: int,
  delta: z.looseObject({}),
  finish_reason: z.string().nullable().optional(),
});
const chatChunk = z.looseObject({
  id: z.string().nullable(),
  choices: z.array(chunkChoice),
  created: num.nullable(),
  model: z.string().nullable(),
});
const completion = z.looseObject({
  id: z.string().nullable(),
  choices: z.array(
    z.looseObject({ index: int, text: z.string().nullable(), finish_reason: z.string().nullable() }),
  ),
  created: num.nullable(),
  model: z.string().nullable(),
});
const embeddingResponse = z.looseObject({
  data: z.array(z.looseObject({ index: int, embedding: z.union([z.array(num), z.string()]) })),
  model: z.string().nullable(),
});
const model = z.looseObject({ id: z.string() });

const exceptionData = z.looseObject({
  category: z.string().optional(),
  provider: z.string().nullable().optional(),
  type: z.string(),
  message: z.string(),
  // An error without an HTTP status (openai-python's mid-stream `APIError`) has neither.
  status_code: int.nullable().optional(),
  body: z.unknown().optional(),
});

const inferenceResponse = <T extends z.ZodType>(body: T) =>
  z.strictObject({
    body,
    is_streaming: z.boolean(),
    is_exception: z.literal(false).optional(),
  });

export const responseSchemas = {
  "chat-completion": inferenceResponse(wrapped(chatCompletion)),
  "chat-completion-stream": inferenceResponse(z.array(wrapped(chatChunk))),
  // A streamed completion is a list of chunks; one real recording streams chat chunks here.
  completion: inferenceResponse(
    z.union([
      wrapped(completion),
      z.array(wrapped(z.looseObject({ choices: z.array(z.looseObject({ index: int })) }))),
    ]),
  ),
  embeddings: inferenceResponse(wrapped(embeddingResponse)),
  "model-list": inferenceResponse(
    z.union([z.array(wrapped(model)), wrapped(z.looseObject({ models: z.array(obj) }))]),
  ),
  ollama: inferenceResponse(z.union([wrapped(obj), z.array(wrapped(obj))])),
  "google-genai": inferenceResponse(z.union([obj, z.array(obj)])),
  "recorded-error": z.strictObject({
    body: z.union([z.null(), z.array(wrapped(obj)), wrapped(obj)]),
    is_streaming: z.boolean(),
    is_exception: z.literal(true),
    exception_data: exceptionData,
    exception_message: z.string(),
  }),
  // Streaming passthrough recordings store no status.
  "http-passthrough": z.strictObject({
    status: int.optional(),
    body: z.unknown(),
    is_streaming: z.boolean(),
  }),
  "tool-invocation": inferenceResponse(z.unknown()),
  "file-processor": inferenceResponse(z.unknown()),
} as const;

export type RecordingKind = keyof typeof responseSchemas;

// --- the file ---------------------------------------------------------------------------

/** Top level of a current-layout file (the 2025-08 layout has only `request` and `response`). */
export const fileSchema = z.strictObject({
  test_id: z.string().nullable().optional(),
  request: obj,
  response: obj,
  id_normalization_mapping: z.record(z.string(), z.string()).optional(),
});
