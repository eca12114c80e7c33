// What a provider said in answer to one request: either what a recording stored or what the
// live provider sent back. The same shape for both, so compare/ judges one against the other
// without knowing where either came from. Values are plain JSON (numbers are JS numbers).

/**
 * The endpoint families recording-drift replays and compares. `genai`: google-genai SDK calls
 * (`generate_content[_stream]`), bodies in the SDK's snake_case layout.
 */
export type Endpoint = "chat" | "completion" | "embeddings" | "models" | "passthrough" | "genai";
/** How an answer is read: a replayed family, or Ollama's native API (read from recordings). */
export type AnswerFamily = Endpoint | "ollama";

export interface ProviderError {
  /** HTTP status, when the error came with one. */
  status: number | null;
  /** `error.type` of the body, e.g. `invalid_request_error`. */
  type: string | null;
  /** `error.code` of the body, e.g. `model_not_found`. */
  code: string | null;
  message: string;
}

export interface Capture {
  endpoint: AnswerFamily;
  streaming: boolean;
  /** HTTP status of the answer (a stored success is 200; a stored error its status code). */
  status: number;
  /**
   * The answer's body: for non-streaming endpoints the JSON object (for `models`, the array of
   * model objects); for streaming ones the list of chunk objects in arrival order; for
   * streaming passthrough the raw SSE lines. `null` when the provider answered with an error.
   */
  body: unknown;
  /** Set when the provider refused (status >= 400) or a stream broke with an error event. */
  error: ProviderError | null;
}
