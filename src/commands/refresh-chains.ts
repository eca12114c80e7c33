// Refreshing one test's chain so the test can still replay it. The check pass judged every
// recording with its stored request; here, head first, each selected answer is rewritten and
// each later request that embedded a changed piece of it is rebuilt (the new piece where the old
// one was), replayed, and written under the name the recorder would give it (its new request
// hash), the old file removed. Anything that is not a mechanical rebuild leaves the whole chain
// exactly as it was and says why: the test needs re-recording by its own recorder.
import path from "node:path";
import type { Capture } from "../capture.ts";
import { compareCaptures } from "../compare/compare-captures.ts";
import type { Comparison } from "../compare/verdict.ts";
import { expectedFileName, requestHash } from "../recording/file-name.ts";
import { contentDigest, errorMessage, fileDigest, readText, toPosix } from "../recording/files.ts";
import {
  type JsonObject,
  type JsonValue,
  newJsonObject,
  objectKeys,
  setKey,
  toPlain,
} from "../recording/json-value.ts";
import { type Recording, readRecording } from "../recording/recording.ts";
import { storedCapture } from "../recording/stored-capture.ts";
import { type AnswerPieces, answerPieces, type TestChain } from "../recording/test-chains.ts";
import { writeRecordingText } from "../recording/write-recording.ts";
import {
  answerChange,
  consistentReplacements,
  type FeederChange,
  mapStrings,
  type Replacement,
  substitutePieces,
  unlocatedPieces,
} from "../refresh/chain-rebuild.ts";
import { refreshRecording } from "../refresh/refresh-recording.ts";
import { recordedIdHash } from "../refresh/refreshed-file-name.ts";
import { replayAll } from "../replay/replay.ts";
import type { CheckOptions } from "./check.ts";
import type { CompareOptionsFor } from "./compare-options.ts";
import type { FileChanges } from "./refresh-journal.ts";
import { type ChainPatch, ChangedDuringRun, type PlannedWrite, writeChain } from "./write-chain.ts";

/** What the check pass found for a chain member the update policy selects and whose answer changed. */
export interface StashedJudgement {
  live: Capture;
  comparison: Comparison;
}

export interface ChainRefreshContext {
  options: Pick<CheckOptions, "cwd" | "config" | "providerOverrides" | "env" | "signal"> & {
    dryRun: boolean;
    changes: FileChanges;
  };
  optionsFor: CompareOptionsFor;
  /** The chain members to rewrite with their own live answer, by absolute path. */
  judged: ReadonlyMap<string, StashedJudgement>;
  /** The sha256 of each chain member the check pass judged, as it judged it, by absolute path. */
  judgedDigests: ReadonlyMap<string, string>;
  /** Requests left under `--max-requests` for rebuilt requests (shared by every chain). */
  budget: { left: number; limit: number | null };
}

export type { ChainPatch } from "./write-chain.ts";

class NeedsReRecord extends Error {}

export async function refreshChain(
  chain: TestChain,
  context: ChainRefreshContext,
): Promise<Map<string, ChainPatch>> {
  const shown = (file: string) => toPosix(path.relative(context.options.cwd, file));
  try {
    const writes = await planChain(chain, context, shown);
    return await writeChain(writes, context.options, shown);
  } catch (error) {
    if (error instanceof ChangedDuringRun) {
      return changedDuringRun(chain, await editedFiles(chain, error.file, context), shown);
    }
    // Only a chain no rebuild can follow needs re-recording; a failed write or a spent budget
    // leaves it as it was for the next run.
    const patch: ChainPatch =
      error instanceof NeedsReRecord
        ? { refreshed: false, needsReRecord: error.message }
        : { refreshed: false, note: `its test's chain was not refreshed: ${errorMessage(error)}` };
    return new Map(chain.files.map((file) => [shown(file), patch]));
  }
}

