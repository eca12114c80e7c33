import { describe, expect, it } from "vitest";
import type { Capture } from "../src/capture.ts";
import { compareViews } from "../src/compare/compare-views.ts";
import { DEFAULT_COMPARE_OPTIONS } from "../src/compare/options.ts";
import { semanticView } from "../src/compare/semantic-view.ts";
import { sseEvents } from "../src/compare/sse-events.ts";
import { sseLines } from "./support/live-capture.ts";

const capture = (endpoint: Capture["endpoint"], body: unknown, streaming = Array.isArray(body)): Capture => ({
  endpoint,
  streaming,
  status: 200,
  body,
  error: null,
});

const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: "chatcmpl-1",
  model: "gpt-4o-2024-11-20",
  choices: [{ index: 0, delta, finish_reason: null, logprobs: null, ...extra }],
});

describe("chat view", () => {
  it("assembles a stream's text per choice, whatever the chunk boundaries", () => {
    const view = semanticView(
      capture("chat", [
        chunk({ role: "assistant", content: "" }),
        chunk({ content: "Hel" }),
        { model: "gpt-4o-2024-11-20", choices: [{ index: 1, delta: { role: "assistant", content: "Bon" } }] },
        chunk({ content: "lo" }, { finish_reason: "stop" }),
        {
          model: "gpt-4o-2024-11-20",
          choices: [{ index: 1, delta: { content: "jour" }, finish_reason: "stop" }],
        },
        { model: "gpt-4o-2024-11-20", choices: [], usage: { prompt_tokens: 3, completion_tokens: 4 } },
      ]),
    );
    expect(view).toEqual({
      kind: "choices",
      model: "gpt-4o-2024-11-20",
      usage: { prompt_tokens: 3, completion_tokens: 4 },
      choices: [
        {
          index: 0,
          role: "assistant",
          text: "Hello",
          refusal: null,
          toolCalls: [],
          finishReason: "stop",
          logprobs: false,
        },
        {
          index: 1,
          role: "assistant",
          text: "Bonjour",
          refusal: null,
          toolCalls: [],
          finishReason: "stop",
          logprobs: false,
        },
      ],
    });
  });

  it("assembles streamed tool calls by index: the first delta names, later ones append arguments", () => {
    const call = (index: number, args: string, name?: string) => ({
      index,
      id: name ? `call_${index}` : null,
      type: name ? "function" : null,
      function: { name: name ?? null, arguments: args },
    });
    const view = semanticView(
      capture("chat", [
        chunk({ tool_calls: [call(0, "", "get_weather")] }),
        chunk({ tool_calls: [call(1, "", "get_time")] }),
        chunk({ tool_calls: [call(0, '{"city":')] }),
        chunk({ tool_calls: [call(1, '{"tz":"UTC"}')] }),
        chunk({ tool_calls: [call(0, '"Paris"}')] }, { finish_reason: "tool_calls" }),
      ]),
    );
    expect(view.kind === "choices" && view.choices[0]?.toolCalls).toEqual([
      { name: "get_weather", arguments: { city: "Paris" }, validJson: true },
      { name: "get_time", arguments: { tz: "UTC" }, validJson: true },
    ]);
  });

  it("continues the last tool call when a provider leaves out the index", () => {
    const view = semanticView(
      capture("chat", [
        chunk({ tool_calls: [{ id: "call_1", function: { name: "search", arguments: '{"q":' } }] }),
        chunk({ tool_calls: [{ function: { arguments: '"llamas"}' } }] }),
      ]),
    );
    expect(view.kind === "choices" && view.choices[0]?.toolCalls).toEqual([
      { name: "search", arguments: { q: "llamas" }, validJson: true },
    ]);
  });

  it("reads a message's content parts, legacy function_call and invalid argument JSON", () => {
    const view = semanticView(
      capture("chat", {
        model: "m",
        choices: [
          {
            index: 0,
            finish_reason: "function_call",
            message: {
              role: "assistant",
              content: [
                { type: "text", text: "a " },
                { type: "text", text: "b" },
              ],
              function_call: { name: "legacy", arguments: "{not json" },
            },
          },
        ],
      }),
    );
    expect(view.kind === "choices" && view.choices[0]).toMatchObject({
      text: "a b",
      toolCalls: [{ name: "legacy", arguments: "{not json", validJson: false }],
    });
  });

  it("counts logprobs as present only when they hold tokens", () => {
    const withLogprobs = (logprobs: unknown) =>
      semanticView(capture("chat", [chunk({ content: "x" }, { logprobs })]));
    expect(withLogprobs({ content: null, refusal: null })).toMatchObject({ choices: [{ logprobs: false }] });
    expect(withLogprobs({ content: [], refusal: null })).toMatchObject({ choices: [{ logprobs: false }] });
    expect(withLogprobs({ content: [{ token: "x", logprob: -0.1 }] })).toMatchObject({
      choices: [{ logprobs: true }],
    });
  });
});

