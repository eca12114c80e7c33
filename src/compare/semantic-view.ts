// The semantic view of an answer: what a test can observe, with everything that changes on every
// call (ids, timestamps, fingerprints, chunk boundaries, key order) already gone. Stored and live
// captures go through the same builders, so comparing views compares meaning.

import type { Capture } from "../capture.ts";
import { chatView } from "./chat-view.ts";
import { completionView } from "./completion-view.ts";
import { embeddingsView } from "./embeddings-view.ts";
import { errorView } from "./error-view.ts";
import { genaiView } from "./genai-view.ts";
import { modelsView } from "./models-view.ts";
import { ollamaView } from "./ollama-view.ts";
import { passthroughView } from "./passthrough-view.ts";

export interface ToolCallView {
  name: string;
  /** Parsed arguments when they were valid JSON, else the raw text. */
  arguments: unknown;
  validJson: boolean;
}

export interface ChoiceView {
  index: number;
  role: string | null;
  text: string;
  refusal: string | null;
  toolCalls: ToolCallView[];
  finishReason: string | null;
  logprobs: boolean;
}

/** Chat, completions and passthrough messages: choices plus the `minor`-only metadata. */
export interface ChoicesView {
  kind: "choices";
  choices: ChoiceView[];
  model: string | null;
  /** Numeric usage fields by dotted path, or null when the answer carried none. */
  usage: Record<string, number> | null;
}

export interface EmbeddingsView {
  kind: "embeddings";
  vectors: number[][];
  model: string | null;
  usage: Record<string, number> | null;
}

export interface ModelsView {
  kind: "models";
  /** Sorted, without duplicates. */
  ids: string[];
  /**
   * What the server says of each model besides its id (vLLM's `max_model_len`, `root`, …),
   * without what changes on every start (`created`, permission ids).
   */
  details: Record<string, unknown>;
}

export interface ErrorView {
  kind: "error";
  status: number | null;
  type: string | null;
  code: string | null;
  message: string;
  /** The answer started (a stream) and then broke with this error. */
  broken: boolean;
}

/** A passthrough body of no known shape: the JSON without volatile fields. */
export interface JsonView {
  kind: "json";
  body: unknown;
}

export type SemanticView = ChoicesView | EmbeddingsView | ModelsView | ErrorView | JsonView;

export function semanticView(capture: Capture): SemanticView {
  const error = errorView(capture);
  if (error) return error;
  switch (capture.endpoint) {
    case "chat":
      return chatView(capture);
    case "completion":
      return completionView(capture);
    case "embeddings":
      return embeddingsView(capture);
    case "models":
      return modelsView(capture);
    case "passthrough":
      return passthroughView(capture);
    case "ollama":
      return ollamaView(capture);
    case "genai":
      return genaiView(capture);
  }
}
