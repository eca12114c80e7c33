// The harness the chain tests judge a refresh by: it plays each test as llama-stack's replay mode
// does — send turn 1, take the stored answer, build turn 2 from it, hash turn 2's request by the
// recorder's rules and look the file up. Written apart from src/refresh's rebuild on purpose:
// each piece is replaced wherever it occurs, by what the test would now have received.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { checkFileName } from "../../src/recording/file-name.ts";
import { parseJson } from "../../src/recording/json-read.ts";
import type { JsonObject, JsonValue } from "../../src/recording/json-value.ts";
import { readRecording } from "../../src/recording/recording.ts";
import { hashNormalized, inferenceHashInput } from "../../src/recording/request-hash.ts";
import { type AnswerPieces, answerPieces, findTestChains } from "../../src/recording/test-chains.ts";
import { mapStrings } from "../../src/refresh/chain-rebuild.ts";
import { listJson } from "./check-setup.ts";

function readTree(file: string): JsonObject {
  return parseJson(readFileSync(file, "utf8")) as JsonObject;
}

/** The pieces of `before` a later request embeds, each paired with its value in `after`. */
function changedPieces(before: AnswerPieces, after: AnswerPieces): Array<[string, string]> {
  const pairs: Array<[string, string]> = before.texts.map((text, i) => [text, after.texts[i] ?? ""]);
  for (const [i, call] of before.toolCalls.entries()) {
    const now = after.toolCalls[i];
    if (call.id && now?.id) pairs.push([call.id, now.id]);
    if (call.arguments && now?.arguments) pairs.push([call.arguments, now.arguments]);
  }
  return pairs.filter(([old, now]) => old !== "" && old !== now);
}

/**
 * Plays every test of `originalRoot` (the recordings before a refresh) against `dir` (after it):
 * each request is the stored one with the pieces of the answers it embedded replaced by what the
 * test would now have received (a recording in no chain, by its own request). Returns the files found, sorted, and
 * the requests no file answers.
 */
export async function replayHarness(
  originalRoot: string,
  dir: string,
): Promise<{ found: Set<string>; missing: string[]; files: string[] }> {
  // No file of that name is what the replaying test meets as "Recording not found".
  const read = async (file: string) => {
    const result = existsSync(file) ? readRecording(readFileSync(file, "utf8"), file) : null;
    return result?.ok ? result.recording : null;
  };
  const originals = listJson(originalRoot).map((f) => path.join(originalRoot, f));
  const found = new Set<string>();
  const missing: string[] = [];
  // A recording whose name is not its request's hash was never found by its test: in no chain.
  const reachable = async (file: string) => {
    const recording = await read(file);
    return recording && checkFileName(recording, file) !== "mismatch" ? recording : null;
  };
  const chains = await findTestChains(originals, reachable);
  // Recordings outside every chain are looked up by their own unchanged request.
  const chained = new Set(chains.flatMap((chain) => chain.files));
  for (const file of originals) {
    if (chained.has(file)) continue;
    const name = path.relative(originalRoot, file);
    if ((await read(path.join(dir, name))) === null) missing.push(name);
    else found.add(name);
  }
  for (const chain of chains) {
    const nowAnswered = new Map<string, AnswerPieces>();
    for (const file of chain.files) {
      const tree = readTree(file);
      let request = tree.request as JsonObject;
      // Two earlier turns may have answered the same piece: it is replaced once.
      const pieces = new Map<string, string>();
      for (const link of chain.links.filter((l) => l.to === file)) {
        const before = answerPieces((await read(link.from))!)!;
        const after = nowAnswered.get(link.from);
        if (after) for (const [old, now] of changedPieces(before, after)) pieces.set(old, now);
      }
      for (const [old, now] of pieces)
        request = mapStrings(request, (text) => text.split(old).join(now)) as JsonObject;
      const hash = recorderHash(request, tree.test_id);
      const name = path.join(path.relative(originalRoot, path.dirname(file)), `${hash}.json`);
      const answer = await read(path.join(dir, name));
      if (answer === null) {
        missing.push(`${chain.testId}: ${path.basename(file)}`);
        break;
      }
      found.add(name);
      nowAnswered.set(file, answerPieces(answer)!);
    }
  }
  return { found, missing, files: [...found].sort() };
}

/** The hash the recorder names an inference request's file by (the test's lookup key). */
export function recorderHash(request: JsonObject, testId: JsonValue | undefined): string {
  return hashNormalized(
    inferenceHashInput(request.method as string, request.url as string, request.body as JsonValue, testId),
  );
}
