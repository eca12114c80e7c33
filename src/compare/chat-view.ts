// The view of a chat completion. A non-streamed message is read as one big delta, so streamed and
// non-streamed answers assemble through the same code and chunk boundaries cannot matter.

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

interface ToolDraft {
  slot: number | null;
  name: string;
  args: string;
}

interface ChoiceDraft {
  role: string | null;
  text: string;
  refusal: string | null;
  tools: ToolDraft[];
  finishReason: string | null;
  logprobs: boolean;
}

/** Message content is a string, or (some providers) a list of `{type: "text", text}` parts. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => stringAt(part, "text") ?? "").join("");
}

/** Logprobs count as present only with tokens in them (Azure sends empty `{content: null}`). */
function hasLogprobs(logprobs: unknown): boolean {
  return arrayAt(logprobs, "content").length > 0 || arrayAt(logprobs, "refusal").length > 0;
}

function argumentsText(args: unknown): string {
  if (typeof args === "string") return args;
  return args === undefined || args === null ? "" : JSON.stringify(args);
}

/**
 * Streamed tool calls arrive by `index`: the first delta names the function, later ones append
 * argument fragments. A message's tool calls are complete, so each one is a new call.
 */
function applyToolCall(draft: ChoiceDraft, call: PlainObject, streamed: boolean): void {
  const fn = objectAt(call, "function") ?? call;
  const name = stringAt(fn, "name") ?? "";
  const slot = streamed ? numberAt(call, "index") : null;
  let tool = slot === null ? undefined : draft.tools.find((t) => t.slot === slot);
  // Without an index, a delta that names a function starts a call; one that does not continues the last.
  if (!tool && slot === null && streamed && name === "") tool = draft.tools.at(-1);
  if (!tool) {
    tool = { slot, name: "", args: "" };
    draft.tools.push(tool);
  }
  if (tool.name === "") tool.name = name;
  tool.args += argumentsText(fn.arguments);
}

function applyDelta(draft: ChoiceDraft, delta: PlainObject, streamed: boolean): void {
  draft.role ??= stringAt(delta, "role");
  draft.text += contentText(delta.content);
  const refusal = stringAt(delta, "refusal");
  if (refusal !== null) draft.refusal = (draft.refusal ?? "") + refusal;
  for (const call of arrayAt(delta, "tool_calls"))
    if (isPlainObject(call)) applyToolCall(draft, call, streamed);
  // The legacy `function_call` field is one call without an index.
  const legacy = objectAt(delta, "function_call");
  if (legacy) applyToolCall(draft, { function: legacy }, streamed);
}

/** The chat view of a capture: a stream's chunks, or one ChatCompletion object. */
export function chatView(capture: Capture): ChoicesView {
  const streamed = Array.isArray(capture.body);
  const chunks = streamed ? (capture.body as unknown[]) : [capture.body];
  const drafts = new Map<number, ChoiceDraft>();
  let model: string | null = null;
  let usage: unknown = null;
  for (const chunk of chunks) {
    // Azure's first chunk (prompt filter results) has an empty model.
    model ??= stringAt(chunk, "model") || null;
    if (objectAt(chunk, "usage")) usage = objectAt(chunk, "usage");
    for (const choice of arrayAt(chunk, "choices")) {
      const index = numberAt(choice, "index") ?? 0;
      let draft = drafts.get(index);
      if (!draft) {
        draft = { role: null, text: "", refusal: null, tools: [], finishReason: null, logprobs: false };
        drafts.set(index, draft);
      }
      const delta = objectAt(choice, streamed ? "delta" : "message");
      if (delta) applyDelta(draft, delta, streamed);
      draft.finishReason = stringAt(choice, "finish_reason") ?? draft.finishReason;
      draft.logprobs ||= isPlainObject(choice) && hasLogprobs(choice.logprobs);
    }
  }
  const choices: ChoiceView[] = [...drafts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, draft]) => ({
      index,
      role: draft.role,
      text: draft.text,
      refusal: draft.refusal,
      toolCalls: draft.tools.map((tool) => toolCallView(tool.name, tool.args)),
      finishReason: draft.finishReason,
      logprobs: draft.logprobs,
    }));
  return { kind: "choices", choices, model, usage: usage === null ? null : numericLeaves(usage) };
}
