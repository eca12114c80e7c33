// What an answer asserts, as opposed to how it is worded: its lead (the first thing it says),
// the facts in it (numbers with units, names, quoted strings, URLs, yes/no), its stance (an
// answer, a refusal, a request for clarification, nothing), and its JSON value when it is JSON.
// Calibrated on llama-stack's re-record history: rewordings keep the lead's facts and the stance;
// real changes replace a fact, change the subject, or turn an answer into a refusal.
import { parseJson } from "./plain-json.ts";

/** `non-answer`: asks what is wanted or offers help ("How can I assist you today?"). */
export type Stance = "answer" | "refusal" | "non-answer" | "empty";

export interface TextFacts {
  /** The lead's words (lower case, no punctuation) when the lead is a short answer ("Blue."). */
  shortAnswer: string | null;
  /** The first sentence, as plain text: what a reason quotes. */
  firstSentence: string;
  /** Facts of the first paragraph: what the answer is about. */
  leadFacts: string[];
  stance: Stance;
  /** The parsed value when the whole answer (or its one fenced block) is JSON. */
  json: { value: unknown } | null;
  /** The items when the whole answer is a list of short items (`1, 2, 3`, or one per line). */
  items: string[] | null;
  /** The text, lower case, spaces folded, Markdown emphasis gone: where facts are looked up. */
  readonly plain: string;
}

const SHORT_ANSWER_WORDS = 4;
const LEAD_WORDS = 60;

// Sentence-initial words that name nothing: a capital letter there is grammar, not a name.
export const FUNCTION_WORDS = new Set(
  (
    "a an the this that these those it its it's i i'm i'll i'd i've we we're you you're your my our he she " +
    "they there here however but and or so if in on at for as to of from with by yes no hello hi hey sure " +
    "please note unfortunately also additionally then when what which who how why where is are was were " +
    "can could would should will do does did let let's first second third finally overall in the " +
    "based while although since because after before during each every some many most all any both " +
    "thank thanks great certainly absolutely of course okay ok well now today currently typically " +
    "generally usually one two three example examples step steps summary details answer explanation"
  ).split(" "),
);

