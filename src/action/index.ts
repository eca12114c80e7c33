// The action's entry point, as in actions/typescript-action: all work happens in run().
import { run } from "./main.ts";

await run();
