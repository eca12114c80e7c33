// A tool call as a test sees it: the function name and its arguments as a value, so key order
// and whitespace in the arguments' JSON never matter.

import { parseJson } from "./plain-json.ts";
import type { ToolCallView } from "./semantic-view.ts";

/** From arguments as sent: JSON text (OpenAI) or an already-parsed value (Anthropic, Gemini). */
export function toolCallView(name: string, args: unknown): ToolCallView {
  if (typeof args !== "string") return { name, arguments: args ?? {}, validJson: true };
  // An empty argument string is how some providers send a call without arguments.
  const parsed = args.trim() === "" ? {} : parseJson(args);
  return parsed === undefined
    ? { name, arguments: args, validJson: false }
    : { name, arguments: parsed, validJson: true };
}
