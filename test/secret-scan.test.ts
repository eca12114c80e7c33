import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseJson } from "../src/recording/json-read.ts";
import { scanSecrets, scanSecretsInFile } from "../src/recording/secret-scan.ts";
import { FIXTURES } from "./support/temp-dir.ts";

// Credential-shaped strings are assembled at run time so this file itself holds none.
const rep = (chars: string, n: number) => chars.repeat(Math.ceil(n / chars.length)).slice(0, n);
const SAMPLES: Record<string, string> = {
  "OpenAI API key": `sk-proj-${rep("Ab3dE5gH7j", 74)}T3BlbkFJ${rep("kL9mN1pQ3r", 74)}`,
  "Anthropic API key": `sk-ant-api03-${rep("Zx8Yw7Vu6T", 93)}`,
  "GitHub token": `gh${"p"}_${rep("a1B2c3D4e5", 36)}`,
  "AWS access key id": `AKIA${rep("QWERTYUIOP", 16)}`,
  "private key": `-----BEGIN RSA PRIVATE ${"KEY"}-----\nMIIE...`,
  "bearer token": `Authorization: Bearer ${rep("eyJhbGciOi", 40)}`,
  "Azure API key": `api-key: ${rep("0123456789abcdef", 32)}`,
  "Google API key": `AIza${rep("SyA1b2C3d4", 35)}`,
};

describe("the credential scanner", () => {
  for (const [kind, secret] of Object.entries(SAMPLES)) {
    it(`flags a ${kind} with its JSON path and never repeats it`, () => {
      const tree = parseJson(
        JSON.stringify({ request: { body: { messages: [{ content: `see ${secret} here` }] } } }),
      );
      const findings = scanSecrets(tree);
      expect(findings).toEqual([
        { path: "$.request.body.messages[0].content", kind, hint: expect.any(String) },
      ]);
      expect(JSON.stringify(findings)).not.toContain(secret.slice(4, 16));
    });
  }

  it("flags a key written with JSON escapes in the file (\\u0073k-…)", () => {
    const key = SAMPLES["OpenAI API key"] as string;
    const text = `{"response": {"content": "\\u0073\\u006b${key.slice(2)}"}}`;
    expect(text).not.toContain("sk-");
    expect(scanSecretsInFile(text, parseJson(text))).toEqual([
      { path: "$.response.content", kind: "OpenAI API key", hint: expect.stringMatching(/^sk-p… \(/) },
    ]);
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
    let deep: unknown = SAMPLES["GitHub token"];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    // Built by hand: the reader itself refuses nesting this deep.
    expect(scanSecrets(deep as never)).toHaveLength(1);
  });
});
