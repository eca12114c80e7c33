// Made-up credentials of each shape the scanner knows, keyed by the kind it reports. They are
// assembled at run time so that no file in the repository holds a credential-shaped string.
export const rep = (chars: string, n: number) => chars.repeat(Math.ceil(n / chars.length)).slice(0, n);
const digits = (n: number) => rep("1234567890", n);

export const CREDENTIAL_SAMPLES: Readonly<Record<string, string>> = {
  "OpenAI API token": `sk-proj-${rep("Ab3dE5gH7j", 74)}T3BlbkFJ${rep("kL9mN1pQ3r", 74)}`,
  "Anthropic Claude API key": `sk-ant-api03-${rep("Zx8Yw7Vu6T", 93)}AA`,
  "Anthropic admin key": `sk-ant-admin01-${rep("Gh8Jk7Lz6X", 93)}AA`,
  "GitHub Token": `gh${"p"}_${rep("a1B2c3D4e5", 36)}`,
  "AWS Access Key ID": `AKIA${rep("QWERTYUIOP", 16)}`,
  "private key": `-----BEGIN RSA PRIVATE ${"KEY"}-----\nMIIEowIBAAKCAQEA${rep("q8W7e6R5t4", 40)}`,
  "bearer token": `Authorization: Bearer ${rep("eyJhbGciOi", 40)}`,
  "Azure API key": `api-key: ${rep("0123456789abcdef", 32)}`,
  "Google API key": `AIza${rep("SyA1b2C3d4", 35)}`,
  "Hugging Face User Access Token": `hf_${rep("aBcDeFgHiJ", 34)}`,
  "Groq API key": `gsk_${rep("a1B2c3D4e5", 52)}`,
  "NVIDIA API key": `nvapi-${rep("a1B2c3D4e5_-", 64)}`,
  "xAI API key": `xai-${rep("a1B2c3D4e5", 80)}`,
  "slack token": `xox${"b"}-${digits(12)}-${digits(13)}-${rep("a1B2c3D4e5", 24)}`,
  "Slack legacy token": `xox${"s"}-${digits(12)}-${digits(12)}-${digits(12)}-${rep("a1b2c3d4e5f6", 64)}`,
  "Slack Incoming Webhook": `https://hooks.slack.com/services/T${rep("A1B2C3D4E5", 8)}/B${rep("F6G7H8J9K0", 8)}/${rep("a1B2c3D4e5", 24)}`,
  "Stripe Live Secret Key": `sk_${"live"}_${rep("a1B2c3D4e5", 24)}`,
  "Stripe Live Restricted Key": `rk_${"live"}_${rep("a1B2c3D4e5", 24)}`,
};

/** Slack's other token kinds (user, workspace access, refresh), which share its one rule. */
export const MORE_SLACK_TOKENS = ["p", "a", "r"].map(
  (letter) => `xox${letter}-2-${digits(12)}-${rep("a1B2c3D4e5", 24)}`,
);
