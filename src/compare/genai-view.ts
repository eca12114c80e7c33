// Gemini answers (google-genai's GenerateContentResponse, in the SDK's snake_case layout), read
// like chat: each candidate's text, function calls and finish reason; a safety block (a
// candidate stopped for SAFETY and the like, or the prompt blocked outright) as a refusal. A
// stream's responses are merged per candidate first, so chunk boundaries do not matter.

import type { Capture } from "../capture.ts";
import {
  arrayAt,
  isPlainObject,
  numberAt,
  numericLeaves,
  objectAt,
  type PlainObject,
  stringAt,
} from "./plain-json.ts";
import type { ChoicesView, ChoiceView } from "./semantic-view.ts";
import { toolCallView } from "./tool-call-view.ts";

/** Finish reasons that mean the answer was withheld, not finished. */
const BLOCKED = new Set(["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY"]);

interface Merged {
  role: string | null;
  texts: string[];
  calls: Array<{ name: string; args: unknown }>;
  finishReason: string | null;
}

export function genaiView(capture: Capture): ChoicesView {
  const responses = (Array.isArray(capture.body) ? capture.body : [capture.body]).filter(isPlainObject);
  const candidates = new Map<number, Merged>();
  let model: string | null = null;
  let usage: PlainObject | null = null;
  let promptBlock: string | null = null;
  for (const response of responses) {
    model = stringAt(response, "model_version") ?? model;
    usage = objectAt(response, "usage_metadata") ?? usage;
    promptBlock = stringAt(objectAt(response, "prompt_feedback"), "block_reason") ?? promptBlock;
    for (const [position, candidate] of arrayAt(response, "candidates").entries()) {
      const index = numberAt(candidate, "index") ?? position;
      const merged = candidates.get(index) ?? { role: null, texts: [], calls: [], finishReason: null };
      candidates.set(index, merged);
      const content = objectAt(candidate, "content");
      merged.role = stringAt(content, "role") ?? merged.role;
      merged.finishReason = stringAt(candidate, "finish_reason") ?? merged.finishReason;
      for (const part of arrayAt(content, "parts")) {
        // Thoughts are the model's scratch work, not its answer.
        if (isPlainObject(part) && part.thought === true) continue;
        const text = stringAt(part, "text");
        if (text !== null) merged.texts.push(text);
        const call = objectAt(part, "function_call");
        if (call) merged.calls.push({ name: stringAt(call, "name") ?? "", args: call.args ?? {} });
      }
    }
  }
  const choices: ChoiceView[] = [...candidates.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, merged]) => ({
      index,
      role: merged.role,
      text: merged.texts.join(""),
      refusal:
        merged.finishReason !== null && BLOCKED.has(merged.finishReason)
          ? `blocked: ${merged.finishReason}`
          : null,
      toolCalls: merged.calls.map((call) => toolCallView(call.name, call.args)),
      finishReason: merged.finishReason,
      logprobs: false,
    }));
  if (promptBlock !== null && choices.length === 0) {
    choices.push({
      index: 0,
      role: null,
      text: "",
      refusal: `prompt blocked: ${promptBlock}`,
      toolCalls: [],
      finishReason: null,
      logprobs: false,
    });
  }
  return { kind: "choices", choices, model, usage: usage ? numericLeaves(usage) : null };
}
