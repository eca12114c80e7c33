// Test support for compare/: load a real recording as its stored Capture, make a copy look like a
// fresh live answer (new ids, timestamps, fingerprints…), and mutate it the ways providers drift.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { AnswerFamily, Capture, Endpoint, ProviderError } from "../../src/capture.ts";
import { storedCapture } from "../../src/recording/stored-capture.ts";

type Json = Record<string, unknown>;

const CORPUS = fileURLToPath(new URL("../fixtures/corpus/", import.meta.url));

export function loadRecording(path: string): unknown {
  return JSON.parse(readFileSync(CORPUS + path, "utf8")) as unknown;
}

export function storedFixture(path: string, endpoint: AnswerFamily): Capture {
  return storedCapture(loadRecording(path), endpoint);
}

function isJson(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---- making it live -------------------------------------------------------------------------

/** Rewrites every field that changes on each real call, at any depth, as a live provider would. */
function freshen(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item) => freshen(item, seed));
  if (!isJson(value)) return value;
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) {
    const isModelId = key === "id" && value.object === "model";
    if (
      (key === "id" || key === "request_id" || key === "interaction_id") &&
      typeof item === "string" &&
      !isModelId
    ) {
      out[key] = `${item.startsWith("call_") ? "call" : "live"}_${seed}x${item.length}`;
    } else if (key === "created" || key === "updated" || key === "created_at") {
      out[key] = typeof item === "string" ? `2026-06-0${seed % 9}T12:00:00Z` : 1_780_000_000 + seed;
    } else if (key === "system_fingerprint") {
      out[key] = `fp_live${seed}`;
    } else if (key === "obfuscation") {
      out[key] = "x".repeat(3 + ((seed * 7) % 11));
    } else if (key === "service_tier") {
      out[key] = "default";
    } else if (key === "signature") {
      out[key] = Buffer.from(`live-${seed}`).toString("base64");
    } else {
      out[key] = freshen(item, seed);
    }
  }
  return out;
}

/** Freshens the JSON inside `data:` lines of a raw SSE stream. */
function freshenSseLine(line: unknown, seed: number): unknown {
  if (typeof line !== "string" || !line.startsWith("data: {")) return line;
  return `data: ${JSON.stringify(freshen(JSON.parse(line.slice(6)), seed))}`;
}

/** A copy of a stored capture as the live provider would send the same answer today. */
export function makeLive(stored: Capture, seed = 1): Capture {
  const rawLines = stored.endpoint === "passthrough" && stored.streaming && Array.isArray(stored.body);
  const body = rawLines
    ? (stored.body as unknown[]).map((line) => freshenSseLine(line, seed))
    : freshen(stored.body, seed);
  return { ...structuredClone(stored), body };
}

// ---- shapes of chat answers ------------------------------------------------------------------

export function chunksOf(capture: Capture): Json[] {
  return Array.isArray(capture.body) ? (capture.body as Json[]) : [capture.body as Json];
}

function firstChoice(chunk: Json): Json | undefined {
  const choices = chunk.choices as Json[] | undefined;
  return choices?.[0];
}

/** The delta (stream) or message (non-stream) of a chunk's first choice. */
function messageOf(chunk: Json): Json | undefined {
  const choice = firstChoice(chunk);
  return (choice?.delta ?? choice?.message) as Json | undefined;
}

/** Splits `text` into pieces of `size` characters (at least one piece). */
function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length ? out : [""];
}

/**
 * Replaces a chat answer's text. A stream's content deltas are re-cut into pieces of `size`
 * characters, so chunk boundaries differ from the recording's as well.
 */
export function withChatText(capture: Capture, edit: (text: string) => string, size = 7): Capture {
  const live = structuredClone(capture);
  if (!live.streaming) {
    const message = messageOf(live.body as Json)!;
    message.content = edit(String(message.content ?? ""));
    return live;
  }
  const chunks = live.body as Json[];
  const bearing = chunks.filter(
    (chunk) => typeof messageOf(chunk)?.content === "string" && messageOf(chunk)?.content !== "",
  );
  const text = bearing.map((chunk) => messageOf(chunk)!.content as string).join("");
  const template = bearing[0]!;
  const at = chunks.indexOf(template);
  const rest = chunks.filter((chunk) => !bearing.includes(chunk));
  const fresh = pieces(edit(text), size).map((piece) => {
    const chunk = structuredClone(template);
    messageOf(chunk)!.content = piece;
    return chunk;
  });
  rest.splice(at, 0, ...fresh);
  live.body = rest;
  return live;
}

