// IBM Cloud IAM's documented API-key exchange (watsonx): POST the key as
// `grant_type=urn:ibm:params:oauth:grant-type:apikey` to the token endpoint, get an access token
// with its lifetime, use it as a bearer token until shortly before it expires. Written by hand:
// the exchange is one form POST, and IBM's SDKs bring a whole HTTP stack for it.

export const IAM_TOKEN_URL = "https://iam.cloud.ibm.com/identity/token";

/** The token endpoint refused the key: the key is wrong, not the request. */
export class CredentialRejectedError extends Error {
  override name = "CredentialRejectedError";
  constructor(
    readonly status: number,
    readonly credential: string,
  ) {
    super(`${credential} rejected: ${status}`);
  }
}

interface Token {
  value: string;
  /** When to stop using it (a margin before it expires). */
  renewAt: number;
}

/** Renew this long before expiry: 10 % of the lifetime, at most 5 minutes. */
function renewalMargin(lifetimeMs: number): number {
  return Math.min(lifetimeMs * 0.1, 300_000);
}

export class IamTokens {
  #token: Token | null = null;
  #pending: Promise<string> | null = null;

  constructor(
    private readonly url: string,
    private readonly apiKey: string,
    private readonly credential: string,
    private readonly now: () => number,
    private readonly onToken: (token: string) => void,
  ) {}

  /** A valid access token; concurrent callers share one exchange. */
  token(): Promise<string> {
    const token = this.#token;
    if (token !== null && this.now() < token.renewAt) return Promise.resolve(token.value);
    this.#pending ??= this.exchange().finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  private async exchange(): Promise<string> {
    const asked = this.now();
    const response = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "urn:ibm:params:oauth:grant-type:apikey",
        apikey: this.apiKey,
      }).toString(),
      signal: AbortSignal.timeout(30_000),
      // The body holds the API key: a redirect is an error (its status below), never followed.
      redirect: "manual",
    });
    const text = await response.text();
    if (response.status === 400 || response.status === 401 || response.status === 403) {
      throw new CredentialRejectedError(response.status, this.credential);
    }
    if (!response.ok) throw new Error(`IAM token exchange at ${this.url}: ${response.status}`);
    const body = parseTokenBody(text);
    if (body === null) throw new Error(`IAM token exchange at ${this.url}: no access_token in the answer`);
    this.onToken(body.token);
    const lifetimeMs = body.expiresInSeconds * 1000;
    this.#token = { value: body.token, renewAt: asked + lifetimeMs - renewalMargin(lifetimeMs) };
    return body.token;
  }
}

function parseTokenBody(text: string): { token: string; expiresInSeconds: number } | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof body !== "object" || body === null) return null;
  const { access_token: token, expires_in: expiresIn } = body as Record<string, unknown>;
  if (typeof token !== "string" || token === "") return null;
  // IAM tokens live an hour; an answer without a lifetime is taken as that.
  return { token, expiresInSeconds: typeof expiresIn === "number" && expiresIn > 0 ? expiresIn : 3600 };
}
