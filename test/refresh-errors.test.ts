// Refusals: a live error is written as the recorder writes an exception openai-python raised, and
// a stored error the provider no longer gives turns back into an ordinary recording.
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Capture } from "../src/capture.ts";
import { requestHash } from "../src/recording/file-name.ts";
import type { JsonValue } from "../src/recording/json-value.ts";
import { dumpsPython } from "../src/recording/json-write.ts";
import { readRecording } from "../src/recording/recording.ts";
import { writeRecordingText } from "../src/recording/write-recording.ts";
import { pythonRepr } from "../src/refresh/python-repr.ts";
import { errorClassOf } from "../src/refresh/recorded-error.ts";
import { refreshRecording } from "../src/refresh/refresh-recording.ts";
import { liveCapture, readStoredFile, type StoredFile } from "./support/live-wire.ts";
import { FIXTURES } from "./support/temp-dir.ts";

const recordings = (dir: string) => path.join(FIXTURES, "llama-stack/tests/integration", dir, "recordings");
const CHAT = readStoredFile(
  path.join(recordings("inference"), "0de34091fb19d61b7edfe5f361650789ae2e66f9273ad74925e95b230a862a00.json"),
);
const STREAM = readStoredFile(
  path.join(recordings("common"), "224f7e7bd332f0ada326039866d13b7f167d5bfa91ce752022010f1e885d869f.json"),
);
const ERROR = readStoredFile(
  path.join(recordings("inference"), "28a43dc80443ccae98eee165c58522090fd6f0637031153b0105399093d39c52.json"),
);

const MISSING = "The model `gpt-4o-old` does not exist or you do not have access to it.";
const NOT_FOUND: Capture = {
  endpoint: "chat",
  streaming: false,
  status: 404,
  body: { error: { message: MISSING, type: "invalid_request_error", param: null, code: "model_not_found" } },
  error: { status: 404, type: "invalid_request_error", code: "model_not_found", message: MISSING },
};

function refreshedText(stored: StoredFile, live: Capture): string {
  return writeRecordingText(refreshRecording(stored.recording, live, stored.name));
}

function reread(stored: StoredFile, text: string) {
  const result = readRecording(text, stored.name);
  if (!result.ok) throw new Error(result.errors.join("; "));
  expect(requestHash(result.recording)).toBe(requestHash(stored.recording));
  return result.recording;
}

const responseOf = (text: string) =>
  text.slice(text.indexOf('  "response": {'), text.indexOf('\n  "id_normalization_mapping"'));

describe("a live refusal", () => {
  it("turns a stored success into the recorded-error shape with NotFoundError and the Python repr", () => {
    const text = refreshedText(CHAT, NOT_FOUND);
    const message = `Error code: 404 - {'error': {'message': 'The model \`gpt-4o-old\` does not exist or you do not have access to it.', 'type': 'invalid_request_error', 'param': None, 'code': 'model_not_found'}}`;
    expect(responseOf(text)).toBe(
      [
        '  "response": {',
        '    "body": null,',
        '    "is_streaming": false,',
        '    "is_exception": true,',
        '    "exception_data": {',
        '      "category": "provider_sdk",',
        '      "provider": "openai",',
        '      "type": "NotFoundError",',
        `      "message": ${JSON.stringify(message)},`,
        '      "status_code": 404,',
        '      "body": {',
        `        "message": ${JSON.stringify(MISSING)},`,
        '        "type": "invalid_request_error",',
        '        "param": null,',
        '        "code": "model_not_found"',
        "      }",
        "    },",
        `    "exception_message": ${JSON.stringify(message)}`,
        "  },",
      ].join("\n"),
    );
    expect(reread(CHAT, text).kind).toBe("recorded-error");
    expect(text.startsWith(CHAT.text.slice(0, CHAT.text.indexOf('  "response"')))).toBe(true);
  });

  it("writes is_streaming false for a stream refused before it started, as the recorder does", () => {
    const text = refreshedText(STREAM, { ...NOT_FOUND, streaming: true });
    const recording = reread(STREAM, text);
    expect(recording.response.body).toBeNull();
    expect(recording.response.is_streaming).toBe(false);
  });

  it("rebuilds the usual error body from the error alone, in the stored body's key order", () => {
    const live = liveCapture(ERROR.recording);
    expect(refreshedText(ERROR, { ...live, body: null })).toBe(ERROR.text);
  });

  it("rebuilds the error body in OpenAI's order when nothing was stored", () => {
    const text = refreshedText(CHAT, { ...NOT_FOUND, body: null });
    expect(text).toBe(refreshedText(CHAT, NOT_FOUND));
  });

  it("keeps the stored category and provider", () => {
    const azure = ERROR.text.replace('"provider": "openai"', '"provider": "azure"');
    const result = readRecording(azure, ERROR.name);
    if (!result.ok) throw new Error(result.errors.join("; "));
    const text = writeRecordingText(refreshRecording(result.recording, NOT_FOUND, ERROR.name));
    expect(text).toContain('"provider": "azure",');
    expect(text).toContain('"type": "NotFoundError",');
  });

  it("quotes a body that is not JSON as its stripped text", () => {
    const live: Capture = { ...NOT_FOUND, status: 502, body: "  upstream connect error\n", error: null };
    const data = reread(
      CHAT,
      refreshedText(CHAT, { ...live, error: { status: 502, type: null, code: null, message: "" } }),
    ).response.exception_data as Record<string, unknown>;
    expect(data.type).toBe("InternalServerError");
    expect(data.message).toBe("upstream connect error");
    expect(data.body).toBe("upstream connect error");
  });

  it("keeps the chunks of a stream that broke, with the APIError openai-python raises mid-stream", () => {
    const live = liveCapture(STREAM.recording);
    const chunks = (live.body as unknown[]).slice(0, 2);
    const text = refreshedText(STREAM, {
      ...live,
      body: chunks,
      error: { status: null, type: "server_error", code: null, message: "The server had an error." },
    });
    const response = reread(STREAM, text).response;
    expect(response.is_streaming).toBe(true);
    expect(response.body).toHaveLength(2);
    expect(text).toContain(
      [
        '    "exception_data": {',
        '      "category": "unknown",',
        '      "type": "APIError",',
        '      "message": "The server had an error."',
        "    },",
        '    "exception_message": "The server had an error."',
      ].join("\n"),
    );
    // The chunks before the break are the stored ones.
    const storedChunks = (STREAM.recording.response.body as JsonValue[]).slice(0, 2);
    expect(dumpsPython(response.body as JsonValue)).toBe(dumpsPython(storedChunks));
  });

  it("names openai-python's exception class by status", () => {
    const classes = [400, 401, 403, 404, 409, 422, 429, 500, 503, 418].map(errorClassOf);
    expect(classes).toEqual([
      "BadRequestError",
      "AuthenticationError",
      "PermissionDeniedError",
      "NotFoundError",
      "ConflictError",
      "UnprocessableEntityError",
      "RateLimitError",
      "InternalServerError",
      "InternalServerError",
      "APIStatusError",
    ]);
  });
});