export function withCompletionText(capture: Capture, edit: (text: string) => string): Capture {
  const live = structuredClone(capture);
  const chunks = chunksOf(live);
  const text = chunks.map((chunk) => String(firstChoice(chunk)?.text ?? "")).join("");
  chunks.forEach((chunk, i) => {
    firstChoice(chunk)!.text = i === 0 ? edit(text) : "";
  });
  return live;
}

export interface ToolCallSpec {
  name: string;
  arguments: string;
}

/** The tool calls of a chat answer, as the test's code would read them. */
export function toolCallsOf(capture: Capture): ToolCallSpec[] {
  const calls: ToolCallSpec[] = [];
  for (const chunk of chunksOf(capture)) {
    for (const call of (messageOf(chunk)?.tool_calls as Json[] | null) ?? []) {
      const fn = call.function as Json;
      if (fn.name) calls.push({ name: String(fn.name), arguments: String(fn.arguments ?? "") });
      else calls.at(-1)!.arguments += String(fn.arguments ?? "");
    }
  }
  return calls;
}

/**
 * Replaces a chat answer's tool calls. In a stream each call is sent the OpenAI way: a first
 * delta with id, type, name and empty arguments, then argument fragments of `size` characters.
 */
export function withToolCalls(capture: Capture, calls: ToolCallSpec[], size = 5): Capture {
  const live = structuredClone(capture);
  const chunks = chunksOf(live);
  const toolCall = (call: ToolCallSpec, i: number): Json => ({
    id: `call_new${i}`,
    function: { arguments: call.arguments, name: call.name },
    type: "function",
  });
  if (!live.streaming) {
    messageOf(chunks[0]!)!.tool_calls = calls.map(toolCall);
    return live;
  }
  const bearing = chunks.filter((chunk) => Array.isArray(messageOf(chunk)?.tool_calls));
  const template = bearing[0]!;
  const at = chunks.indexOf(template);
  const delta = (toolCalls: Json[]): Json => {
    const chunk = structuredClone(template);
    messageOf(chunk)!.tool_calls = toolCalls;
    return chunk;
  };
  const fresh = calls.flatMap((call, i) => [
    delta([{ index: i, ...toolCall({ ...call, arguments: "" }, i) }]),
    ...pieces(call.arguments, size).map((fragment) =>
      delta([{ index: i, id: null, function: { arguments: fragment, name: null }, type: null }]),
    ),
  ]);
  const rest = chunks.filter((chunk) => !bearing.includes(chunk));
  rest.splice(at, 0, ...fresh);
  live.body = rest;
  return live;
}

/** Applies `edit` to every choice of every chunk (finish_reason, logprobs, …). */
export function editChoices(capture: Capture, edit: (choice: Json) => void): Capture {
  const live = structuredClone(capture);
  for (const chunk of chunksOf(live))
    for (const choice of (chunk.choices as Json[] | undefined) ?? []) edit(choice);
  return live;
}

/** Applies `edit` to every chunk (or the one object): model, usage, …. */
export function editChunks(capture: Capture, edit: (chunk: Json) => void): Capture {
  const live = structuredClone(capture);
  for (const chunk of chunksOf(live)) edit(chunk);
  return live;
}

// ---- passthrough streams ---------------------------------------------------------------------

/** Raw SSE lines for JSON events, the way Ollama and Gemini write them. */
export function sseLines(events: Json[]): string[] {
  return events.flatMap((event) => [
    `event: ${event.type ?? event.event_type}`,
    `data: ${JSON.stringify(event)}`,
    "",
  ]);
}

/**
 * Rewrites a streaming passthrough's events: `edit` maps each JSON event to the events that
 * replace it (none to drop it). Non-JSON events such as `[DONE]` are kept as they are.
 */
export function editSseEvents(capture: Capture, edit: (event: Json) => Json[]): Capture {
  const lines = capture.body as string[];
  const out: string[] = [];
  let block: string[] = [];
  for (const line of [...lines, ""]) {
    if (line !== "") {
      block.push(line);
      continue;
    }
    const data = block.find((item) => item.startsWith("data: {"));
    if (data) out.push(...sseLines(edit(JSON.parse(data.slice(6)) as Json)));
    else if (block.length) out.push(...block, "");
    block = [];
  }
  return { ...structuredClone(capture), body: out };
}

// ---- errors ------------------------------------------------------------------------------------

export function liveError(endpoint: Endpoint, error: ProviderError, streaming = false): Capture {
  return { endpoint, streaming, status: error.status ?? 200, body: null, error };
}

/** A stream that broke after `keep` chunks with an error event. */
export function brokenStream(capture: Capture, keep: number, error: ProviderError): Capture {
  const live = structuredClone(capture);
  live.body = (live.body as unknown[]).slice(0, keep);
  live.error = error;
  return live;
}
