// The GitHub Action: read the inputs into validated options, run the mode, set every output.
// Every failure ends in core.setFailed with a message, never an unhandled rejection.
import * as core from "@actions/core";
import { errorMessage } from "../recording/files.ts";
import { logLines } from "../report/untrusted-text.ts";
import { checkPullRequest } from "./check-pull-request.ts";
import { type ActionDependencies, DEFAULT_DEPENDENCIES } from "./dependencies.ts";
import { refuseForkPullRequest } from "./event.ts";
import { type ActionInputs, readInputs } from "./inputs.ts";
import { type ActionOutputs, emptyOutputs, writeOutputs } from "./outputs.ts";
import { publishShards } from "./publish-shards.ts";
import { refreshPullRequest } from "./refresh-pull-request.ts";
import { checkRecordings } from "./replay-recordings.ts";
import { verifyRecordings } from "./verify-recordings.ts";

export async function run(dependencies: ActionDependencies = DEFAULT_DEPENDENCIES): Promise<void> {
  const outputs = emptyOutputs();
  try {
    const inputs = readInputs();
    const failure = await runMode(inputs, outputs, dependencies);
    if (failure) core.setFailed(failure);
  } catch (error) {
    if (error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(logLines(errorMessage(error)));
  } finally {
    writeOutputs(outputs);
  }
}

/** Runs one mode; returns why the step fails, or null. */
function runMode(inputs: ActionInputs, outputs: ActionOutputs, dependencies: ActionDependencies) {
  switch (inputs.mode) {
    case "refresh":
      refuseForkPullRequest(inputs.mode, process.env);
      return refreshPullRequest(inputs, outputs, dependencies);
    case "check":
      refuseForkPullRequest(inputs.mode, process.env);
      return checkRecordings(inputs, outputs);
    case "pr-check":
      return checkPullRequest(inputs, outputs);
    case "verify":
      return verifyRecordings(inputs, outputs);
    case "publish":
      return publishShards(inputs, outputs, dependencies);
  }
}
