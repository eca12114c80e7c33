// A live answer holding a credential-shaped string (a model repeating a key it saw, a provider
// leaking one): the recording fails naming the kind and the JSON path, its file is not rewritten,
// and no report quotes the string (no word diff of it).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { refresh } from "../src/commands/refresh.ts";
import { formatMarkdown } from "../src/report/markdown.ts";
import { setupCheck } from "./support/check-setup.ts";

const CHAT = "007a9180a7aa"; // Ollama chat completion, answer "safe"
// Assembled at run time so this file holds no key-shaped literal.
const AWS_KEY = ["AKIA", "ZXCVBNMASDQWERTY"].join("");

describe("a live answer holding a credential", () => {
  it("fails the recording with the kind and path, writes nothing, quotes nothing", async () => {
    const setup = await setupCheck({ liveify: "wire" }, [CHAT]);
    const file = setup.file(CHAT);
    const before = readFileSync(file, "utf8");
    setup.sim.mutate(
      () => true,
      (data) =>
        JSON.parse(JSON.stringify(data).replaceAll('"content":"safe', `"content":"your key is ${AWS_KEY}`)),
    );
    const report = await refresh({ ...setup.options, update: "all", dryRun: false });
    const [result] = report.results;
    expect(result?.verdict).toBe("failed");
    expect(result?.reasons).toEqual([
      "the answer holds a credential-shaped string (AWS Access Key ID, AKIA… (20 chars)) at $.choices[0].message.content",
    ]);
    expect(result?.refreshed ?? false).toBe(false);
    expect(readFileSync(file, "utf8")).toBe(before);
    expect(JSON.stringify(report)).not.toContain(AWS_KEY);
    expect(formatMarkdown(report)).not.toContain(AWS_KEY.slice(4));
  });
});
