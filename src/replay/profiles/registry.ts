// Every provider kind's profile, and which kind a recorded host is when the config says nothing:
// one default per host in llama-stack's recordings, so a repository needs no config beyond its
// secrets and the base URLs of the servers its workflow starts.
import picomatch from "picomatch";
import { azureProfile } from "./azure.ts";
import { bedrockProfile } from "./bedrock.ts";
import { geminiProfile } from "./gemini.ts";
import { ollamaProfile } from "./ollama.ts";
import { openaiProfile } from "./openai.ts";
import { openaiCompatibleProfile } from "./openai-compatible.ts";
import type { ProviderKind, ProviderProfile } from "./profile.ts";
import { vertexProfile } from "./vertex.ts";
import { watsonxProfile } from "./watsonx.ts";

export const PROFILES: Record<ProviderKind, ProviderProfile> = {
  openai: openaiProfile,
  azure: azureProfile,
  watsonx: watsonxProfile,
  bedrock: bedrockProfile,
  gemini: geminiProfile,
  vertex: vertexProfile,
  ollama: ollamaProfile,
  "openai-compatible": openaiCompatibleProfile,
};

/** Host globs (matched on host:port and on the bare hostname) and their kinds, first match wins. */
const DEFAULT_KINDS: ReadonlyArray<[glob: string, kind: ProviderKind]> = [
  ["api.openai.com", "openai"],
  ["*.openai.azure.com", "azure"],
  ["*.ml.cloud.ibm.com", "watsonx"],
  ["bedrock-runtime.*.amazonaws.com", "bedrock"],
  ["bedrock-mantle.*.api.aws", "bedrock"],
  ["generativelanguage.googleapis.com", "gemini"],
  ["*-aiplatform.googleapis.com", "vertex"],
  ["aiplatform.googleapis.com", "vertex"],
  // Ollama's port, wherever it runs; every other server is OpenAI-compatible.
  ["*:11434", "ollama"],
];
const defaultKinds = DEFAULT_KINDS.map(([glob, kind]) => [picomatch(glob), kind] as const);

export function defaultKind(host: string, hostname: string): ProviderKind {
  for (const [matches, kind] of defaultKinds) if (matches(host) || matches(hostname)) return kind;
  return "openai-compatible";
}

/** Every variable a profile reads a key or token from by default (for masking and scrubbing). */
export function defaultKeyVariables(): string[] {
  return Object.values(PROFILES).flatMap((profile) => profile.variables.apiKey);
}
