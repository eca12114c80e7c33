// IBM watsonx.ai: the API key (WATSONX_API_KEY) is exchanged for an IAM access token sent as a
// bearer token; every call carries `version=2023-10-25` in the query and the project id
// (WATSONX_PROJECT_ID) in the body (the recorded one is the recorder's project, not yours).
// WATSONX_BASE_URL moves the region.
import type { WireRequest } from "../types.ts";
import { IAM_TOKEN_URL, IamTokens } from "./iam-token.ts";
import { isLocalHost, type ProviderProfile, readVariable } from "./profile.ts";

export const WATSONX_API_VERSION = "2023-10-25";

export const watsonxProfile: ProviderProfile = {
  kind: "watsonx",
  variables: {
    apiKey: ["WATSONX_API_KEY"],
    baseUrl: "WATSONX_BASE_URL",
    project: "WATSONX_PROJECT_ID",
    location: null,
  },
  authorize(context) {
    const { env, variables } = context;
    const keyName = variables.apiKey[0] ?? null;
    const key = readVariable(env, keyName);
    const missing = [
      ...(key === undefined ? [keyName ?? "api-key-env"] : []),
      ...(readVariable(env, variables.project) === undefined ? [variables.project ?? "project-env"] : []),
    ];
    if (key === undefined || keyName === null || missing.length > 0) return { ok: false, missing };
    const url = context.tokenUrl ?? IAM_TOKEN_URL;
    const token = new URL(url);
    if (token.protocol !== "https:" && !isLocalHost(token.hostname)) {
      return { ok: false, refused: `not sent: ${keyName} goes only over https, and ${token.origin} is not` };
    }
    const tokens = context.memo(
      `iam ${url} ${key}`,
      () => new IamTokens(url, key, keyName, context.now, context.addSecret),
    );
    return {
      ok: true,
      auth: {
        credential: keyName,
        secrets: [key],
        headers: async () => ({ authorization: `Bearer ${await tokens.token()}` }),
      },
    };
  },
  adjust(wire, variables, env): WireRequest {
    const project = readVariable(env, variables.project);
    const query = { ...wire.query, version: WATSONX_API_VERSION };
    if (project !== undefined && "project_id" in query) query.project_id = project;
    const body =
      wire.body !== null && project !== undefined ? { ...wire.body, project_id: project } : wire.body;
    return { ...wire, query, body };
  },
};
