// OpenAI: a bearer key from OPENAI_API_KEY.
import { bearer, type ProviderProfile, requireKey } from "./profile.ts";

export const openaiProfile: ProviderProfile = {
  kind: "openai",
  variables: { apiKey: ["OPENAI_API_KEY"], baseUrl: null, project: null, location: null },
  authorize: (context) => requireKey(context, bearer),
};
