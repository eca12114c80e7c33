// Embeddings: same count and dimensions, then cosine similarity per vector. The recorder stored
// float32 values widened to doubles, so differences at float32 precision are no change at all.

import { compareModel, compareUsage } from "./compare-metadata.ts";
import type { CompareOptions } from "./options.ts";
import type { EmbeddingsView } from "./semantic-view.ts";
import { type Finding, formatSimilarity, type ViewComparison } from "./verdict.ts";

// float32 keeps 24 bits (~6e-8 relative); allow a little more for a re-encoding round trip.
const FLOAT32_NOISE = 1e-6;

function withinFloat32Noise(a: number[], b: number[]): boolean {
  return a.every((x, i) => Math.abs(x - b[i]!) <= FLOAT32_NOISE * Math.max(1, Math.abs(x)));
}

export function cosineSimilarity(a: number[], b: number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  if (normA === 0 || normB === 0) return normA === normB ? 1 : 0;
  return dot / Math.sqrt(normA * normB);
}

export function compareEmbeddings(
  stored: EmbeddingsView,
  live: EmbeddingsView,
  options: CompareOptions,
): ViewComparison {
  const findings: Finding[] = [];
  let similarity = 1;
  if (stored.vectors.length !== live.vectors.length) {
    const text = `embeddings: ${stored.vectors.length} → ${live.vectors.length}`;
    findings.push({ severity: "drifted", kind: "embedding", field: "embeddings", text });
  }
  stored.vectors.forEach((vector, i) => {
    const other = live.vectors[i];
    const field = `embedding ${i}`;
    if (!other) return;
    if (vector.length !== other.length) {
      findings.push({
        severity: "drifted",
        kind: "embedding",
        field,
        text: `${field}: dimension ${vector.length} → ${other.length}`,
      });
      similarity = 0;
      return;
    }
    if (withinFloat32Noise(vector, other)) return;
    const cosine = cosineSimilarity(vector, other);
    similarity = Math.min(similarity, cosine);
    const text = `${field}: cosine ${formatSimilarity(cosine, 4)} (threshold ${options.embeddingThreshold})`;
    findings.push({
      severity: cosine >= options.embeddingThreshold ? "minor" : "drifted",
      kind: "embedding",
      field,
      text,
    });
  });
  findings.push(...compareModel(stored.model, live.model), ...compareUsage(stored.usage, live.usage));
  return { findings, similarity, diff: null };
}
