import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseJson } from "../src/recording/json-read.ts";
import { scanSecrets } from "../src/recording/secret-scan.ts";
import { CREDENTIAL_SAMPLES, MORE_SLACK_TOKENS, rep } from "./support/credential-samples.ts";
import { FIXTURES } from "./support/temp-dir.ts";

const SAMPLES = CREDENTIAL_SAMPLES;

const inAnswer = (text: string) =>
  parseJson(JSON.stringify({ request: { body: { messages: [{ content: text }] } } }));

describe("the credential scanner", () => {
  for (const [kind, secret] of Object.entries(SAMPLES)) {
    it(`flags a ${kind} with its JSON path and never repeats it`, () => {
      const findings = scanSecrets(inAnswer(`see ${secret} here`));
      expect(findings).toEqual([
        { path: "$.request.body.messages[0].content", kind, hint: expect.any(String) },
      ]);
      expect(JSON.stringify(findings)).not.toContain(secret.slice(4, 16));
    });
  }

  it("flags Slack's user, workspace and refresh tokens as it does bot tokens", () => {
    for (const token of MORE_SLACK_TOKENS)
      expect(scanSecrets(inAnswer(token)), token.slice(0, 4)).toMatchObject([{ kind: "slack token" }]);
  });

  it("hints at the credential itself, not the text around it: its first 4 characters and length", () => {
    const key = SAMPLES["Groq API key"] as string;
    expect(scanSecrets(inAnswer(`the key is ${key}.`))).toMatchObject([
      { hint: `gsk_… (${key.length} chars)` },
    ]);
  });

  it("flags a key written with JSON escapes in the file (\\u0073k-…)", () => {
    const key = SAMPLES["OpenAI API token"] as string;
    const text = `{"response": {"content": "\\u0073\\u006b${key.slice(2)}"}}`;
    expect(text).not.toContain("sk-");
    expect(scanSecrets(parseJson(text))).toEqual([
      { path: "$.response.content", kind: "OpenAI API token", hint: expect.stringMatching(/^sk-p… \(/) },
    ]);
  });

  it("reports every place a repeated credential occurs, in document order", () => {
    const key = SAMPLES["GitHub Token"] as string;
    const tree = parseJson(JSON.stringify({ a: [key, "x", { b: key }], c: `${key} again` }));
    expect(scanSecrets(tree).map((f) => f.path)).toEqual(["$.a[0]", "$.a[2].b", "$.c"]);
  });

  it("cannot be switched off by a secretlint-disable comment inside the scanned text", () => {
    const key = SAMPLES["Stripe Live Secret Key"] as string;
    const text = `// secretlint-disable\n${key}\n// secretlint-enable`;
    expect(scanSecrets(inAnswer(text))).toMatchObject([{ kind: "Stripe Live Secret Key" }]);
  });

  it("never joins two strings into one match", () => {
    const tree = parseJson(JSON.stringify({ a: "Authorization: Bearer", b: rep("eyJhbGciOi", 40) }));
    expect(scanSecrets(tree)).toEqual([]);
  });

  it("flags any value of a header that carries credentials", () => {
    const tree = parseJson(
      JSON.stringify({ request: { headers: { Authorization: "token-with-no-known-shape-123" } } }),
    );
    expect(scanSecrets(tree)).toMatchObject([
      { path: "$.request.headers.Authorization", kind: "credential header value" },
    ]);
  });

  it("does not cry wolf on the ids, hashes and base64 of real recordings", async () => {
    const { findRecordingFiles } = await import("../src/recording/files.ts");
    const { files } = await findRecordingFiles([FIXTURES], FIXTURES);
    for (const file of files)
      expect(scanSecrets(parseJson(readFileSync(file, "utf8"))), path.basename(file)).toEqual([]);
    const hexy = {
      digest: rep("0123456789abcdef", 64),
      id: `rec-${rep("abcdef012345", 12)}`,
      key: rep("ab12", 32),
    };
    expect(scanSecrets(parseJson(JSON.stringify(hexy)))).toEqual([]);
  });

  it("walks 10,000 levels of nesting without overflowing the stack", () => {
    let deep: unknown = SAMPLES["GitHub Token"];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    // Built by hand: the reader itself refuses nesting this deep.
    expect(scanSecrets(deep as never)).toHaveLength(1);
  });
});