const REFUSAL =
  /\b(?:i\s*(?:'m|am)\s+(?:not\s+(?:able|capable|aware|allowed)|unable)|i\s+(?:can(?:no|')t|can\s+not|could\s*n[o']t)\s+(?:\w+\s+){0,3}?(?:access|provide|help|assist|test|give|check|browse|do|fulfil|fulfill|comply|interact)|i\s+(?:do\s+not|don't)\s+have\s+(?:real-time|access|the\s+ability|a\s+built-in|the\s+capability|information)|as\s+an\s+ai\b|i\s*(?:'m|am)\s+sorry,?\s+but|i\s+apologi[sz]e,?\s+but)/i;
const NON_ANSWER =
  /\b(?:(?:could|can|would)\s+you\s+(?:please\s+)?(?:provide|clarify|give|share|tell\s+me)\s+(?:\w+\s+){0,3}?(?:more|what|which)|i\s*(?:'m|am)\s+not\s+(?:sure|familiar)\s+(?:what|with)|is\s+there\s+(?:anything|something)\s+(?:else\s+)?(?:specific\s+)?(?:i\s+can|you'd\s+like)|how\s+(?:can|may)\s+i\s+(?:help|assist))/i;

/** Markdown emphasis and headings are layout, not words. */
function plainText(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[*_`]+/g, "")
    .replace(/^[#>]+|(?<=\n)[#>]+/g, " ")
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .toLowerCase()
    .replace(/(\d),(?=\d{3}(?!\d))/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/** A number, by its value: `142,984` and `142984` are one fact; a unit changes with its number. */
const NUMBER = /(?<![\p{L}\p{N}.])\d[\d,]*(?:\.\d+)?/gu;
const URL = /\bhttps?:\/\/[^\s)>\]"']+/gi;
const QUOTED = /"([^"\n]{1,60})"/g;
// A name: a run of capitalised or mixed words (`Vatican City`, `LA-1030/5B`, `JPY`, `GPT-4o`).
const NAME_WORD = "[\\p{Lu}][\\p{L}\\p{N}'’./-]*|[\\p{L}]*\\p{N}[\\p{L}\\p{N}./-]*[\\p{L}][\\p{L}\\p{N}./-]*";
const NAME = new RegExp(`(?<![\\p{L}\\p{N}])(?:${NAME_WORD})(?:\\s+(?:${NAME_WORD}))*`, "gu");

/** The facts a stretch of text asserts, each as a normalized string. */
export function factsOf(text: string): string[] {
  const facts: string[] = [];
  const stripped = text.normalize("NFKC").replace(/[*_`#]+/g, " ");
  for (const url of stripped.match(URL) ?? []) facts.push(url.toLowerCase().replace(/[.,;:]+$/, ""));
  const withoutUrls = stripped.replace(URL, " ");
  for (const number of withoutUrls.match(NUMBER) ?? []) {
    facts.push(number.replace(/,(?=\d{3}(?!\d))/g, "").replace(/,+$/, ""));
  }
  for (const [, quoted] of withoutUrls.matchAll(QUOTED)) {
    if (/[\p{L}\p{N}]/u.test(quoted ?? "")) facts.push(plainText(quoted ?? ""));
  }
  for (const sentence of withoutUrls.split(/(?<=[.!?:])\s+|\n+/)) {
    for (const match of sentence.matchAll(NAME)) {
      let words = match[0].split(/\s+/);
      // A capital that only opens the sentence is grammar, unless the word is a name on its own.
      if (match.index === sentence.search(/\S/) && FUNCTION_WORDS.has(words[0]!.toLowerCase())) {
        words = words.slice(1);
      }
      const name = words
        .join(" ")
        .replace(/[.,;:!?'’]+$/, "")
        .toLowerCase();
      if (name.length > 1 && !FUNCTION_WORDS.has(name) && !/^\d+$/.test(name)) facts.push(name);
    }
  }
  return [...new Set(facts.filter(Boolean))];
}

/** The first `words` words of a text, without splitting all of a long one. */
function opening(text: string, words: number): string {
  return text
    .trimStart()
    .slice(0, words * 20)
    .split(/\s+/)
    .slice(0, words)
    .join(" ");
}

/** The first paragraph, at most `LEAD_WORDS` words: what the answer says first. */
function leadOf(text: string): string {
  const trimmed = text.trimStart();
  const end = trimmed.search(/\n\s*\n/);
  return opening(end === -1 ? trimmed : trimmed.slice(0, end), LEAD_WORDS);
}

/** The value of a JSON answer: the whole text, or its single fenced block. */
function jsonOf(text: string): { value: unknown } | null {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i.exec(trimmed)?.[1] ?? trimmed;
  if (!/^[[{]/.test(fenced)) return null;
  const value = parseJson(fenced);
  return value === undefined ? null : { value };
}

function stanceOf(text: string): Stance {
  if (text.trim() === "") return "empty";
  // Only the opening counts: an answer may mention, deep inside, what it cannot do.
  const start = opening(text, 80);
  if (NON_ANSWER.test(start)) return "non-answer";
  if (REFUSAL.test(start)) return "refusal";
  return "answer";
}

// Reasoning models (Qwen3, gpt-oss) open with their thinking; the answer is what follows it.
const REASONING = /<(think|thinking|reasoning)>[\s\S]*?(?:<\/\1>|$)/gi;

/** The text without its reasoning blocks: what the answer says. */
export function answerOf(text: string): string {
  return text.includes("<") ? text.replace(REASONING, "").trim() : text;
}

/** The facts of an answer; `text` is the answer as sent, reasoning included. */
export function textFacts(text: string): TextFacts {
  let plain: string | undefined;
  const answer = answerOf(text);
  const lead = leadOf(answer);
  const firstSentence = lead.split(/(?<=[.!?])\s+/)[0] ?? "";
  const shortWords = plainText(firstSentence).match(/[\p{L}\p{N}]+/gu) ?? [];
  return {
    shortAnswer:
      shortWords.length > 0 && shortWords.length <= SHORT_ANSWER_WORDS && lead.split(/\s+/).length <= 8
        ? plainText(firstSentence)
        : null,
    firstSentence: plainText(firstSentence),
    leadFacts: factsOf(lead),
    stance: stanceOf(answer),
    json: jsonOf(answer),
    items: itemsOf(answer),
    // Looked up only when a rule needs it: most comparisons decide before.
    get plain() {
      if (plain === undefined) plain = plainText(answer);
      return plain;
    },
  };
}

/** How often `fact` occurs in `plain` as whole words. */
export function occurrences(plain: string, fact: string): number {
  let count = 0;
  let at = plain.indexOf(fact);
  while (at !== -1) {
    const before = at === 0 ? "" : plain[at - 1]!;
    const after = plain[at + fact.length] ?? "";
    if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) count++;
    at = plain.indexOf(fact, at + 1);
  }
  return count;
}

export function mentions(plain: string, fact: string): boolean {
  return occurrences(plain, fact) > 0;
}

const LIST_ITEM_WORDS = 4;
const LIST_CHARS = 400;

/** A whole answer that is a list of short items: comma-separated, or one item per line. */
function itemsOf(text: string): string[] | null {
  const trimmed = text.trim();
  if (trimmed.length > LIST_CHARS) return null;
  const lines = trimmed.split(/\n+/).filter((line) => line.trim() !== "");
  const raw =
    lines.length >= 3
      ? lines.map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, ""))
      : trimmed.split(/,\s*/);
  const items = raw.map((item) => plainText(item).replace(/[.;]+$/, "")).filter(Boolean);
  if (items.length < 3 || items.some((item) => item.split(" ").length > LIST_ITEM_WORDS)) return null;
  return items;
}
