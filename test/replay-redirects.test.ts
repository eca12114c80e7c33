// A provider that redirects: the key must never follow to another origin, and a 302 must never
// turn the recorded POST into a GET whose answer is written. Every redirect fails the recording
// with the provider's new address; nothing reaches the other origin and no file changes.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { check } from "../src/commands/check.ts";
import { refresh } from "../src/commands/refresh.ts";
import { type CheckSetup, fileDigests, named, setupCheck } from "./support/check-setup.ts";

const OPENAI_CHAT = "06931312f62d"; // api.openai.com chat completion, with OPENAI_API_KEY
const OPENAI_STREAM = "224f7e7bd332"; // api.openai.com chat stream
const PASSTHROUGH_STREAM = "2cb6caa89a82"; // Gemini interactions through send-http, with its key
const OLLAMA_CHAT = "007a9180a7aa"; // no key; redirected on its own origin
const REDIRECTS: Record<string, number> = {
  [OPENAI_CHAT]: 307,
  [OPENAI_STREAM]: 308,
  [PASSTHROUGH_STREAM]: 302,
  [OLLAMA_CHAT]: 301,
};

/** The other origin: records what reaches it, answers as a provider would. */
const reached: Array<{ method: string | undefined; url: string | undefined; headers: IncomingHttpHeaders }> =
  [];
const elsewhere = createServer((req, res) => {
  reached.push({ method: req.method, url: req.url, headers: req.headers });
  res.writeHead(200, { "content-type": "application/json" });
  res.end("{}");
});
let elsewhereUrl: string;
let setup: CheckSetup;

beforeAll(async () => {
  await new Promise<void>((resolve) => elsewhere.listen(0, "127.0.0.1", resolve));
  elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
  setup = await setupCheck({ liveify: "wire" }, Object.keys(REDIRECTS));
  for (const [prefix, status] of Object.entries(REDIRECTS)) {
    const location = prefix === OLLAMA_CHAT ? "/elsewhere/v1/chat/completions" : `${elsewhereUrl}/v1/stolen`;
    setup.sim.fault({ kind: "status", status, headers: { location } }, { recording: named(prefix) });
  }
});
afterAll(() => new Promise<void>((resolve) => elsewhere.close(() => resolve())));

describe("a provider that redirects", () => {
  it("fails each recording with the new address; no request and no key reaches it; nothing is written", async () => {
    const before = fileDigests(setup.dir);
    const options = {
      ...setup.options,
      config: { ...setup.options.config, retries: { ...setup.options.config.retries, attempts: 1 } },
    };
    const checked = await check(options);
    const refreshed = await refresh({ ...options, update: "all", dryRun: false });
    for (const report of [checked, refreshed]) {
      for (const [prefix, status] of Object.entries(REDIRECTS)) {
        const result = report.results.find((r) => named(prefix)(r.file));
        const target =
          prefix === OLLAMA_CHAT ? "/elsewhere/v1/chat/completions" : `${elsewhereUrl}/v1/stolen`;
        expect(result?.verdict, prefix).toBe("failed");
        expect(result?.reasons.join("; "), prefix).toContain(`provider redirected to ${target} (${status})`);
        expect(result?.refreshed ?? false).toBe(false);
      }
    }
    expect(reached).toEqual([]);
    expect(fileDigests(setup.dir)).toEqual(before);
  });
});
