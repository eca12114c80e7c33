// More samples for a text that drifted: drawn only for that recording, within the request budget,
// and a provider that answers the same request differently each time is `nondeterministic`.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { check } from "../src/commands/check.ts";
import type { CheckResult } from "../src/report/check-report.ts";
import { type CheckSetup, setupCheck } from "./support/check-setup.ts";

const CHAT = "007a9180a7aa"; // Ollama chat (llama-guard3:1b), stored answer "safe"
const OTHER = "224f7e7bd332"; // api.openai.com stream, served as recorded

const isChat = (file: string) => path.basename(file).startsWith(CHAT);

function saying(texts: string[]): (data: unknown) => unknown {
  let call = 0;
  return (data) => {
    const choice = (data as { choices: Array<{ message: { content: string } }> }).choices[0]!;
    choice.message.content = texts[call++ % texts.length]!;
    return data;
  };
}

describe("drawing more samples when only the text drifted", () => {
  let setup: CheckSetup;
  beforeAll(async () => {
    setup = await setupCheck({}, [CHAT, OTHER]);
  });

  async function run(texts: string[], extraSamples: number, maxRequests: number | null = null) {
    const undo = setup.sim.mutate(isChat, saying(texts));
    const before = setup.sim.requests.length;
    try {
      const report = await check({ ...setup.options, extraSamples, maxRequests });
      const requests = setup.sim.requests.slice(before);
      const result = report.results.find((r) => isChat(r.file)) as CheckResult;
      return { result, report, chatRequests: requests.filter((r) => r.file && isChat(r.file)).length };
    } finally {
      undo();
    }
  }

  it("confirms a drift the extra samples repeat, and draws them for that recording only", async () => {
    const { result, report, chatRequests } = await run(["unsafe\nS1"], 2);
    expect(result).toMatchObject({ verdict: "drifted", consistent: true });
    expect(chatRequests).toBe(3);
    // The recording answered as stored was replayed once.
    expect(report.results.filter((r) => r.verdict === "unchanged")).toHaveLength(1);
    expect(setup.sim.requests.length).toBeGreaterThan(0);
  });

  it("calls a recording nondeterministic when its live samples disagree as much with each other", async () => {
    const { result, chatRequests } = await run(
      ["unsafe\nS1", "I cannot assess this.", "Hello! How can I help?"],
      2,
    );
    expect(chatRequests).toBe(3);
    expect(result.verdict).toBe("nondeterministic");
    expect(result.reasons[0]).toBe(
      "nondeterministic: 3 live samples differ from each other as much as from the recording",
    );
    expect(result.nondeterministic?.samples).toBe(3);
  });

  it("draws none with --extra-samples 0", async () => {
    const { result, chatRequests } = await run(["unsafe\nS1", "I cannot assess this."], 0);
    expect(result.verdict).toBe("drifted");
    expect(chatRequests).toBe(1);
  });

  it("stays within --max-requests, and says the samples were not drawn", async () => {
    const { result, chatRequests } = await run(["unsafe\nS1", "I cannot assess this."], 2, 2);
    expect(chatRequests).toBe(1);
    expect(result.verdict).toBe("drifted");
    expect(result.reasons.at(-1)).toMatch(/^no more samples drawn: the --max-requests 2 budget is spent$/);
  });

  it("draws none for a drift of structure (the model family)", async () => {
    const undo = setup.sim.mutate(isChat, (data) => Object.assign(data as object, { model: "gpt-4o" }));
    const before = setup.sim.requests.length;
    try {
      const report = await check({ ...setup.options, extraSamples: 2 });
      const chat = report.results.find((r) => isChat(r.file));
      expect(chat?.verdict).toBe("drifted");
      expect(setup.sim.requests.slice(before).filter((r) => r.file && isChat(r.file))).toHaveLength(1);
    } finally {
      undo();
    }
  });
});
