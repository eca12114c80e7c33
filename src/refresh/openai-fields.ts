// openai-python's response models as data (spec §6): each model's declared fields in declaration
// order and what each field holds. The recorder writes a response through these pydantic models,
// so this table decides a refreshed object's field order, which fields are written as `null`
// when the wire left them out, and which numbers are floats.

import type { Endpoint } from "../capture.ts";

/** What a declared field holds. */
export type FieldType =
  /** Untyped for our purposes: written as the wire sent it. */
  | "any"
  /** A float: an integral value from the wire is still written `1.0`. */
  | "float"
  | { model: string }
  | { list: FieldType }
  | { dict: FieldType }
  /** A discriminated union: the value's `type` names the model, the first entry is the default. */
  | { byType: Record<string, string> };

export interface DeclaredField {
  name: string;
  type: FieldType;
  /** Declared only in newer SDK versions: counts as declared only where the stored file has it. */
  newer: boolean;
}

const ANY = "any";
const FLOAT = "float";
const model = (name: string): FieldType => ({ model: name });
const list = (item: FieldType): FieldType => ({ list: item });

// A trailing `?` marks a field that only newer SDK versions declare.
const TABLE: Record<string, Record<string, FieldType>> = {
  ChatCompletionChunk: {
    id: ANY,
    choices: list(model("ChunkChoice")),
    created: ANY,
    model: ANY,
    object: ANY,
    "moderation?": ANY,
    service_tier: ANY,
    system_fingerprint: ANY,
    usage: model("CompletionUsage"),
  },
  ChunkChoice: {
    delta: model("ChoiceDelta"),
    finish_reason: ANY,
    index: ANY,
    logprobs: model("ChoiceLogprobs"),
  },
  ChoiceDelta: {
    content: ANY,
    function_call: model("FunctionCall"),
    refusal: ANY,
    role: ANY,
    tool_calls: list(model("ChoiceDeltaToolCall")),
  },
  ChoiceDeltaToolCall: { index: ANY, id: ANY, function: model("FunctionCall"), type: ANY },
  FunctionCall: { arguments: ANY, name: ANY },
  ChatCompletion: {
    id: ANY,
    choices: list(model("Choice")),
    created: ANY,
    model: ANY,
    object: ANY,
    "metadata?": ANY,
    "moderation?": ANY,
    service_tier: ANY,
    system_fingerprint: ANY,
    usage: model("CompletionUsage"),
  },
  Choice: {
    finish_reason: ANY,
    index: ANY,
    logprobs: model("ChoiceLogprobs"),
    message: model("ChatCompletionMessage"),
  },
  ChatCompletionMessage: {
    content: ANY,
    refusal: ANY,
    role: ANY,
    annotations: list(model("Annotation")),
    audio: model("ChatCompletionAudio"),
    function_call: model("FunctionCall"),
    tool_calls: list({ byType: { function: "MessageFunctionToolCall", custom: "MessageCustomToolCall" } }),
  },
  MessageFunctionToolCall: { id: ANY, function: model("FunctionCall"), type: ANY },
  MessageCustomToolCall: { id: ANY, custom: model("CustomToolCallInput"), type: ANY },
  CustomToolCallInput: { input: ANY, name: ANY },
  Annotation: { type: ANY, url_citation: model("AnnotationURLCitation") },
  AnnotationURLCitation: { end_index: ANY, start_index: ANY, title: ANY, url: ANY },
  ChatCompletionAudio: { id: ANY, data: ANY, expires_at: ANY, transcript: ANY },
  ChoiceLogprobs: { content: list(model("TokenLogprob")), refusal: list(model("TokenLogprob")) },
  TokenLogprob: { token: ANY, bytes: ANY, logprob: FLOAT, top_logprobs: list(model("TopLogprob")) },
  TopLogprob: { token: ANY, bytes: ANY, logprob: FLOAT },
  CompletionUsage: {
    completion_tokens: ANY,
    prompt_tokens: ANY,
    total_tokens: ANY,
    completion_tokens_details: model("CompletionTokensDetails"),
    prompt_tokens_details: model("PromptTokensDetails"),
  },
  CompletionTokensDetails: {
    accepted_prediction_tokens: ANY,
    audio_tokens: ANY,
    reasoning_tokens: ANY,
    rejected_prediction_tokens: ANY,
  },
  PromptTokensDetails: { audio_tokens: ANY, cached_tokens: ANY },
  CreateEmbeddingResponse: {
    data: list(model("Embedding")),
    model: ANY,
    object: ANY,
    usage: model("EmbeddingUsage"),
  },
  Embedding: { embedding: list(FLOAT), index: ANY, object: ANY },
  EmbeddingUsage: { prompt_tokens: ANY, total_tokens: ANY },
  Model: { id: ANY, created: ANY, object: ANY, owned_by: ANY },
  Completion: {
    id: ANY,
    choices: list(model("CompletionChoice")),
    created: ANY,
    model: ANY,
    object: ANY,
    system_fingerprint: ANY,
    usage: model("CompletionUsage"),
  },
  CompletionChoice: { finish_reason: ANY, index: ANY, logprobs: model("CompletionLogprobs"), text: ANY },
  CompletionLogprobs: {
    text_offset: ANY,
    token_logprobs: list(FLOAT),
    tokens: ANY,
    top_logprobs: list({ dict: FLOAT }),
  },
};

const MODELS: ReadonlyMap<string, readonly DeclaredField[]> = new Map(
  Object.entries(TABLE).map(([name, fields]) => [
    name,
    Object.entries(fields).map(([key, type]) => ({
      name: key.replace(/\?$/, ""),
      type,
      newer: key.endsWith("?"),
    })),
  ]),
);

/** The declared fields of a model in the table, or undefined for a model the table does not know. */
export function declaredFields(modelName: string): readonly DeclaredField[] | undefined {
  return MODELS.get(modelName);
}

/** The `__type__` of each top-level response model the table describes. */
const RESPONSE_TYPES: Record<string, string> = {
  "openai.types.chat.chat_completion_chunk.ChatCompletionChunk": "ChatCompletionChunk",
  "openai.types.chat.chat_completion.ChatCompletion": "ChatCompletion",
  "openai.types.completion.Completion": "Completion",
  "openai.types.create_embedding_response.CreateEmbeddingResponse": "CreateEmbeddingResponse",
  "openai.types.model.Model": "Model",
};

/** The table's model for a stored `__type__`, or undefined when the table does not describe it. */
export function modelOfType(pythonType: string): string | undefined {
  return RESPONSE_TYPES[pythonType];
}

/**
 * The `__type__` openai-python answers an endpoint with, for when the stored file has no response
 * object to copy it from (it stored an error). Streamed completions are `Completion` objects too.
 */
export function responseTypeOf(endpoint: Endpoint, streaming: boolean): string | undefined {
  switch (endpoint) {
    case "chat":
      return streaming
        ? "openai.types.chat.chat_completion_chunk.ChatCompletionChunk"
        : "openai.types.chat.chat_completion.ChatCompletion";
    case "completion":
      return "openai.types.completion.Completion";
    case "embeddings":
      return "openai.types.create_embedding_response.CreateEmbeddingResponse";
    case "models":
      return "openai.types.model.Model";
    default:
      return undefined;
  }
}