/** `found` and every other member no longer holding the bytes the check pass judged. */
async function editedFiles(
  chain: TestChain,
  found: string,
  context: ChainRefreshContext,
): Promise<Set<string>> {
  const edited = new Set([found]);
  for (const file of chain.files) {
    const judged = context.judgedDigests.get(file);
    const now = await fileDigest(file).catch(() => null);
    if (judged !== undefined && now !== judged) edited.add(file);
  }
  return edited;
}

/**
 * The edited members fail as `check` fails a file edited while its request is in flight; the
 * others say why their chain was left as it is.
 */
function changedDuringRun(
  chain: TestChain,
  edited: ReadonlySet<string>,
  shown: (file: string) => string,
): Map<string, ChainPatch> {
  const names = [...edited].map(shown).join(", ");
  const note = `its test's chain was not refreshed: ${names} changed on disk during the run`;
  return new Map(
    chain.files.map((file): [string, ChainPatch] => [
      shown(file),
      edited.has(file)
        ? {
            refreshed: false,
            verdict: "failed",
            similarity: null,
            reasons: ["recording changed during the run: the file changed on disk after it was judged"],
          }
        : { refreshed: false, note },
    ]),
  );
}

async function planChain(
  chain: TestChain,
  context: ChainRefreshContext,
  shown: (file: string) => string,
): Promise<PlannedWrite[]> {
  if (chain.cycle) throw new NeedsReRecord("its recordings embed each other's answers in a loop");
  const replacementsOf = new Map<string, FeederChange>();
  const writes: PlannedWrite[] = [];
  for (const file of chain.files) {
    const { recording, digest } = await readRecordingFile(file);
    const judgedDigest = context.judgedDigests.get(file);
    if (judgedDigest !== undefined && judgedDigest !== digest) throw new ChangedDuringRun(file);
    const replacements = consistentReplacements(
      chain.links.filter((link) => link.to === file).map((link) => link.from),
      replacementsOf,
    );
    if (!Array.isArray(replacements)) {
      const [one, other] = replacements.conflict.map(shown);
      throw new NeedsReRecord(
        `${one} and ${other} ${replacements.reason}: which one a later request embeds is unknown`,
      );
    }
    let sent = recording;
    let live: Capture;
    let rebuiltComparison: Comparison | null = null;
    if (replacements.length === 0) {
      const judged = context.judged.get(file);
      // Not replayed, not selected, or unchanged: kept as it is, and so is what it feeds.
      if (judged === undefined) {
        replacementsOf.set(file, { pieces: piecesOf(recording), replacements: [] });
        continue;
      }
      live = judged.live;
    } else {
      sent = rebuiltRequest(file, recording, replacements);
      live = await replayOne(sent, file, context);
      rebuiltComparison = compareCaptures(
        storedCapture(toPlain(recording.data), sent.replay as NonNullable<Recording["replay"]>),
        [live],
        context.optionsFor(recording.testId, null),
      );
      if (rebuiltComparison.verdict === "failed" || rebuiltComparison.verdict === "rejected") {
        throw new NeedsReRecord(
          `the rebuilt request of ${shown(file)} was not answered: ${rebuiltComparison.reasons.join("; ")}`,
        );
      }
    }
    const name =
      replacements.length === 0 ? path.basename(file) : (expectedFileName(sent) ?? path.basename(file));
    let refreshed = refreshRecording(sent, live, name);
    const change = answerChange(piecesOf(recording), piecesOf(readBack(refreshed, name)));
    if (!change.mechanical && chain.links.some((link) => link.from === file)) {
      throw new NeedsReRecord(
        `${shown(file)} now answers so that its test's later requests cannot be rebuilt: ${change.reason}`,
      );
    }
    if (change.mechanical && change.keptIds.size > 0) refreshed = keepStoredIds(refreshed, change.keptIds);
    replacementsOf.set(file, {
      pieces: piecesOf(recording),
      replacements: change.mechanical ? change.replacements : [],
    });
    writes.push({
      file,
      target: path.join(path.dirname(file), name),
      text: writeRecordingText(refreshed),
      comparison: rebuiltComparison,
      digest,
    });
  }
  return writes;

  /** The recording as its test now sends it: the new pieces in its request, ids for its new hash. */
  function rebuiltRequest(file: string, recording: Recording, replacements: Replacement[]): Recording {
    if (recording.replay === null) {
      throw new NeedsReRecord(
        `${shown(file)} embeds a changed answer but cannot be replayed: ${recording.notReplayable}`,
      );
    }
    const missing = unlocatedPieces(recording.request, replacements);
    if (missing.length > 0) {
      throw new NeedsReRecord(
        `a changed answer piece cannot be located in the request of ${shown(file)}: ${JSON.stringify(clip(missing[0] as string))}`,
      );
    }
    const request = substitutePieces(recording.request, replacements);
    const data = newJsonObject();
    for (const key of objectKeys(recording.data)) setKey(data, key, recording.data[key] as JsonValue);
    data.request = request;
    const rebuilt = readBack(data, path.basename(file));
    // The recorder names ids after the request hash: under the new one, the stored ids move too.
    const oldIds = recordedIdHash(recording, file);
    const newHash = requestHash(rebuilt);
    if (oldIds === null || newHash === null) return rebuilt;
    const from = `rec-${oldIds}`;
    const to = `rec-${newHash.slice(0, 12)}`;
    data.response = mapStrings(recording.response, (text) => (text === from ? to : text));
    return readBack(data, expectedFileName(rebuilt) ?? path.basename(file));
  }
}

