// The credential formats the scanner knows: secretlint's recommended preset
// (@secretlint/secretlint-rule-preset-recommend, MIT), a maintained set of documented key shapes
// (OpenAI, Anthropic, AWS, GitHub, GitLab, Hugging Face, Groq, Slack tokens and webhooks, Stripe,
// private keys, connection strings and more), each with its own guards against look-alikes;
// plus the few shapes it lacks, in `BEYOND_PRESET`.
//
// Why this preset rather than gitleaks' rules as data: it is an npm package (updated with the
// other dependencies, bundled, its notice in dist/licenses.txt), its patterns are JavaScript
// regexes already (gitleaks' are Go RE2 with inline flags), and it covers the LLM providers
// recordings talk to. Why its rules run here rather than through @secretlint/core: core's
// `lintSource` is asynchronous, and the scan sits on synchronous paths (verify's per-file check
// in worker threads, check's gate on a live answer). The rules themselves are synchronous
// functions of secretlint's documented rule interface; this module is the context they report to.
import { rules as presetRules } from "@secretlint/secretlint-rule-preset-recommend";
import type {
  SecretLintRuleContext,
  SecretLintRuleCreator,
  SecretLintRuleLocalizeMessages,
  SecretLintSourceCode,
} from "@secretlint/types";

export interface SecretMatch {
  /** Offsets of the credential in the scanned text. */
  start: number;
  end: number;
  /** What it is, e.g. `OpenAI API token`: the rule's own name for it, never the value. */
  kind: string;
}

/**
 * The preset's rules the scan runs. Left out: filter-comments, whose `secretlint-disable`
 * comments would let the scanned text (an answer, a recording) switch the scan off; and gcp,
 * which looks only at whole .p12/.json files by name (a service account's key inside a string
 * is still found, by the private-key rule).
 */
const LEFT_OUT = new Set(["@secretlint/secretlint-rule-filter-comments", "@secretlint/secretlint-rule-gcp"]);
const RULES: readonly SecretLintRuleCreator[] = (presetRules as SecretLintRuleCreator[]).filter(
  (rule) => !LEFT_OUT.has(rule.meta.id),
);

/**
 * Options differing from the preset's defaults. AWS: access key ids (and account ids named as
 * such) are scanned too, which the preset leaves off as noisy in source code: a key id is what a
 * model repeats from a prompt, and the 3,316 real recordings hold none.
 */
const RULE_OPTIONS: Readonly<Record<string, object>> = {
  "@secretlint/secretlint-rule-aws": { enableIDScanRule: true },
};

/** Shapes the preset lacks, each documented by its issuer. */
const BEYOND_PRESET: ReadonlyArray<{ kind: string; regex: RegExp }> = [
  { kind: "NVIDIA API key", regex: /\bnvapi-[A-Za-z0-9_-]{64}(?![A-Za-z0-9_-])/g },
  { kind: "xAI API key", regex: /\bxai-[A-Za-z0-9]{80}(?![A-Za-z0-9])/g },
  { kind: "Google API key", regex: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g },
  { kind: "Anthropic admin key", regex: /\bsk-ant-admin01-[A-Za-z0-9_-]{90,128}AA(?![A-Za-z0-9_-])/g },
  // The preset's Slack rule knows xoxb/xoxp/xoxa/xoxo/xoxr/xapp, not legacy session tokens.
  { kind: "Slack legacy token", regex: /\bxoxs-\d+-\d+-\d+-[a-fA-F\d]+\b/g },
  // The preset wants a whole PEM block; an answer cut short (max_tokens) holds only its start.
  { kind: "private key", regex: /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----/g },
  { kind: "bearer token", regex: /\bBearer\s+[A-Za-z0-9._~+/-]{20,}=*/g },
  // Azure keys are bare hex or base62, so only a value named as a key counts.
  {
    kind: "Azure API key",
    regex:
      /\b(?:api-key|api_key|apikey|Ocp-Apim-Subscription-Key)["']?\s*[:=]\s*["']?(?:[0-9a-f]{32}|[A-Za-z0-9]{84})\b/gi,
  },
];

/** Every credential in `content`, in no particular order; one text may hold several. */
export function findSecrets(content: string): SecretMatch[] {
  const matches: SecretMatch[] = [];
  const context: SecretLintRuleContext = {
    sharedOptions: {},
    createTranslator: ((messages: SecretLintRuleLocalizeMessages) =>
      (messageId: string, props?: Record<string, unknown>) => ({
        messageId,
        data: props,
        message: kindFromMessage(messages, messageId, props),
      })) as SecretLintRuleContext["createTranslator"],
    report: ({ message, range }) => matches.push({ start: range[0], end: range[1], kind: message.message }),
    // Only filter rules ignore, and none runs here.
    ignore: () => {},
  };
  // The scanner rules read `content` alone (filter-comments, which reads positions, is left out).
  const source = { content, contentType: "text", ext: "", filePath: undefined } as SecretLintSourceCode;
  for (const rule of RULES) {
    const handled = rule.create(context, RULE_OPTIONS[rule.meta.id] ?? {}).file?.(source);
    // A rule that became asynchronous would report after the scan returned: refuse it loudly.
    if (handled instanceof Promise) throw new Error(`secret rule ${rule.meta.id} is asynchronous`);
  }
  for (const { kind, regex } of BEYOND_PRESET)
    for (const match of content.matchAll(regex))
      matches.push({ start: match.index, end: match.index + match[0].length, kind });
  return matches;
}

/**
 * The rule's English message with every value blanked, trimmed to its noun:
 * `found Stripe Live Secret Key: ${KEY}` gives `Stripe Live Secret Key`. Blanking the values
 * (not picking which are secret) is what keeps the credential out of the kind.
 */
function kindFromMessage(
  messages: SecretLintRuleLocalizeMessages,
  messageId: string,
  props: Record<string, unknown> | undefined,
): string {
  const blank = Object.fromEntries(Object.keys(props ?? {}).map((key) => [key, ""]));
  const text = messages[messageId]?.en(blank) ?? messageId;
  return text
    .replace(/^found\s+/i, "")
    .replace(/\(\)/g, "")
    .replace(/[\s:]+$/, "");
}
