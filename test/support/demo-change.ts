// The answer `npm run demo` changes so that its report shows what drift looks like: the model
// now answers the arithmetic question of one example differently (a real change, not noise).
import path from "node:path";
import type { Simulator } from "./simulator.ts";

/** Makes the simulator answer "15 × 7" with 115 instead of 105. */
export function changeArithmeticAnswer(sim: Simulator): void {
  sim.mutate(
    (file) => path.basename(file).startsWith("8edd907a123f"),
    (data) => {
      const message = (data as { choices: Array<{ message: { content: string } }> }).choices[0]?.message;
      if (message) message.content = "15 multiplied by 7 gives 115.";
      return data;
    },
  );
}
