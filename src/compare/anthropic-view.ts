// Anthropic-style `/v1/messages` answers (Ollama serves them too): a message with content blocks,
// or its stream of events, assembled into the same message.

import type { AssembledMessage, MessageBlock } from "./passthrough-view.ts";
import { arrayAt, numberAt, objectAt, type PlainObject, stringAt } from "./plain-json.ts";

export function isAnthropicMessage(body: unknown): boolean {
  return stringAt(body, "type") === "message";
}

export function isAnthropicStream(events: unknown[]): boolean {
  return events.some((event) => /^(message|content_block)_/.test(stringAt(event, "type") ?? ""));
}

function blockOf(block: unknown): MessageBlock {
  const type = stringAt(block, "type");
  if (type === "text") return { kind: "text", text: stringAt(block, "text") ?? "" };
  if (type === "tool_use")
    return { kind: "tool", name: stringAt(block, "name") ?? "", args: objectAt(block, "input") };
  // Thinking blocks and their signatures are the model's scratch work, not its answer.
  return { kind: "other" };
}

export function anthropicMessage(body: unknown): AssembledMessage {
  return {
    role: stringAt(body, "role"),
    model: stringAt(body, "model"),
    finishReason: stringAt(body, "stop_reason"),
    usage: objectAt(body, "usage"),
    blocks: arrayAt(body, "content").map(blockOf),
  };
}

/** Replays the stream's events into the message they describe. */
export function anthropicStreamMessage(events: unknown[]): AssembledMessage {
  const message: PlainObject = {};
  const blocks = new Map<number, PlainObject>();
  const usage: PlainObject = {};
  for (const event of events) {
    const type = stringAt(event, "type");
    const index = numberAt(event, "index") ?? 0;
    if (type === "message_start") Object.assign(message, objectAt(event, "message"));
    if (type === "message_start" || type === "message_delta") {
      Object.assign(usage, objectAt(objectAt(event, "message"), "usage"), objectAt(event, "usage"));
    }
    if (type === "message_delta") Object.assign(message, objectAt(event, "delta"));
    if (type === "content_block_start") blocks.set(index, { ...objectAt(event, "content_block") });
    const delta = type === "content_block_delta" ? objectAt(event, "delta") : null;
    const block = blocks.get(index);
    if (!delta || !block) continue;
    if (delta.type === "text_delta")
      block.text = `${stringAt(block, "text") ?? ""}${stringAt(delta, "text") ?? ""}`;
    if (delta.type === "input_json_delta") {
      block.partial_json = `${stringAt(block, "partial_json") ?? ""}${stringAt(delta, "partial_json") ?? ""}`;
    }
  }
  const assembled = anthropicMessage({ ...message, usage });
  assembled.blocks = [...blocks.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, block]) => {
      const json = stringAt(block, "partial_json");
      // Streamed tool input arrives as JSON text; the start event's `input` is then `{}`.
      return json !== null && block.type === "tool_use"
        ? { kind: "tool", name: stringAt(block, "name") ?? "", args: json }
        : blockOf(block);
    });
  return assembled;
}
