// Gemini API (generativelanguage.googleapis.com): its OpenAI-compatible `/v1beta/openai` routes
// and the Interactions API take the key in `x-goog-api-key`, from GEMINI_API_KEY.
import { type ProviderProfile, requireKey } from "./profile.ts";

export const geminiProfile: ProviderProfile = {
  kind: "gemini",
  variables: { apiKey: ["GEMINI_API_KEY"], baseUrl: null, project: null, location: null },
  authorize: (context) => requireKey(context, (key) => ({ "x-goog-api-key": key, authorization: null })),
};
