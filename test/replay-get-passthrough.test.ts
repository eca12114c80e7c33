// A passthrough recording whose request is a GET (Ollama's `/api/tags`, a provider's model list):
// it is sent as a GET with no body, as the recorder's client sent it, and judged like any other.
// A body on a GET made fetch throw "Request with GET/HEAD method cannot have body" for every one.
// The corpus holds no GET passthrough yet; the fixture is a real `/api/ps` answer's models,
// recorded as llama-stack's recorder writes a GET passthrough (`payload: {}`), named by its hash.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../src/commands/check.ts";
import { refresh } from "../src/commands/refresh.ts";
import { setupCheck } from "./support/check-setup.ts";

const ROOT = path.resolve(import.meta.dirname, "fixtures/get-passthrough");
const TAGS = "e465daf72d42";

describe("a GET passthrough recording", () => {
  it("is replayed as a GET with no body and judged unchanged", async () => {
    const setup = await setupCheck({ liveify: false }, null, ROOT);
    const report = await check(setup.options);
    expect(report.results.map((r) => [r.verdict, r.reasons])).toEqual([["unchanged", []]]);
    const sent = setup.sim.requests.filter((r) => r.path.endsWith("/api/tags"));
    expect(sent.map((r) => [r.method, r.body, r.headers["content-type"]])).toEqual([
      ["GET", null, undefined],
    ]);
  });

  it("is refreshed with its new answer when it drifted", async () => {
    const setup = await setupCheck({ liveify: false }, null, ROOT);
    setup.sim.mutate(
      () => true,
      (data) => ({ models: (data as { models: unknown[] }).models.slice(0, 1) }),
    );
    const report = await refresh({ ...setup.options, update: "all", dryRun: false });
    expect(report.results.map((r) => [r.verdict, r.refreshed])).toEqual([["drifted", true]]);
    const written = JSON.parse(readFileSync(setup.file(TAGS), "utf8"));
    expect(written.request).toEqual({
      test_id: written.test_id,
      url: "http://0.0.0.0:11434/api/tags",
      method: "GET",
      payload: {},
    });
    expect(written.response.body.models).toHaveLength(1);
  });
});
