import { describe, expect, it } from "vitest";
import { storedCapture } from "../src/recording/stored-capture.ts";
import { loadRecording, storedFixture } from "./support/live-capture.ts";

const INTEGRATION = "llama-stack/tests/integration/";

describe("storedCapture", () => {
  it("unwraps each chunk of a stored stream", () => {
    const capture = storedFixture(
      `${INTEGRATION}agents/recordings/00bf38cb0b6eef2963c49f52798781840456635d0510be615cda65f93cd1cdfb.json`,
      "chat",
    );
    expect(capture).toMatchObject({ endpoint: "chat", streaming: true, status: 200, error: null });
    const chunks = capture.body as Record<string, unknown>[];
    expect(chunks).toHaveLength(8);
    expect(chunks[0]).toMatchObject({ id: "rec-00bf38cb0b6e", object: "chat.completion.chunk" });
    expect(chunks.some((chunk) => "__type__" in chunk || "__data__" in chunk)).toBe(false);
  });

  it("unwraps a non-streamed object", () => {
    const capture = storedFixture(
      `${INTEGRATION}inference/recordings/0de34091fb19d61b7edfe5f361650789ae2e66f9273ad74925e95b230a862a00.json`,
      "chat",
    );
    expect(capture).toMatchObject({
      streaming: false,
      status: 200,
      error: null,
      body: { object: "chat.completion" },
    });
  });

  it("reads a model list as the array of model objects", () => {
    const capture = storedFixture(
      `${INTEGRATION}common/recordings/models-64a2277c90f0f42576f60c1030e3a020403d34a95f56931b792d5939f4cebc57-489dfd4c.json`,
      "models",
    );
    expect(Array.isArray(capture.body)).toBe(true);
    expect((capture.body as unknown[])[0]).toEqual({
      id: "qwen3:latest",
      created: 1772815184,
      object: "model",
      owned_by: "library",
    });
  });

  it("turns a recorded exception into its status and provider error", () => {
    const capture = storedFixture(
      `${INTEGRATION}inference/recordings/28a43dc80443ccae98eee165c58522090fd6f0637031153b0105399093d39c52.json`,
      "chat",
    );
    expect(capture).toEqual({
      endpoint: "chat",
      streaming: false,
      status: 400,
      body: null,
      error: { status: 400, type: "invalid_request_error", code: null, message: "invalid image input" },
    });
  });

  it("reads the error from `exception_data.body.error` when the body wraps it", () => {
    const recording = {
      response: {
        body: null,
        is_streaming: false,
        is_exception: true,
        exception_data: {
          status_code: 404,
          message: "Error code: 404",
          body: {
            error: {
              message: "The model does not exist",
              type: "invalid_request_error",
              code: "model_not_found",
            },
          },
        },
        exception_message: "Error code: 404",
      },
    };
    expect(storedCapture(recording, "chat").error).toEqual({
      status: 404,
      type: "invalid_request_error",
      code: "model_not_found",
      message: "The model does not exist",
    });
  });

  it("defaults a recorded exception without a status to 500 and keeps a broken stream's chunks", () => {
    const chunk = {
      __type__: "openai.types.chat.chat_completion_chunk.ChatCompletionChunk",
      __data__: { id: "rec-1", choices: [] },
    };
    const recording = {
      response: {
        body: [chunk],
        is_streaming: true,
        is_exception: true,
        exception_data: { status_code: null, body: null, message: "Connection reset" },
        exception_message: "Connection reset by peer",
      },
    };
    expect(storedCapture(recording, "chat")).toEqual({
      endpoint: "chat",
      streaming: true,
      status: 500,
      body: [{ id: "rec-1", choices: [] }],
      error: { status: 500, type: null, code: null, message: "Connection reset by peer" },
    });
  });

  it("keeps an HTTP passthrough error's status and body", () => {
    const capture = storedFixture(
      `${INTEGRATION}common/recordings/cf0be7f9e2ebfc78903aa4ada30204585952f77bc5acb3ff7702bd7878d44b44.json`,
      "passthrough",
    );
    expect(capture.status).toBe(400);
    expect(capture.body).toMatchObject({ type: "error", request_id: "req_b662960dd608e745f612e3a2" });
    expect(capture.error).toEqual({
      status: 400,
      type: "invalid_request_error",
      code: null,
      message: "messages is required",
    });
  });

  it("reads a Gemini passthrough error's code", () => {
    const capture = storedFixture(
      `${INTEGRATION}interactions/recordings/1151b20ef79f0f44639f8133c3d0595d224611608c17d4076a325169e5dbf81e.json`,
      "passthrough",
    );
    expect(capture.error).toMatchObject({ status: 400, type: null, code: "invalid_request" });
  });

  it("keeps a streaming passthrough's raw SSE lines with status 200", () => {
    const path = `${INTEGRATION}interactions/recordings/2cb6caa89a82691b08f59f724d697f518e57b07818c26c8a78c972dab8f3a95c.json`;
    const capture = storedFixture(path, "passthrough");
    expect(capture).toMatchObject({ streaming: true, status: 200, error: null });
    expect((capture.body as string[])[0]).toBe("event: interaction.start");
    expect(capture.body).toEqual((loadRecording(path) as { response: { body: string[] } }).response.body);
  });

  it("reads an embeddings response and a completion stream", () => {
    const embeddings = storedFixture(
      `${INTEGRATION}responses/recordings/050f63320eeea2dc946617884f63e55d84fd718af642afa609c36154deb34dce.json`,
      "embeddings",
    );
    expect(embeddings.body).toMatchObject({ object: "list", data: [{ index: 0, object: "embedding" }] });
    const completion = storedFixture(
      `${INTEGRATION}inference/recordings/8567635651a5e7104394951bbbba040e5c7f3ba11084fb6e81328f4905100a65.json`,
      "completion",
    );
    expect((completion.body as unknown[]).length).toBe(51);
  });
});