describe("other endpoint views", () => {
  it("reads completion choices streamed interleaved", () => {
    const view = semanticView(
      capture("completion", [
        { model: "m", choices: [{ index: 1, text: "B1" }] },
        { model: "m", choices: [{ index: 0, text: "A1" }] },
        { model: "m", choices: [{ index: 0, text: " A2", finish_reason: "length" }] },
        { model: "m", choices: [{ index: 1, text: " B2", finish_reason: "stop" }] },
      ]),
    );
    expect(view.kind === "choices" && view.choices.map((c) => [c.index, c.text, c.finishReason])).toEqual([
      [0, "A1 A2", "length"],
      [1, "B1 B2", "stop"],
    ]);
  });

  it("decodes base64 embeddings as little-endian float32 and orders vectors by index", () => {
    const base64 = Buffer.from(Float32Array.from([0.5, -2, 0.25]).buffer).toString("base64");
    const view = semanticView(
      capture("embeddings", {
        model: "e",
        data: [
          { index: 1, embedding: [1, 2] },
          { index: 0, embedding: base64 },
        ],
      }),
    );
    expect(view).toMatchObject({
      kind: "embeddings",
      vectors: [
        [0.5, -2, 0.25],
        [1, 2],
      ],
    });
  });

  it("reads a model list from the SDK's array or the wire's `data`", () => {
    const models = [{ id: "b" }, { id: "a" }, { id: "b" }];
    expect(semanticView(capture("models", models, false))).toMatchObject({ kind: "models", ids: ["a", "b"] });
    expect(semanticView(capture("models", { object: "list", data: models }))).toMatchObject({
      kind: "models",
      ids: ["a", "b"],
    });
  });

  it("keeps what the server says of each model, without what changes on every start", () => {
    const vllm = (created: number, maxModelLen: number) => [
      {
        id: "Qwen/Qwen3-0.6B",
        created,
        object: "model",
        owned_by: "vllm",
        max_model_len: maxModelLen,
        permission: [
          { id: `modelperm-${created}`, object: "model_permission", created, allow_sampling: true },
        ],
      },
    ];
    const view = (created: number, maxModelLen: number) =>
      semanticView(capture("models", vllm(created, maxModelLen), false));
    expect(view(1, 4096)).toEqual(view(2, 4096));
    // The SDK writes a field the wire left out as null: the same absence.
    const sent = semanticView(capture("models", [{ id: "m", owned_by: null }], false));
    expect(sent).toEqual(semanticView(capture("models", [{ id: "m" }], false)));
    expect(view(1, 4096)).toMatchObject({
      details: {
        "Qwen/Qwen3-0.6B": { owned_by: "vllm", max_model_len: 4096, permission: [{ allow_sampling: true }] },
      },
    });
    expect(compareViews(view(1, 4096), view(2, 8192), DEFAULT_COMPARE_OPTIONS).findings).toEqual([
      {
        severity: "minor",
        kind: "model-list",
        field: "model list",
        text: "model list: Qwen/Qwen3-0.6B max_model_len 4096 → 8192",
      },
    ]);
  });

  it("reads an error from the body when a passthrough answer only carries its status", () => {
    const live: Capture = {
      endpoint: "passthrough",
      streaming: false,
      status: 404,
      body: { type: "error", error: { type: "not_found_error", message: "model: nope" } },
      error: null,
    };
    expect(semanticView(live)).toEqual({
      kind: "error",
      status: 404,
      type: "not_found_error",
      code: null,
      message: "model: nope",
      broken: false,
    });
  });
});

