// Makes stored data look like what a live API sends today: fresh ids, `created` and
// `system_fingerprint`, new `obfuscation` and tool-call ids, `null` fields left out, keys in the
// API's own order, and a stream cut at different places (same text). Code that only works
// against the stored bytes fails against this.

import { isObject } from "./expectations.ts";

export type Random = () => number;

/** A small seeded generator, so a failing run can be repeated with its seed. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function token(random: Random, length: number, alphabet = ALNUM): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

/** Key order as the OpenAI API writes each object (unknown keys keep their order, after these). */
const WIRE_ORDER: Record<string, string[]> = {
  "chat.completion": [
    "id",
    "object",
    "created",
    "model",
    "choices",
    "usage",
    "service_tier",
    "system_fingerprint",
  ],
  "chat.completion.chunk": [
    "id",
    "object",
    "created",
    "model",
    "service_tier",
    "system_fingerprint",
    "choices",
    "usage",
    "obfuscation",
  ],
  text_completion: ["id", "object", "created", "model", "system_fingerprint", "choices", "usage"],
  list: ["object", "data", "model", "usage"],
  embedding: ["object", "index", "embedding"],
  model: ["id", "object", "created", "owned_by"],
  choices: ["index", "message", "delta", "text", "logprobs", "finish_reason"],
  message: ["role", "content", "refusal", "annotations", "tool_calls", "function_call", "audio"],
  tool_calls: ["index", "id", "type", "function"],
  function: ["name", "arguments"],
  usage: [
    "prompt_tokens",
    "completion_tokens",
    "total_tokens",
    "prompt_tokens_details",
    "completion_tokens_details",
  ],
};

/**
 * Drops `null` declared fields (openai-python writes a missing one as null anyway) and puts keys in
 * wire order, all the way down. A null extra stays: the recorder stored it because the wire sent it.
 */
export function toWireShape(value: unknown, context = ""): unknown {
  if (Array.isArray(value)) return value.map((item) => toWireShape(item, context));
  if (!isObject(value)) return value;
  const kind = typeof value.object === "string" ? value.object : context === "delta" ? "message" : context;
  const order = WIRE_ORDER[kind] ?? [];
  const keys = Object.keys(value).sort((a, b) => rank(order, a) - rank(order, b));
  const out: Record<string, unknown> = {};
  // Defined, not assigned: a key such as `__proto__` stays an ordinary key, as on the wire.
  for (const key of keys)
    if (value[key] !== null || !order.includes(key))
      Object.defineProperty(out, key, {
        value: toWireShape(value[key], key),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  return out;
}

function rank(order: string[], key: string): number {
  const i = order.indexOf(key);
  return i === -1 ? order.length : i;
}

/** One live answer's fresh identity, shared by every chunk of a stream. */
export class LiveIdentity {
  readonly created = Math.floor(Date.now() / 1000);
  readonly fingerprint: string;
  readonly #toolCallIds = new Map<string, string>();
  readonly #ids = new Map<string, string>();

  constructor(private readonly random: Random) {
    this.fingerprint = `fp_${token(random, 10, "0123456789abcdef")}`;
  }

  /** Rewrites one stored object (a completion, a chunk, an embedding list) in place. */
  apply(data: Record<string, unknown>): void {
    if (data.object === "model") return;
    this.applyRecorded(data);
    if (typeof data.system_fingerprint === "string") data.system_fingerprint = this.fingerprint;
    this.#walk(data);
  }

  /** Rewrites only what the recorder normalizes (id, created, created_at): nothing else moves. */
  applyRecorded(data: Record<string, unknown>): void {
    if (data.object === "model") return;
    if (typeof data.id === "string") data.id = this.#id(data.object);
    if (typeof data.created === "number") data.created = this.created;
    if (typeof data.created_at === "string") data.created_at = new Date(this.created * 1000).toISOString();
  }

  obfuscation(): string {
    return token(this.random, 1 + Math.floor(this.random() * 16));
  }

  #id(object: unknown): string {
    const prefix = object === "text_completion" ? "cmpl-" : "chatcmpl-";
    let id = this.#ids.get(prefix);
    if (id === undefined) {
      id = prefix + token(this.random, 29);
      this.#ids.set(prefix, id);
    }
    return id;
  }

  #walk(value: unknown, parent = ""): void {
    if (Array.isArray(value)) {
      for (const item of value) this.#walk(item, parent);
      return;
    }
    if (!isObject(value)) return;
    if (typeof value.obfuscation === "string") value.obfuscation = this.obfuscation();
    if (parent === "tool_calls" && typeof value.id === "string") {
      const fresh = this.#toolCallIds.get(value.id) ?? `call_${token(this.random, 24)}`;
      this.#toolCallIds.set(value.id, fresh);
      value.id = fresh;
    }
    for (const [key, child] of Object.entries(value)) this.#walk(child, key);
  }
}

