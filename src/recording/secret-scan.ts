// Finds credential-looking strings in a recording and says where, without repeating them.
// What counts as a credential is secret-rules.ts (a maintained rule set). The scan reads the
// parsed tree, whose strings have their JSON escapes decoded (a key written `\u0073k-…` is
// `sk-…` there). The rules run once per recording over its distinct strings joined, not once
// per string: recordings repeat the same ids and names in every chunk, so the distinct strings
// are a tenth of the text, and the paths are worked out only when something was found.
import { formatJsonKey } from "./json-path.ts";
import { isJsonObject, type JsonValue, objectKeys } from "./json-value.ts";
import { findSecrets } from "./secret-rules.ts";

export interface SecretFinding {
  /** JSON path of the string, e.g. `$.request.body.messages[0].content`. */
  path: string;
  /** What it looks like, e.g. `OpenAI API token`. */
  kind: string;
  /** A masked hint to find it by: the credential's first 4 characters and its length. */
  hint: string;
}

/** Object keys whose string value is a credential whatever it looks like. */
const SECRET_KEYS = /^(?:authorization|api[-_]?key|x-api-key|ocp-apim-subscription-key|x-goog-api-key)$/i;
const HEADER_VALUE_MIN_LENGTH = 16;

/**
 * Between two joined strings: a line break for rules anchored to lines, and a NUL, which no
 * rule's run of key characters or spaces crosses, so a match never joins two strings.
 */
const SEPARATOR = "\n\u0000\n";

export function scanSecrets(value: JsonValue): SecretFinding[] {
  const { strings, headerValue } = distinctStrings(value);
  const flagged = flaggedStrings([...strings]);
  if (flagged.size === 0 && !headerValue) return [];
  const findings: SecretFinding[] = [];
  forEachString(value, (text, key, path) => {
    if (isHeaderCredential(text, key))
      findings.push({ path, kind: "credential header value", hint: maskSecret(text) });
    else {
      const found = flagged.get(text);
      if (found) findings.push({ path, ...found });
    }
  });
  return findings;
}

/**
 * The tree's distinct strings, in no useful order, and whether a header carries a credential.
 * On every recording `verify` reads, so kept lean: no paths, numbers not stacked, keys
 * enumerated with `for…in` (their written order does not matter here).
 */
function distinctStrings(value: JsonValue): { strings: Set<string>; headerValue: boolean } {
  const strings = new Set<string>();
  let headerValue = false;
  if (typeof value === "string") strings.add(value);
  const stack: JsonValue[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (const item of node) {
        if (typeof item === "string") strings.add(item);
        else if (typeof item === "object" && item !== null) stack.push(item);
      }
    } else if (isJsonObject(node)) {
      for (const key in node) {
        const item = node[key] as JsonValue;
        if (typeof item === "string") {
          if (isHeaderCredential(item, key)) headerValue = true;
          else strings.add(item);
        } else if (typeof item === "object" && item !== null) stack.push(item);
      }
    }
  }
  return { strings, headerValue };
}

function isHeaderCredential(text: string, key: string | null): boolean {
  return key !== null && text.length >= HEADER_VALUE_MIN_LENGTH && SECRET_KEYS.test(key);
}

/** Each string holding a credential, with the first one in it (kind and masked hint). */
function flaggedStrings(strings: readonly string[]): Map<string, Omit<SecretFinding, "path">> {
  const starts: number[] = [];
  let offset = 0;
  for (const text of strings) {
    starts.push(offset);
    offset += text.length + SEPARATOR.length;
  }
  const matches = findSecrets(strings.join(SEPARATOR)).sort((a, b) => a.start - b.start);
  const flagged = new Map<string, Omit<SecretFinding, "path">>();
  for (const match of matches) {
    const i = lastAtOrBefore(starts, match.start);
    const text = strings[i] as string;
    const start = match.start - (starts[i] as number);
    if (flagged.has(text) || match.end - match.start > text.length - start) continue;
    flagged.set(text, {
      kind: match.kind,
      hint: maskSecret(text.slice(start, start + match.end - match.start)),
    });
  }
  return flagged;
}

/** Index of the last element of ascending `sorted` that is <= `value` (sorted[0] is 0). */
function lastAtOrBefore(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((sorted[mid] as number) <= value) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * Calls `visit` on every string in document order, with its object key (null in an array) and
 * its JSON path. An explicit stack: recordings can nest deeply and recursion must not overflow.
 */
function forEachString(
  value: JsonValue,
  visit: (text: string, key: string | null, path: string) => void,
): void {
  const stack: Array<{ value: JsonValue; path: string; key: string | null }> = [
    { value, path: "$", key: null },
  ];
  while (stack.length > 0) {
    const { value: node, path, key } = stack.pop() as (typeof stack)[number];
    if (typeof node === "string") visit(node, key, path);
    else if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--)
        stack.push({ value: node[i] as JsonValue, path: `${path}[${i}]`, key: null });
    } else if (isJsonObject(node)) {
      const keys = objectKeys(node);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i] as string;
        stack.push({ value: node[k] as JsonValue, path: `${path}${formatJsonKey(k)}`, key: k });
      }
    }
  }
}

/** `sk-p… (164 chars)`: enough to find the string, nothing to use. */
export function maskSecret(text: string): string {
  return `${text.slice(0, 4)}… (${text.length} chars)`;
}
