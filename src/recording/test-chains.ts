// Chains of recordings within one test (design: "a test, not a file, is the unit"). A
// multi-turn test sends turn 1, gets the stored answer, builds turn 2 from it and looks turn 2
// up by its request hash: so a later request embeds pieces of an earlier answer verbatim. A
// link P → R is drawn when a piece of P's answer — its text (8+ characters), a tool-call id, a
// tool call's arguments string, a response id the recorder did not normalize — is found in a
// string of R's request. Found from the files alone: the recorder keeps no order of its own.

import { isJsonObject, type JsonObject, type JsonValue, objectKeys } from "./json-value.ts";
import type { Recording } from "./recording.ts";

/** Texts shorter than this are too common to prove one answer fed another request. */
export const MIN_TEXT_PIECE = 8;
const NORMALIZED_ID = /^rec-[0-9a-f]{12}$/;

export interface ToolCallPiece {
  id: string | null;
  name: string | null;
  arguments: string | null;
}

/** What a later request can embed of one answer, choice by choice. */
export interface AnswerPieces {
  /** The text of each choice (a stream's deltas joined); "" when it had none. */
  texts: string[];
  /** Every tool call of every choice, in order. */
  toolCalls: ToolCallPiece[];
  /** The response id, when the recorder left it as the provider sent it. */
  responseId: string | null;
}

export type PieceKind = "text" | "tool-call id" | "tool-call arguments" | "response id";

export interface ChainLink {
  /** The file whose answer feeds the request of `to`. */
  from: string;
  to: string;
  /** Which of `from`'s answer pieces were found in `to`'s request. */
  pieces: PieceKind[];
}

export interface TestChain {
  testId: string;
  /** Every file of the test that feeds or is fed, upstream before downstream. */
  files: string[];
  links: ChainLink[];
  /** Set when the links loop, so no order exists: the chain cannot be refreshed. */
  cycle: boolean;
}

/** The answer pieces of a chat or completion recording; null for kinds that cannot feed a request. */
export function answerPieces(recording: Recording): AnswerPieces | null {
  const kind = recording.kind;
  if (kind !== "chat-completion" && kind !== "chat-completion-stream" && kind !== "completion") return null;
  const body = recording.response.body;
  const objects = (Array.isArray(body) ? body : [body]).flatMap((item) =>
    isJsonObject(item) && isJsonObject(item.__data__) ? [item.__data__] : [],
  );
  const texts: string[] = [];
  const calls = new Map<string, ToolCallPiece>();
  let responseId: string | null = null;
  for (const data of objects) {
    if (typeof data.id === "string" && !NORMALIZED_ID.test(data.id)) responseId = data.id;
    for (const choice of asObjects(data.choices)) {
      const index = typeof choice.index === "number" ? choice.index : 0;
      const part = isJsonObject(choice.message)
        ? choice.message
        : isJsonObject(choice.delta)
          ? choice.delta
          : choice;
      const text =
        typeof part.content === "string" ? part.content : typeof part.text === "string" ? part.text : "";
      texts[index] = (texts[index] ?? "") + text;
      for (const [position, call] of asObjects(part.tool_calls).entries()) {
        // A stream sends a call in pieces under its `index`; a message lists whole calls.
        const key = `${index}/${typeof call.index === "number" ? call.index : position}`;
        const piece = calls.get(key) ?? { id: null, name: null, arguments: null };
        const fn = isJsonObject(call.function) ? call.function : {};
        if (typeof call.id === "string" && call.id !== "") piece.id = call.id;
        if (typeof fn.name === "string" && fn.name !== "") piece.name = (piece.name ?? "") + fn.name;
        if (typeof fn.arguments === "string") piece.arguments = (piece.arguments ?? "") + fn.arguments;
        calls.set(key, piece);
      }
    }
  }
  return { texts: Array.from(texts, (t) => t ?? ""), toolCalls: [...calls.values()], responseId };
}

