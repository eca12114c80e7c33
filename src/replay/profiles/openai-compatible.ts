// Any other OpenAI-compatible server (vLLM, a gateway): a bearer key when the config names its
// variable. Without one it is only sent to this machine: a remote host with no key configured
// is skipped rather than called anonymously.
import { bearer, NO_AUTHORIZATION, type ProviderProfile, requireKey } from "./profile.ts";

export const openaiCompatibleProfile: ProviderProfile = {
  kind: "openai-compatible",
  variables: { apiKey: [], baseUrl: null, project: null, location: null },
  authorize(context) {
    if (context.variables.apiKey.length > 0) return requireKey(context, bearer);
    if (context.local) return { ok: true, auth: NO_AUTHORIZATION };
    return { ok: false, missing: [`api-key-env for ${context.host} in the config`] };
  },
};
