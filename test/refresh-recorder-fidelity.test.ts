// What llama-stack's recorder would have written for a live answer: a model list whose ids
// changed under its new digest name (the old file gone), extras exactly as the wire sent them.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { refresh } from "../src/commands/refresh.ts";
import { verify } from "../src/commands/verify.ts";
import { formatMarkdown } from "../src/report/markdown.ts";
import { named, setupCheck } from "./support/check-setup.ts";

const OLLAMA_MODELS = "models-64a2277c90f0f42576f60c1030e3a020403d34a95f56931b792d5939f4cebc57-0da7d1b1";
const VLLM_CHAT = "440d2fa92833"; // vLLM chat with null extras (stop_reason, kv_transfer_params, …)

describe("refreshing a model list whose ids changed", () => {
  it("writes it under its new digest, removes the old file and says so", async () => {
    const setup = await setupCheck({ liveify: "wire" }, [OLLAMA_MODELS]);
    const old = setup.file(OLLAMA_MODELS);
    setup.sim.mutate(named(OLLAMA_MODELS), (models) => (models as unknown[]).slice(1));
    const report = await refresh({ ...setup.options, update: "all", dryRun: false });
    const [result] = report.results;
    expect(result).toMatchObject({ refreshed: true, renamedFrom: path.relative(setup.dir, old) });
    expect(result?.file).not.toBe(result?.renamedFrom);
    expect(existsSync(old)).toBe(false);
    expect(formatMarkdown(report)).toContain(
      "Refreshed 1 recording (1 under a new name, the old file removed).",
    );
    const verified = await verify({ paths: [setup.dir], cwd: setup.dir });
    expect(verified.results.map((r) => [r.file, r.valid, r.hash, r.roundTrip])).toEqual([
      [result?.file, true, "match", "identical"],
    ]);
  });
});

describe("refreshing with extras the wire sends", () => {
  it("writes the null extras the provider still sends and drops the ones it no longer sends", async () => {
    const setup = await setupCheck({ liveify: "wire" }, [VLLM_CHAT]);
    const before = readFileSync(setup.file(VLLM_CHAT), "utf8");
    setup.sim.mutate(named(VLLM_CHAT), (data) => {
      delete (data as Record<string, unknown>).kv_transfer_params;
      return data;
    });
    const report = await refresh({ ...setup.options, update: "all", dryRun: false });
    expect(report.results.map((r) => r.refreshed)).toEqual([true]);
    const after = readFileSync(setup.file(VLLM_CHAT), "utf8");
    expect(after).toBe(before.replace(/,\n {8}"kv_transfer_params": null/, ""));
    expect(after).toContain('"stop_reason": null');
  });
});
