// Mode `verify`: are the recordings valid, round-tripping and named by their request hash, with
// no credentials in them. A file that fails verification (invalid, misnamed, a credential) counts
// as `failed` and fails the step; the others count as `unchanged` (a reformatted one is a
// warning). The JSON report is `verify --json`'s.
import path from "node:path";
import * as core from "@actions/core";
import { failedByProblems, recordingProblems } from "../commands/recording-problems.ts";
import { type VerifyResult, verify } from "../commands/verify.ts";
import { readText, writeFileAtomic } from "../recording/files.ts";
import { readRecording } from "../recording/recording.ts";
import { type CheckResult, makeReport } from "../report/check-report.ts";
import { logText } from "../report/untrusted-text.ts";
import { failedRecordingsMessage } from "../report/verify-problems.ts";
import { failsVerification } from "../report/verify-report.ts";
import { formatVerifyText } from "../report/verify-text.ts";
import { annotate } from "./annotations.ts";
import type { ActionInputs } from "./inputs.ts";
import { writeJobSummary } from "./job-summary.ts";
import type { ActionOutputs } from "./outputs.ts";

export async function verifyRecordings(
  inputs: Extract<ActionInputs, { mode: "verify" }>,
  outputs: ActionOutputs,
): Promise<string | null> {
  const verified = await core.group("Verify recordings", async () => {
    const found = await verify({ paths: inputs.paths, cwd: inputs.workspace });
    for (const problem of found.problems)
      core.warning(`${logText(problem.path)}: ${logText(problem.message)}`);
    core.info(formatVerifyText(found));
    return found;
  });
  const { problems: notFound, ...json } = verified;
  await writeFileAtomic(inputs.reportJson, `${JSON.stringify(json, null, 2)}\n`);
  const report = makeReport(
    await Promise.all(verified.results.map((result) => asCheckResult(result, inputs.workspace))),
  );
  // One report for all: the outputs, the summary table and the failure count the same results.
  outputs.summary = report.summary;
  outputs.reportJson = inputs.reportJson;
  const failure =
    report.summary.total === 0
      ? "no recordings found"
      : failedRecordingsMessage(report, ["fails verification", "fail verification"]);
  annotate(report.results, { error: failure ? 1 : 0, warning: notFound.length });
  await writeJobSummary(report, {
    title: "recording-drift verify",
    filesOnly: true,
    fullReport: `in the file named by the report-json output (${inputs.reportJson})`,
  });
  return failure;
}

async function asCheckResult(result: VerifyResult, workspace: string): Promise<CheckResult> {
  const clean = !failsVerification(result) && result.roundTrip !== "different";
  // Lines for annotations come from the text: read it again only for files with problems.
  const text = clean ? null : await readText(path.resolve(workspace, result.file)).catch(() => null);
  const read = text === null ? null : readRecording(text, result.file);
  return failedByProblems({
    file: result.file,
    testId: null,
    endpoint: null,
    model: null,
    provider: null,
    verdict: "unchanged",
    similarity: null,
    reasons: [],
    problems: clean ? [] : recordingProblems(result, text, read?.ok ? read.recording : null),
  });
}
