// The view of an HTTP passthrough answer. Anthropic messages and Gemini interactions are read
// like chat (text, tool calls, finish reason), streamed or not; any other body is compared as
// JSON without the fields that change on every call.

import type { Capture } from "../capture.ts";
import { errorFromBody } from "../recording/stored-capture.ts";
import {
  anthropicMessage,
  anthropicStreamMessage,
  isAnthropicMessage,
  isAnthropicStream,
} from "./anthropic-view.ts";
import {
  interactionMessage,
  interactionStreamMessage,
  isInteraction,
  isInteractionStream,
} from "./interaction-view.ts";
import { isPlainObject, numericLeaves, type PlainObject } from "./plain-json.ts";
import type { ChoicesView, ErrorView, JsonView, SemanticView, ToolCallView } from "./semantic-view.ts";
import { sseEvents } from "./sse-events.ts";
import { toolCallView } from "./tool-call-view.ts";

export type MessageBlock =
  | { kind: "text"; text: string }
  | { kind: "tool"; name: string; args: unknown }
  | { kind: "other" };

/** A message-like answer of either flavour, streamed or not, reduced to what is compared. */
export interface AssembledMessage {
  role: string | null;
  model: string | null;
  finishReason: string | null;
  usage: PlainObject | null;
  blocks: MessageBlock[];
}

function choicesView(message: AssembledMessage): ChoicesView {
  const texts: string[] = [];
  const toolCalls: ToolCallView[] = [];
  for (const block of message.blocks) {
    if (block.kind === "text") texts.push(block.text);
    if (block.kind === "tool") toolCalls.push(toolCallView(block.name, block.args));
  }
  const choice = {
    index: 0,
    role: message.role,
    // Separate text blocks are separate paragraphs, however the stream split them.
    text: texts.join("\n"),
    refusal: null,
    toolCalls,
    finishReason: message.finishReason,
    logprobs: false,
  };
  const usage = message.usage ? numericLeaves(message.usage) : null;
  return { kind: "choices", choices: [choice], model: message.model, usage };
}

const VOLATILE_KEYS = new Set([
  "id",
  "created",
  "created_at",
  "updated",
  "updated_at",
  "request_id",
  "system_fingerprint",
  "obfuscation",
  "service_tier",
  "usage",
  "signature",
]);

function isVolatileKey(key: string): boolean {
  return VOLATILE_KEYS.has(key) || key.endsWith("_id") || key.endsWith("_tokens");
}

/** A copy of `value` without ids, timestamps, request ids and token counts, at any depth. */
export function withoutVolatileFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutVolatileFields);
  if (!isPlainObject(value)) return value;
  const out: PlainObject = {};
  for (const [key, item] of Object.entries(value))
    if (!isVolatileKey(key)) out[key] = withoutVolatileFields(item);
  return out;
}

function streamError(events: unknown[]): ErrorView | null {
  const event = events.find((item) => isPlainObject(item) && isPlainObject(item.error));
  if (event === undefined) return null;
  const error = errorFromBody(event, null, "stream error");
  return { kind: "error", ...error, broken: true };
}

export function passthroughView(capture: Capture): SemanticView {
  if (!capture.streaming) {
    if (isAnthropicMessage(capture.body)) return choicesView(anthropicMessage(capture.body));
    if (isInteraction(capture.body)) return choicesView(interactionMessage(capture.body));
    return { kind: "json", body: withoutVolatileFields(capture.body) } satisfies JsonView;
  }
  const events = sseEvents(capture.body);
  const error = streamError(events);
  if (error) return error;
  if (isAnthropicStream(events)) return choicesView(anthropicStreamMessage(events));
  if (isInteractionStream(events)) return choicesView(interactionStreamMessage(events));
  return { kind: "json", body: withoutVolatileFields(events) };
}
