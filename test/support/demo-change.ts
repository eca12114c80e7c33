// The answer `npm run demo` changes so that its report shows what drift looks like: the model
// now answers the arithmetic question of one example differently (a real change, not noise).
import { named } from "./check-setup.ts";
import type { Simulator } from "./simulator.ts";

/** Makes the simulator answer "15 × 7" with 115 instead of 105. */
export function changeArithmeticAnswer(sim: Simulator): void {
  sim.mutate(named("8edd907a123f"), (data) => withAnswerText(data, "15 multiplied by 7 gives 115."));
}

/** A chat completion's data (as a simulator mutation receives it) with its first answer's text replaced. */
export function withAnswerText(data: unknown, text: string): unknown {
  const message = (data as { choices: Array<{ message: { content: string | null } }> }).choices[0]?.message;
  if (message) message.content = text;
  return data;
}
