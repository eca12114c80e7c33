// What each provider's wire adds to a recording's request, and the exact auth each profile must
// carry, written from the providers' documentation rather than from src/replay/profiles: the
// simulator then shows the profiles send what the real APIs want. Also IBM Cloud IAM's token
// endpoint, so watsonx's key exchange, token lifetime and renewal run against loopback.

import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Expectation } from "./expectations.ts";

/** Keys a test can grep for: none may appear in a capture, a reason or a report. */
export const TEST_ENV = {
  OPENAI_API_KEY: "sk-test-openai-5f2a9c",
  AZURE_OPENAI_API_KEY: "azure-test-key-77b1e0",
  WATSONX_API_KEY: "watsonx-test-key-3d8e21",
  WATSONX_PROJECT_ID: "0b6e7c1a-test-project",
  AWS_BEARER_TOKEN_BEDROCK: "bedrock-test-token-9a4f",
  GEMINI_API_KEY: "gemini-test-key-c17d2b",
  GOOGLE_CLOUD_ACCESS_TOKEN: "ya29.vertex-test-token-5e0f",
  GOOGLE_CLOUD_PROJECT: "drift-test-project",
  GOOGLE_CLOUD_LOCATION: "us-central1",
} as const;

/** The path IBM Cloud IAM issues tokens on (`https://iam.cloud.ibm.com/identity/token`). */
export const IAM_PATH = "/identity/token";
const WATSONX_VERSION = "2023-10-25";

type ProviderWire = "openai" | "azure" | "watsonx" | "bedrock" | "gemini" | "vertex" | "local";

function wireOf(host: string | null, family: Expectation["family"] | null = null): ProviderWire {
  if (family === "genai") return "vertex";
  const name = (host ?? "").replace(/:\d+$/, "");
  if (name === "api.openai.com") return "openai";
  if (name.endsWith(".openai.azure.com")) return "azure";
  if (name.endsWith(".ml.cloud.ibm.com")) return "watsonx";
  if (/^bedrock-(runtime|mantle)\./.test(name)) return "bedrock";
  if (name === "generativelanguage.googleapis.com") return "gemini";
  return "local";
}

/**
 * The request a provider's API takes for a recording: watsonx's calls carry the API version in
 * the query and the caller's project (not the recorder's) where the recording had one.
 */
export function adjustForProvider(e: Expectation, host: string | null): Expectation {
  if (wireOf(host) !== "watsonx") return e;
  const query = { ...e.query, version: WATSONX_VERSION };
  if ("project_id" in query) query.project_id = TEST_ENV.WATSONX_PROJECT_ID;
  const body =
    e.body !== null && typeof e.body === "object"
      ? { ...(e.body as object), project_id: TEST_ENV.WATSONX_PROJECT_ID }
      : e.body;
  return { ...e, query, body };
}

export interface IamIssuer {
  /** Tokens issued so far, oldest first. */
  issued: Array<{ token: string; expiresAt: number }>;
  /** Answers a token request; null when the path is not IAM's. */
  handle(path: string, body: string): { status: number; body: unknown } | null;
  valid(token: string): boolean;
}

/** IAM's key exchange: form body with the apikey grant, tokens living `lifetimeSeconds`. */
export function iamIssuer(lifetimeSeconds: number, now: () => number): IamIssuer {
  const issuer: IamIssuer = {
    issued: [],
    handle(path, body) {
      if (path !== IAM_PATH) return null;
      const form = new URLSearchParams(body);
      if (form.get("grant_type") !== "urn:ibm:params:oauth:grant-type:apikey") {
        return { status: 400, body: { errorCode: "BXNIM0109E", errorMessage: "Property missing or empty" } };
      }
      if (form.get("apikey") !== TEST_ENV.WATSONX_API_KEY) {
        return {
          status: 400,
          body: { errorCode: "BXNIM0415E", errorMessage: "Provided API key could not be found." },
        };
      }
      const token = `iam-${randomBytes(6).toString("hex")}`;
      const expiresAt = now() + lifetimeSeconds * 1000;
      issuer.issued.push({ token, expiresAt });
      return {
        status: 200,
        body: {
          access_token: token,
          refresh_token: "not_supported",
          token_type: "Bearer",
          expires_in: lifetimeSeconds,
          expiration: Math.floor(expiresAt / 1000),
          scope: "ibm openid",
        },
      };
    },
    valid: (token) => issuer.issued.some((t) => t.token === token && now() < t.expiresAt),
  };
  return issuer;
}

/**
 * What is wrong with a request's auth for the recorded host's provider, or null when it carries
 * exactly what that provider takes (and no other provider's credential).
 */
export function authProblem(
  host: string | null,
  family: Expectation["family"],
  headers: IncomingMessage["headers"],
  iam: IamIssuer,
): string | null {
  const authorization = headers.authorization ?? null;
  const others = (allowed: string[]) =>
    ["authorization", "api-key", "x-goog-api-key"].find((h) => !allowed.includes(h) && h in headers);
  const expect = (name: string, value: string | null, allowed: string[]): string | null => {
    const extra = others(allowed);
    if (extra !== undefined) return `auth: unexpected ${extra} header`;
    const got = headers[name] ?? null;
    return got === value
      ? null
      : `auth: expected ${name} ${value === null ? "absent" : "set"}, got ${got === null ? "none" : "another value"}`;
  };
  switch (wireOf(host, family)) {
    case "openai":
      return expect("authorization", `Bearer ${TEST_ENV.OPENAI_API_KEY}`, ["authorization"]);
    case "azure":
      return expect("api-key", TEST_ENV.AZURE_OPENAI_API_KEY, ["api-key"]);
    case "bedrock":
      return expect("authorization", `Bearer ${TEST_ENV.AWS_BEARER_TOKEN_BEDROCK}`, ["authorization"]);
    case "gemini":
      return expect("x-goog-api-key", TEST_ENV.GEMINI_API_KEY, ["x-goog-api-key"]);
    case "vertex":
      return expect("authorization", `Bearer ${TEST_ENV.GOOGLE_CLOUD_ACCESS_TOKEN}`, ["authorization"]);
    case "watsonx": {
      const extra = others(["authorization"]);
      if (extra !== undefined) return `auth: unexpected ${extra} header`;
      const token = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
      return token !== undefined && iam.valid(token) ? null : "auth: expected a valid IAM bearer token";
    }
    case "local":
      return others([]) === undefined ? null : `auth: a local server takes no credentials`;
  }
}