describe("passthrough views", () => {
  it("parses SSE events, joining multi-line data and skipping [DONE]", () => {
    expect(sseEvents(["event: a", 'data: {"x":', "data: 1}", "", "data: [DONE]", ""])).toEqual([{ x: 1 }]);
    expect(sseEvents('data: {"y":2}\n\ndata: {"z":3}\n')).toEqual([{ y: 2 }, { z: 3 }]);
  });

  it("reads a Gemini interaction's text and function calls, skipping thoughts", () => {
    const view = semanticView(
      capture("passthrough", {
        id: "v1_x",
        status: "requires_action",
        outputs: [
          { signature: "c2ln", type: "thought" },
          { name: "get_weather", arguments: { location: "Paris" }, type: "function_call", id: "o5slgqcy" },
        ],
        role: "model",
        object: "interaction",
        model: "gemini-2.5-flash-lite",
      }),
    );
    expect(view).toMatchObject({
      kind: "choices",
      model: "gemini-2.5-flash-lite",
      choices: [
        {
          role: "model",
          text: "",
          finishReason: "requires_action",
          toolCalls: [{ name: "get_weather", arguments: { location: "Paris" } }],
        },
      ],
    });
  });

  it("assembles an Anthropic stream's tool input from input_json_delta fragments", () => {
    const view = semanticView(
      capture(
        "passthrough",
        sseLines([
          { type: "message_start", message: { id: "msg_1", role: "assistant", model: "m", content: [] } },
          {
            type: "content_block_start",
            index: 0,
            content_block: { type: "tool_use", id: "t1", name: "calc", input: {} },
          },
          {
            type: "content_block_delta",
            index: 0,
            delta: { type: "input_json_delta", partial_json: '{"expr' },
          },
          {
            type: "content_block_delta",
            index: 0,
            delta: { type: "input_json_delta", partial_json: '":"1+1"}' },
          },
          { type: "message_delta", delta: { stop_reason: "tool_use" }, usage: { output_tokens: 9 } },
        ]),
      ),
    );
    expect(view).toMatchObject({
      kind: "choices",
      choices: [{ finishReason: "tool_use", toolCalls: [{ name: "calc", arguments: { expr: "1+1" } }] }],
      usage: { output_tokens: 9 },
    });
  });

  it("sees an error event in a passthrough stream as a broken stream", () => {
    const view = semanticView(
      capture(
        "passthrough",
        sseLines([
          { type: "message_start", message: { id: "msg_1", role: "assistant", model: "m", content: [] } },
          { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
        ]),
      ),
    );
    expect(view).toEqual({
      kind: "error",
      status: null,
      type: "overloaded_error",
      code: null,
      message: "Overloaded",
      broken: true,
    });
  });

  it("compares any other body as JSON without ids, timestamps and token counts", () => {
    const view = semanticView(
      capture("passthrough", {
        id: "x",
        created_at: "2026-01-01",
        request_id: "r",
        result: { status: "ok", trace_id: "t", items: [{ id: 1, name: "a" }] },
        usage: { total_tokens: 3 },
        prompt_tokens: 5,
      }),
    );
    expect(view).toEqual({ kind: "json", body: { result: { status: "ok", items: [{ name: "a" }] } } });
  });
});
