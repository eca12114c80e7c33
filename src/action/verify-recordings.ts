// Mode `verify`: are the recordings valid, round-tripping and named by their request hash, with
// no credentials in them. Valid files count as `unchanged` and invalid ones as `failed` in the
// outputs and the summary table; the JSON report is `verify --json`'s.
import path from "node:path";
import * as core from "@actions/core";
import { recordingProblems } from "../commands/recording-problems.ts";
import { type VerifyResult, verify } from "../commands/verify.ts";
import { readText, writeFileAtomic } from "../recording/files.ts";
import { readRecording } from "../recording/recording.ts";
import { type CheckResult, makeReport } from "../report/check-report.ts";
import { logText } from "../report/untrusted-text.ts";
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
  const { problems: _notFound, ...json } = verified;
  await writeFileAtomic(inputs.reportJson, `${JSON.stringify(json, null, 2)}\n`);
  const report = makeReport(
    await Promise.all(verified.results.map((result) => asCheckResult(result, inputs.workspace))),
  );
  outputs.summary = report.summary;
  outputs.reportJson = inputs.reportJson;
  annotate(report.results);
  await writeJobSummary(report, {
    title: "recording-drift verify",
    fullReport: `in the file named by the report-json output (${inputs.reportJson})`,
  });
  const { total, invalid, withSecrets } = verified.summary;
  if (total === 0) return "no recordings found";
  if (invalid > 0 || withSecrets > 0) {
    return `${invalid} invalid recordings, ${withSecrets} with credential-looking strings (see the annotations)`;
  }
  return null;
}

async function asCheckResult(result: VerifyResult, workspace: string): Promise<CheckResult> {
  const clean =
    result.valid &&
    result.hash !== "mismatch" &&
    result.secrets.length === 0 &&
    result.roundTrip !== "different";
  // Lines for annotations come from the text: read it again only for files with problems.
  const text = clean ? null : await readText(path.resolve(workspace, result.file)).catch(() => null);
  const read = text === null ? null : readRecording(text, result.file);
  return {
    file: result.file,
    testId: null,
    endpoint: null,
    model: null,
    provider: null,
    verdict: result.valid ? "unchanged" : "failed",
    similarity: null,
    reasons: result.errors,
    problems: clean ? [] : recordingProblems(result, text, read?.ok ? read.recording : null),
  };
}
