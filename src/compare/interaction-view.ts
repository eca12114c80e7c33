// Gemini `interactions` answers: an interaction with `outputs`, or its stream of `content.*`
// events between `interaction.start` and `interaction.complete`, assembled into the same thing.

import type { AssembledMessage, MessageBlock } from "./passthrough-view.ts";
import { arrayAt, numberAt, objectAt, type PlainObject, stringAt } from "./plain-json.ts";

export function isInteraction(body: unknown): boolean {
  return stringAt(body, "object") === "interaction";
}

export function isInteractionStream(events: unknown[]): boolean {
  return events.some((event) => (stringAt(event, "event_type") ?? "").startsWith("interaction."));
}

function blockOf(output: unknown): MessageBlock {
  const type = stringAt(output, "type");
  if (type === "text") return { kind: "text", text: stringAt(output, "text") ?? "" };
  if (type === "function_call") {
    const args = objectAt(output, "arguments") ?? stringAt(output, "arguments");
    return { kind: "tool", name: stringAt(output, "name") ?? "", args };
  }
  // Thoughts and their signatures are the model's scratch work, not its answer.
  return { kind: "other" };
}

export function interactionMessage(body: unknown): AssembledMessage {
  return {
    role: stringAt(body, "role"),
    model: stringAt(body, "model"),
    // `completed`, or `requires_action` when the model asked for a tool.
    finishReason: stringAt(body, "status"),
    usage: objectAt(body, "usage"),
    blocks: arrayAt(body, "outputs").map(blockOf),
  };
}

/** Replays the stream's events into the interaction they describe. */
export function interactionStreamMessage(events: unknown[]): AssembledMessage {
  const interaction: PlainObject = {};
  const outputs = new Map<number, PlainObject>();
  for (const event of events) {
    Object.assign(interaction, objectAt(event, "interaction"));
    const index = numberAt(event, "index") ?? 0;
    const type = stringAt(event, "event_type");
    if (type === "content.start") outputs.set(index, { ...objectAt(event, "content") });
    const delta = type === "content.delta" ? objectAt(event, "delta") : null;
    const output = outputs.get(index);
    if (!delta || !output) continue;
    if (delta.type === "text")
      output.text = `${stringAt(output, "text") ?? ""}${stringAt(delta, "text") ?? ""}`;
    if (delta.type === "function_call") {
      // Arguments come whole as an object, or as JSON text fragments to append.
      const args = delta.arguments;
      output.arguments = typeof args === "string" ? `${stringAt(output, "arguments") ?? ""}${args}` : args;
      output.name = stringAt(delta, "name") ?? output.name;
    }
  }
  const ordered = [...outputs.entries()].sort(([a], [b]) => a - b).map(([, output]) => output);
  return interactionMessage({ ...interaction, outputs: ordered });
}
