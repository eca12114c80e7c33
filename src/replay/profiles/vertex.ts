// Vertex AI (the google-genai SDK's `vertexai://` recordings): an OAuth access token from
// GOOGLE_CLOUD_ACCESS_TOKEN (e.g. `gcloud auth print-access-token`, or the token output of
// google-github-actions/auth) as a bearer token, and the project and location from
// GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION. Application default credentials are not read:
// google-auth-library needs Node 22, and hand-written OAuth is out of the question.
import { bearer, keyAuthorization, type ProviderProfile, readVariable } from "./profile.ts";

export const vertexProfile: ProviderProfile = {
  kind: "vertex",
  variables: {
    apiKey: ["GOOGLE_CLOUD_ACCESS_TOKEN"],
    baseUrl: null,
    project: "GOOGLE_CLOUD_PROJECT",
    location: "GOOGLE_CLOUD_LOCATION",
  },
  authorize({ env, variables }) {
    const tokenName = variables.apiKey[0] ?? "api-key-env";
    const token = readVariable(env, tokenName);
    const missing = [tokenName, variables.project ?? "project-env"].filter(
      (name) => readVariable(env, name) === undefined,
    );
    if (token === undefined || missing.length > 0) return { ok: false, missing };
    return { ok: true, auth: keyAuthorization(tokenName, token, bearer(token)) };
  },
};
