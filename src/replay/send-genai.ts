// Sends a google-genai call to Vertex AI's REST API and keeps the answer in the SDK's layout,
// the one the recorder stored: field names snake_case (`finishReason` → `finish_reason`) except
// inside function-call arguments and responses, which are data. A streamed answer is its `data:`
// events, each one GenerateContentResponse.

import type { Capture } from "../capture.ts";
import { isJsonObject, setPlainKey } from "../recording/json-value.ts";
import type { Credentials } from "./credentials.ts";
import { BrokenAnswerError } from "./guarded-fetch.ts";
import { sendHttp } from "./send-http.ts";
import type { RequestBounds } from "./send-openai.ts";
import type { WireRequest } from "./types.ts";

const DATA_KEYS = new Set(["args", "response"]);

export async function sendGenai(
  wire: WireRequest,
  credentials: Credentials,
  timeouts: RequestBounds,
  signal?: AbortSignal,
): Promise<Capture> {
  const answer = await sendHttp(wire, credentials, timeouts, signal);
  const body = wire.streaming ? streamedResponses(answer.body) : sdkLayout(answer.body);
  if (wire.streaming ? !Array.isArray(body) : !isJsonObject(body)) {
    throw new BrokenAnswerError("not a GenerateContentResponse: expected a JSON object");
  }
  return { ...answer, endpoint: "genai", streaming: wire.streaming, body };
}

/** The JSON of each `data:` line of a stream, in the SDK's layout. */
function streamedResponses(lines: unknown): unknown[] {
  if (!Array.isArray(lines)) throw new BrokenAnswerError("expected an event stream");
  return lines
    .filter((line): line is string => typeof line === "string" && line.startsWith("data:"))
    .map((line) => {
      try {
        return sdkLayout(JSON.parse(line.slice(5)));
      } catch (error) {
        throw new BrokenAnswerError(`invalid JSON in a stream event: ${(error as Error).message}`);
      }
    });
}

/** Wire JSON (camelCase) as the SDK's models dump it (snake_case), data members untouched. */
export function sdkLayout(value: unknown, parentKey: string | null = null): unknown {
  if (parentKey !== null && DATA_KEYS.has(parentKey)) return value;
  if (Array.isArray(value)) return value.map((item) => sdkLayout(item, parentKey));
  if (!isJsonObject(value)) return value;
  const out: Record<string, unknown> = {};
  // Keys are the provider's: `__proto__` among them is data (setPlainKey).
  for (const [key, item] of Object.entries(value)) {
    const name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    setPlainKey(out, name, sdkLayout(item, name));
  }
  return out;
}
