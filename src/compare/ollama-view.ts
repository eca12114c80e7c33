// The view of an answer from Ollama's native API (`/api/generate`, `/api/chat`, `/api/embed`,
// `/api/embeddings`, `/api/tags`). Everything Ollama varies per call — `created_at`, the
// `*_duration` timings, `modified_at`, `context` token ids — is left out, so only what the
// answer says is compared. `/api/ps` (what happens to be loaded in memory) is not behaviour
// and never reaches here.

import type { Capture } from "../capture.ts";
import { arrayAt, isPlainObject, objectAt, stringAt } from "./plain-json.ts";
import type { ChoicesView, EmbeddingsView, ModelsView, SemanticView, ToolCallView } from "./semantic-view.ts";
import { toolCallView } from "./tool-call-view.ts";

function vectors(body: unknown): number[][] | null {
  const many = arrayAt(body, "embeddings");
  if (many.length > 0) return many.map((v) => (Array.isArray(v) ? v.map(Number) : []));
  const one = isPlainObject(body) ? body.embedding : undefined;
  return Array.isArray(one) ? [one.map(Number)] : null;
}

function modelsOf(body: unknown): ModelsView {
  const ids = arrayAt(body, "models").flatMap((m) => stringAt(m, "model") ?? stringAt(m, "name") ?? []);
  // Digests, sizes and `modified_at` say when a model was pulled, not what it does.
  return { kind: "models", ids: [...new Set(ids)].sort(), details: {} };
}

/** A generate or chat answer: one object, or a stream of them, read as one message. */
function choicesOf(chunks: unknown[]): ChoicesView {
  let text = "";
  let role: string | null = null;
  let finishReason: string | null = null;
  let model: string | null = null;
  const usage: Record<string, number> = {};
  const toolCalls: ToolCallView[] = [];
  for (const chunk of chunks) {
    model ??= stringAt(chunk, "model");
    text += stringAt(chunk, "response") ?? "";
    const message = objectAt(chunk, "message");
    if (message) {
      role ??= stringAt(message, "role");
      text += stringAt(message, "content") ?? "";
      for (const call of arrayAt(message, "tool_calls")) {
        const fn = objectAt(call, "function");
        if (fn) toolCalls.push(toolCallView(stringAt(fn, "name") ?? "", fn.arguments));
      }
    }
    finishReason = stringAt(chunk, "done_reason") ?? finishReason;
    for (const key of ["prompt_eval_count", "eval_count"]) {
      const count = isPlainObject(chunk) ? chunk[key] : undefined;
      if (typeof count === "number") usage[key] = count;
    }
  }
  return {
    kind: "choices",
    choices: [{ index: 0, role, text, refusal: null, toolCalls, finishReason, logprobs: false }],
    model,
    usage: Object.keys(usage).length > 0 ? usage : null,
  };
}

export function ollamaView(capture: Capture): SemanticView {
  const chunks = Array.isArray(capture.body) ? capture.body : [capture.body];
  const first = chunks[0];
  if (isPlainObject(first) && Array.isArray(first.models)) return modelsOf(first);
  const embedded = vectors(first);
  if (embedded) {
    const view: EmbeddingsView = {
      kind: "embeddings",
      vectors: embedded,
      model: stringAt(first, "model"),
      usage: null,
    };
    return view;
  }
  return choicesOf(chunks);
}