describe("a stored refusal the provider now answers", () => {
  it("becomes the success shape, without exception keys", () => {
    const live: Capture = {
      endpoint: "chat",
      streaming: false,
      status: 200,
      body: {
        id: "chatcmpl-1",
        object: "chat.completion",
        created: 1_760_000_000,
        model: "llama3.2:3b-instruct-fp16",
        choices: [{ index: 0, message: { role: "assistant", content: "A cat." }, finish_reason: "stop" }],
        usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 },
      },
      error: null,
    };
    const text = refreshedText(ERROR, live);
    const recording = reread(ERROR, text);
    expect(recording.kind).toBe("chat-completion");
    expect(Object.keys(recording.response)).toEqual(["body", "is_streaming"]);
    expect(recording.response.is_streaming).toBe(false);
    const data = (recording.response.body as { __type__: string; __data__: Record<string, unknown> })
      .__data__;
    expect((recording.response.body as { __type__: string }).__type__).toBe(
      "openai.types.chat.chat_completion.ChatCompletion",
    );
    expect(Object.keys(data)).toEqual([
      "id",
      "choices",
      "created",
      "model",
      "object",
      "service_tier",
      "system_fingerprint",
      "usage",
    ]);
    expect(data.id).toBe("rec-28a43dc80443");
    expect(data.created).toBe(0);
    expect(text).toContain(
      [
        '            "message": {',
        '              "content": "A cat.",',
        '              "refusal": null,',
        '              "role": "assistant",',
        '              "annotations": null,',
        '              "audio": null,',
        '              "function_call": null,',
        '              "tool_calls": null',
        "            }",
      ].join("\n"),
    );
  });
});

describe("Python's repr of an error body", () => {
  it("writes None, True, False, numbers, lists and nested dicts as Python does", () => {
    expect(pythonRepr({ a: null, b: true, c: false, d: [1, 2.5, 1e-7], e: {}, f: [] })).toBe(
      "{'a': None, 'b': True, 'c': False, 'd': [1, 2.5, 1e-07], 'e': {}, 'f': []}",
    );
  });

  it("picks double quotes only for text with a single quote and no double quote", () => {
    expect(pythonRepr("it's")).toBe(`"it's"`);
    expect(pythonRepr(`say "hi"`)).toBe(`'say "hi"'`);
    expect(pythonRepr(`it's "both"`)).toBe(`'it\\'s "both"'`);
  });

  it("escapes backslashes, control characters and unprintable code points", () => {
    expect(pythonRepr("a\\b\n\t\r\u0007\u007f")).toBe("'a\\\\b\\n\\t\\r\\x07\\x7f'");
    expect(pythonRepr("\u00a0\u00ad\u200b\u2028\ud800\u{e0001}")).toBe(
      "'\\xa0\\xad\\u200b\\u2028\\ud800\\U000e0001'",
    );
  });

  it("keeps printable non-ASCII text as it is", () => {
    expect(pythonRepr("café – 東京 😀")).toBe("'café – 東京 😀'");
  });
});
