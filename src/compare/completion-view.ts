// The view of a legacy text completion: text and finish_reason per choice, streamed or not.

import type { Capture } from "../capture.ts";
import { arrayAt, numberAt, numericLeaves, objectAt, stringAt } from "./plain-json.ts";
import type { ChoicesView, ChoiceView } from "./semantic-view.ts";

export function completionView(capture: Capture): ChoicesView {
  const chunks = Array.isArray(capture.body) ? capture.body : [capture.body];
  const choices = new Map<number, ChoiceView>();
  let model: string | null = null;
  let usage: Record<string, number> | null = null;
  for (const chunk of chunks) {
    model ??= stringAt(chunk, "model") || null;
    const chunkUsage = objectAt(chunk, "usage");
    if (chunkUsage) usage = numericLeaves(chunkUsage);
    for (const choice of arrayAt(chunk, "choices")) {
      const index = numberAt(choice, "index") ?? 0;
      let view = choices.get(index);
      if (!view) {
        view = {
          index,
          role: null,
          text: "",
          refusal: null,
          toolCalls: [],
          finishReason: null,
          logprobs: false,
        };
        choices.set(index, view);
      }
      view.text += stringAt(choice, "text") ?? "";
      view.finishReason = stringAt(choice, "finish_reason") ?? view.finishReason;
      view.logprobs ||= arrayAt(objectAt(choice, "logprobs"), "tokens").length > 0;
    }
  }
  return { kind: "choices", choices: [...choices.values()].sort((a, b) => a.index - b.index), model, usage };
}
