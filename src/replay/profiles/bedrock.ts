// Amazon Bedrock's OpenAI-compatible endpoints (bedrock-runtime, bedrock-mantle): a bearer API
// key from AWS_BEARER_TOKEN_BEDROCK, the variable the AWS SDKs read too.
import { bearer, type ProviderProfile, requireKey } from "./profile.ts";

export const bedrockProfile: ProviderProfile = {
  kind: "bedrock",
  variables: { apiKey: ["AWS_BEARER_TOKEN_BEDROCK"], baseUrl: null, project: null, location: null },
  authorize: (context) => requireKey(context, bearer),
};
