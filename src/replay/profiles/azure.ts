// Azure OpenAI (v1 API): the key in an `api-key` header, from AZURE_API_KEY (llama-stack's name)
// or AZURE_OPENAI_API_KEY, and the resource's base URL from AZURE_API_BASE: the recorded hosts
// (`lls-test…`, `ogx-test…`) are stand-ins for whoever recorded them.
import { type ProviderProfile, requireKey } from "./profile.ts";

export const azureProfile: ProviderProfile = {
  kind: "azure",
  variables: {
    apiKey: ["AZURE_API_KEY", "AZURE_OPENAI_API_KEY"],
    baseUrl: "AZURE_API_BASE",
    project: null,
    location: null,
  },
  baseUrlRequired: true,
  authorize: (context) => requireKey(context, (key) => ({ "api-key": key, authorization: null })),
};
