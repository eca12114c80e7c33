// Finds credential-looking strings in a recording and says where, without repeating them.
// Patterns are anchored to each credential's documented shape (prefixes, lengths) so that the
// hex ids, hashes and base64 blobs recordings are full of never look like secrets.
import { formatJsonKey } from "./json-path.ts";
import { isJsonObject, type JsonValue, objectKeys } from "./json-value.ts";

export interface SecretFinding {
  /** JSON path of the string, e.g. `$.request.body.messages[0].content`. */
  path: string;
  /** What it looks like, e.g. `OpenAI API key`. */
  kind: string;
  /** A masked hint to find it by: the first 4 characters and the length. */
  hint: string;
}

interface Pattern {
  kind: string;
  regex: RegExp;
}

const PATTERNS: readonly Pattern[] = [
  {
    kind: "OpenAI API key",
    regex:
      /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}|\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}|\bsk-[A-Za-z0-9]{48}\b/,
  },
  { kind: "Anthropic API key", regex: /\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,}/ },
  {
    kind: "GitHub token",
    regex: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{82}\b/,
  },
  { kind: "AWS access key id", regex: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: "private key", regex: /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----/ },
  { kind: "bearer token", regex: /\bBearer\s+[A-Za-z0-9._~+/-]{20,}=*/ },
  // Azure keys are bare hex or base62, so only a value named as a key counts.
  {
    kind: "Azure API key",
    regex:
      /\b(?:api-key|api_key|apikey|Ocp-Apim-Subscription-Key)["']?\s*[:=]\s*["']?(?:[0-9a-f]{32}|[A-Za-z0-9]{84})\b/i,
  },
  { kind: "Google API key", regex: /\bAIza[0-9A-Za-z_-]{35}\b/ },
];

/** Object keys whose string value is a credential whatever it looks like. */
const SECRET_KEYS = /^(?:authorization|api[-_]?key|x-api-key|ocp-apim-subscription-key|x-goog-api-key)$/i;

/**
 * Every credential shape above contains one of these; a file whose text has none of them needs
 * no walk (most recordings), which keeps the scan off `verify`'s hot path.
 */
const ANY_TRIGGER =
  /sk-|gh[pousr]_|github_pat_|AKIA|ASIA|PRIVATE KEY|Bearer|api[-_]?key|Subscription-Key|AIza|authorization/i;

/**
 * `scanSecrets` for a file whose text is at hand: skips the walk when no trigger occurs, in the
 * text or in its `\uXXXX` escapes decoded (a key written `\u0073k-…` is one; the walk reads the
 * parsed, decoded values).
 */
export function scanSecretsInFile(text: string, value: JsonValue): SecretFinding[] {
  const triggered =
    ANY_TRIGGER.test(text) || (text.includes("\\u") && ANY_TRIGGER.test(decodeUnicodeEscapes(text)));
  return triggered ? scanSecrets(value) : [];
}

function decodeUnicodeEscapes(text: string): string {
  return text.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

export function scanSecrets(value: JsonValue): SecretFinding[] {
  const findings: SecretFinding[] = [];
  // An explicit stack: recordings can nest deeply and recursion must not overflow.
  const stack: Array<{ value: JsonValue; path: string; key: string | null }> = [
    { value, path: "$", key: null },
  ];
  while (stack.length > 0) {
    const { value: node, path, key } = stack.pop() as (typeof stack)[number];
    if (typeof node === "string") {
      const kind =
        key !== null && SECRET_KEYS.test(key) && node.length >= 16
          ? "credential header value"
          : matchKind(node);
      if (kind) findings.push({ path, kind, hint: maskSecret(node) });
    } else if (Array.isArray(node)) {
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
  return findings;
}

function matchKind(text: string): string | null {
  if (!ANY_TRIGGER.test(text)) return null;
  for (const pattern of PATTERNS) if (pattern.regex.test(text)) return pattern.kind;
  return null;
}

/** `sk-p… (164 chars)`: enough to find the string, nothing to use. */
export function maskSecret(text: string): string {
  return `${text.slice(0, 4)}… (${text.length} chars)`;
}
