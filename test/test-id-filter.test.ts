// --filter over llama-stack test ids, whose parameters hold `/` and brackets: `*` crosses `/`
// inside a test id, brackets are themselves; a filter that selects nothing is a warning and
// replays nothing (the run, which checked nothing, then fails by --fail-on-empty).
import { beforeAll, describe, expect, it } from "vitest";
import { check } from "../src/commands/check.ts";
import { testIdMatcher } from "../src/recording/test-id-glob.ts";
import { type CheckSetup, setupCheck } from "./support/check-setup.ts";

// Real ids from llama-stack's recordings (test/fixtures/corpus).
const CHAT_ID =
  "tests/integration/agents/test_openai_responses.py::test_list_response_input_items[openai_client-txt=ollama/llama3.2:3b-instruct-fp16]";
const VLLM_ID =
  "tests/integration/inference/test_openai_completion.py::test_openai_chat_completion_with_tool_choice_none[txt=vllm/Qwen/Qwen3-0.6B-inference:chat_completion:tool_calling]";

describe("test-id globs", () => {
  const matches = (glob: string, id: string) => testIdMatcher(glob)(id);

  it("* crosses / inside the parameters, as ** does", () => {
    expect(matches("tests/integration/agents/test_openai_responses.py::*", CHAT_ID)).toBe(true);
    expect(matches("*::test_list_response_input_items*", CHAT_ID)).toBe(true);
    expect(matches("*txt=ollama/*", CHAT_ID)).toBe(true);
    expect(matches("tests/integration/inference/*::*tool_choice*", VLLM_ID)).toBe(true);
    expect(matches("**vllm/Qwen/**", VLLM_ID)).toBe(true);
  });

  it("brackets, dots and parentheses are themselves; ? is one character; the whole id must match", () => {
    expect(matches(CHAT_ID, CHAT_ID)).toBe(true);
    expect(matches("*[openai_client-txt=ollama/*]", CHAT_ID)).toBe(true);
    expect(matches("*[txt=ollama/*]", CHAT_ID)).toBe(false);
    expect(matches("*llama3?2*", CHAT_ID)).toBe(true);
    expect(matches("*llama3.2*", "x[llama3x2]")).toBe(false);
    expect(matches("*(a)*", "banana")).toBe(false);
    expect(matches("test_list_response_input_items", CHAT_ID)).toBe(false);
  });
});

describe("--filter in check", () => {
  let setup: CheckSetup;
  beforeAll(async () => {
    setup = await setupCheck();
  });

  it("selects recordings by a test-id glob with / in its parameters", async () => {
    const warnings: string[] = [];
    const report = await check({ ...setup.options, filter: "*[txt=vllm/*]", warn: (w) => warnings.push(w) });
    const replayed = report.results.filter((r) => r.verdict !== "skipped");
    expect(replayed.length).toBeGreaterThan(0);
    expect(replayed.every((r) => r.testId?.includes("[txt=vllm/"))).toBe(true);
    expect(warnings).toEqual([]);
  });

  it("warns when the filter selects nothing, and replays nothing", async () => {
    const warnings: string[] = [];
    const requests = setup.sim.requests.length;
    const report = await check({
      ...setup.options,
      filter: "*[txt=nobody/*]",
      warn: (w) => warnings.push(w),
    });
    expect(report.results.every((r) => r.verdict === "skipped")).toBe(true);
    expect(warnings).toEqual([
      `--filter *[txt=nobody/*] selected none of the ${report.results.length} recordings`,
    ]);
    expect(setup.sim.requests.length).toBe(requests);
  });
});
