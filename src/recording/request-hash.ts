// The recorder's request hash (spec §5): what a recording's file name should be. Mirrors
// llama-stack's `_normalize_body_for_hash` and `normalize_*_request` rule for rule, including
// their quirks (list items are normalized as if they were the root), because a hash that is
// almost right is useless: the replaying test looks the file up by exact name.
import { createHash } from "node:crypto";
import { type JsonObject, type JsonValue, newJsonObject, objectKeys, PyFloat } from "./json-value.ts";
import { compareCodePoints, dumpsPython } from "./json-write.ts";

const MODEL_LIST_ENDPOINTS = new Set(["/api/tags", "/v1/models", "/v1/openai/v1/models"]);

const FLOAT_IN_STRING = /-?\d+\.\d{4,}/g;
const SEARCH_SCORE = /score:\s*[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?/g;
const SEARCH_ATTRIBUTES = /,?\s*attributes:\s*\{[^}]*\}/g;
const SEARCH_DOCUMENT_ID = /document_id:\s*[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}/g;
const SEARCH_CITATION = /<\|[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}\|>/g;

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Python's `json.dumps(obj, sort_keys=True)` hashed: the recorder's hash of a normalized request. */
export function hashNormalized(obj: JsonObject): string {
  return sha256Hex(dumpsPython(obj, { sortKeys: true }));
}

export function isModelListEndpoint(path: string): boolean {
  return MODEL_LIST_ENDPOINTS.has(path);
}

/** What an inference request's hash is taken of (`{method, endpoint, body}` plus the test id). */
export function inferenceHashInput(
  method: string,
  url: string,
  body: JsonValue,
  testId: JsonValue | undefined,
): JsonObject {
  const { netloc, path } = splitUrl(url);
  const obj = newJsonObject();
  obj.method = method.toUpperCase();
  obj.endpoint = path;
  obj.body = normalizeForHash(body, netloc.includes("bedrock"), true);
  // The older layout had no test id at all: the key is absent, not null.
  if (!isModelListEndpoint(obj.endpoint) && testId !== undefined) obj.test_id = testId;
  return obj;
}

/** What an HTTP passthrough request's hash is taken of (`{test_id, url, method, payload}`). */
export function httpHashInput(
  url: string,
  method: string,
  payload: JsonValue,
  testId: JsonValue,
): JsonObject {
  const obj = newJsonObject();
  obj.test_id = testId;
  obj.url = url;
  obj.method = method.toUpperCase();
  obj.payload = normalizeForHash(payload, false, true);
  return obj;
}

/** What a tool invocation's hash is taken of (`{provider, tool_name, kwargs}`, no test id). */
export function toolHashInput(provider: JsonValue, toolName: JsonValue, kwargs: JsonValue): JsonObject {
  const obj = newJsonObject();
  obj.provider = provider;
  obj.tool_name = toolName;
  obj.kwargs = kwargs;
  return obj;
}

/** First 8 hex of sha256 of the sorted, de-duplicated model ids joined with `|`. */
export function modelIdsDigest(ids: readonly string[]): string {
  const unique = [...new Set(ids)].sort(compareCodePoints);
  return sha256Hex(unique.join("|")).slice(0, 8);
}

/** Python's `urlparse(url)` netloc and path (no query or fragment); never throws. */
function splitUrl(url: string): { netloc: string; path: string } {
  const noFragment = url.split("#")[0] as string;
  const noQuery = noFragment.split("?")[0] as string;
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(noQuery);
  const rest = scheme ? noQuery.slice(scheme[0].length) : noQuery;
  if (!rest.startsWith("//")) return { netloc: "", path: rest };
  const slash = rest.indexOf("/", 2);
  return slash < 0
    ? { netloc: rest.slice(2), path: "" }
    : { netloc: rest.slice(2, slash), path: rest.slice(slash) };
}

function normalizeForHash(value: JsonValue, excludeStreamOptions: boolean, isRoot: boolean): JsonValue {
  if (typeof value === "string") return normalizeString(value);
  if (typeof value === "number") return Number.isInteger(value) ? value : roundFloat(value);
  if (value instanceof PyFloat) return roundFloat(value.value);
  if (Array.isArray(value)) return value.map((item) => normalizeForHash(item, false, true));
  if (value === null || typeof value !== "object") return value;
  const out = newJsonObject();
  for (const key of objectKeys(value)) {
    if (excludeStreamOptions && key === "stream_options") continue;
    out[key] = normalizeForHash(value[key] as JsonValue, false, false);
  }
  if (isRoot) {
    for (const extraKey of ["extra_body", "extra_query"]) {
      const extra = out[extraKey];
      if (extra && typeof extra === "object" && !Array.isArray(extra) && !(extra instanceof PyFloat)) {
        delete extra.project_id;
      }
    }
  }
  return out;
}

function normalizeString(value: string): string {
  return value
    .replace(SEARCH_SCORE, "score: __NORMALIZED__")
    .replace(SEARCH_ATTRIBUTES, "")
    .replace(SEARCH_DOCUMENT_ID, "document_id: __NORMALIZED__")
    .replace(SEARCH_CITATION, "<|__NORMALIZED__|>")
    .replace(FLOAT_IN_STRING, (literal) => formatFixed5(Number(literal)));
}

/** Python's `round(x, 5)`, kept a float even when the result is integral. */
function roundFloat(x: number): JsonValue {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e16) return x;
  const rounded = Number(formatFixed5(x));
  return Number.isInteger(rounded) ? new PyFloat(rounded) : rounded;
}

/**
 * Python's `f"{x:.5f}"`: correctly rounded with ties to even. `toFixed` is correctly rounded
 * too but sends exact ties away from zero, so ties are detected on the exact expansion.
 */
export function formatFixed5(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  const abs = Math.abs(x);
  if (abs >= 1e21) return `${sign}${BigInt(abs).toString()}.00000`;
  let fixed = abs.toFixed(5);
  const exact = abs.toFixed(100);
  const dot = exact.indexOf(".");
  const tail = exact.slice(dot + 6);
  if (tail[0] === "5" && /^50*$/.test(tail)) {
    const lastKept = exact.charCodeAt(dot + 5) - 48;
    if (lastKept % 2 === 0) fixed = exact.slice(0, dot + 6);
  }
  return sign + fixed;
}