async function readRecordingFile(file: string): Promise<{ recording: Recording; digest: string }> {
  const text = await readText(file);
  const read = readRecording(text, file);
  if (!read.ok) throw new NeedsReRecord(`${file} does not read: ${read.errors[0]}`);
  return { recording: read.recording, digest: contentDigest(text) };
}

/** The recording `data` reads back as (a refreshed answer the reader refuses is never written). */
function readBack(data: JsonObject, name: string): Recording {
  const read = readRecording(writeRecordingText(data), name);
  if (!read.ok) throw new Error(`the refreshed recording would not read back: ${read.errors[0]}`);
  return read.recording;
}

function piecesOf(recording: Recording): AnswerPieces {
  return answerPieces(recording) ?? { texts: [], toolCalls: [], responseId: null };
}

/** The refreshed file with the stored tool-call ids back in place of the new ones. */
function keepStoredIds(refreshed: JsonObject, kept: ReadonlyMap<string, string>): JsonObject {
  const out = newJsonObject();
  for (const key of objectKeys(refreshed)) {
    const value = refreshed[key] as JsonValue;
    setKey(out, key, key === "response" ? mapStrings(value, (text) => kept.get(text) ?? text) : value);
  }
  return out;
}

/** One replay of a rebuilt request; the reason it failed is the reason the chain needs re-recording. */
async function replayOne(sent: Recording, file: string, context: ChainRefreshContext): Promise<Capture> {
  const { options, budget } = context;
  if (budget.left < 1) throw new Error(`over budget (--max-requests ${budget.limit})`);
  budget.left--;
  const target = {
    file,
    testId: sent.testId,
    endpoint: sent.replay as NonNullable<Recording["replay"]>,
    streaming: sent.streaming,
    request: toPlain(sent.request),
  };
  for await (const result of replayAll([target], {
    config: options.config,
    providerOverrides: options.providerOverrides,
    env: options.env,
    samples: 1,
    signal: options.signal,
  })) {
    const { outcome } = result;
    if (outcome.kind === "captured") return outcome.samples[0] as Capture;
    throw new NeedsReRecord(
      `the rebuilt request of ${toPosix(path.relative(options.cwd, file))} was ${outcome.kind}: ${outcome.reason}`,
    );
  }
  throw new Error("the replay gave no result");
}

function clip(text: string): string {
  return text.length <= 80 ? text : `${text.slice(0, 77)}...`;
}