function asObjects(value: JsonValue | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

/** Every string in a request, keys excluded, in document order. */
export function requestStrings(request: JsonValue): string[] {
  const out: string[] = [];
  const walk = (value: JsonValue) => {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) for (const item of value) walk(item);
    else if (isJsonObject(value)) for (const key of objectKeys(value)) walk(value[key] as JsonValue);
  };
  walk(request);
  return out;
}

/**
 * Which of the answer's pieces occur in the request's strings (empty: no link). A piece found in
 * the answer's own request (`own`) is an echo of the input, not something the answer added.
 */
export function linkedPieces(
  pieces: AnswerPieces,
  strings: readonly string[],
  own: readonly string[] = [],
): PieceKind[] {
  const found = new Set<PieceKind>();
  const occurs = (piece: string) =>
    strings.some((s) => s.includes(piece)) && !own.some((s) => s.includes(piece));
  if (pieces.texts.some((text) => text.length >= MIN_TEXT_PIECE && occurs(text))) found.add("text");
  for (const call of pieces.toolCalls) {
    if (call.id && occurs(call.id)) found.add("tool-call id");
    // Arguments as short as `{}` prove nothing on their own.
    if (call.arguments && call.arguments.length >= MIN_TEXT_PIECE && occurs(call.arguments))
      found.add("tool-call arguments");
  }
  if (pieces.responseId && occurs(pieces.responseId)) found.add("response id");
  return [...found];
}

/** One recording as the chain finder needs it. */
export interface ChainCandidate {
  file: string;
  testId: string;
  pieces: AnswerPieces | null;
  strings: readonly string[];
}

/** The chains of one test's recordings (none when no answer feeds another request). */
export function chainOfTest(testId: string, candidates: readonly ChainCandidate[]): TestChain | null {
  const links: ChainLink[] = [];
  for (const from of candidates) {
    if (from.pieces === null) continue;
    for (const to of candidates) {
      if (to === from) continue;
      const pieces = linkedPieces(from.pieces, to.strings, from.strings);
      if (pieces.length > 0) links.push({ from: from.file, to: to.file, pieces });
    }
  }
  if (links.length === 0) return null;
  const members = [...new Set(links.flatMap((link) => [link.from, link.to]))].sort();
  const order = upstreamFirst(members, links);
  return { testId, files: order ?? members, links, cycle: order === null };
}

/** Kahn's order (ties by name, so runs agree), or null when the links loop. */
function upstreamFirst(members: readonly string[], links: readonly ChainLink[]): string[] | null {
  const feeders = new Map(members.map((file) => [file, 0]));
  for (const link of links) feeders.set(link.to, (feeders.get(link.to) ?? 0) + 1);
  const ready = members.filter((file) => feeders.get(file) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort();
    const file = ready.shift() as string;
    order.push(file);
    for (const link of links) {
      if (link.from !== file) continue;
      const left = (feeders.get(link.to) ?? 0) - 1;
      feeders.set(link.to, left);
      if (left === 0) ready.push(link.to);
    }
  }
  return order.length === members.length ? order : null;
}

/**
 * The chains among `files`, test by test. Reads each file once for its test id and answer pieces,
 * then again only for tests that can chain (two or more files, one with an answer), so no more
 * than one test's requests are held at a time. Files that do not read are left out.
 */
export async function findTestChains(
  files: readonly string[],
  read: (file: string) => Promise<Recording | null>,
): Promise<TestChain[]> {
  const byTest = new Map<string, Array<{ file: string; pieces: AnswerPieces | null }>>();
  for (const file of files) {
    const recording = await read(file);
    if (recording === null || recording.testId === null) continue;
    const group = byTest.get(recording.testId) ?? [];
    group.push({ file, pieces: answerPieces(recording) });
    byTest.set(recording.testId, group);
  }
  const chains: TestChain[] = [];
  for (const [testId, group] of byTest) {
    if (group.length < 2 || group.every((entry) => entry.pieces === null)) continue;
    const candidates: ChainCandidate[] = [];
    for (const entry of group) {
      const recording = await read(entry.file);
      if (recording === null) continue;
      candidates.push({ ...entry, testId, strings: requestStrings(recording.request) });
    }
    const chain = chainOfTest(testId, candidates);
    if (chain) chains.push(chain);
  }
  return chains;
}
