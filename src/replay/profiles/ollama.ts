// Ollama, run by the workflow itself: no key, unless the config names one (a proxy in front).
import { bearer, NO_AUTHORIZATION, type ProviderProfile, requireKey } from "./profile.ts";

export const ollamaProfile: ProviderProfile = {
  kind: "ollama",
  variables: { apiKey: [], baseUrl: null, project: null, location: null },
  authorize: (context) =>
    context.variables.apiKey.length > 0 ? requireKey(context, bearer) : { ok: true, auth: NO_AUTHORIZATION },
};
