// Adds a provider's authorization to each request on its way out. Headers are asked for per
// request because some expire (watsonx's IAM tokens): a long run renews them as it goes.
import type { Authorization } from "./profiles/profile.ts";

export function authorizedFetch(inner: typeof fetch, auth: Authorization): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    for (const [name, value] of Object.entries(await auth.headers())) {
      if (value === null) headers.delete(name);
      else headers.set(name, value);
    }
    return inner(input, { ...init, headers });
  };
}