/**
 * Cuts a stream at different places: some text deltas split in two, some neighbouring ones
 * merged (only those of one choice: a stream with `n` > 1 interleaves its choices). The text of
 * each choice, the tool calls and the final chunk stay the same.
 */
export function resplit(chunks: Record<string, unknown>[], random: Random): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const chunk of chunks) {
    const previous = out.at(-1);
    if (
      previous &&
      random() < 0.35 &&
      isPlainText(previous) &&
      isPlainText(chunk) &&
      sameChoice(previous, chunk)
    ) {
      setText(previous, textOf(previous) + textOf(chunk));
      continue;
    }
    const chars = isSplittable(chunk) ? Array.from(textOf(chunk)) : [];
    if (chars.length >= 2 && random() < 0.5) {
      const cut = 1 + Math.floor(random() * (chars.length - 1));
      const head = structuredClone(chunk);
      const tail = structuredClone(chunk);
      setText(head, chars.slice(0, cut).join(""));
      firstChoice(head).finish_reason = null;
      setText(tail, chars.slice(cut).join(""));
      const delta = firstChoice(tail).delta;
      if (isObject(delta)) for (const key of Object.keys(delta)) if (key !== "content") delta[key] = null;
      out.push(head, tail);
      continue;
    }
    out.push(chunk);
  }
  return out;
}

/** Both chunks carry the same choice (with `n` > 1 a stream interleaves several). */
function sameChoice(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return (firstChoice(a).index ?? 0) === (firstChoice(b).index ?? 0);
}

function firstChoice(chunk: Record<string, unknown>): Record<string, unknown> {
  const choices = chunk.choices as Record<string, unknown>[];
  return choices[0] as Record<string, unknown>;
}

/** One choice with text, no logprobs (they are tied to the tokens) and no usage. */
function isSplittable(chunk: Record<string, unknown>): boolean {
  const choices = chunk.choices;
  if (!Array.isArray(choices) || choices.length !== 1 || chunk.usage != null) return false;
  const choice = choices[0];
  return isObject(choice) && choice.logprobs == null && textOf(chunk) !== "";
}

/** Splittable, and carrying nothing but text (so it can merge into its neighbour). */
function isPlainText(chunk: Record<string, unknown>): boolean {
  if (!isSplittable(chunk)) return false;
  const choice = firstChoice(chunk);
  if (choice.finish_reason != null) return false;
  if (!isObject(choice.delta)) return "text" in choice;
  return Object.entries(choice.delta).every(([key, v]) => key === "content" || v == null);
}

function textOf(chunk: Record<string, unknown>): string {
  const choice = firstChoice(chunk);
  const text = isObject(choice.delta) ? choice.delta.content : choice.text;
  return typeof text === "string" ? text : "";
}

function setText(chunk: Record<string, unknown>, text: string): void {
  const choice = firstChoice(chunk);
  if (isObject(choice.delta)) choice.delta.content = text;
  else choice.text = text;
}
