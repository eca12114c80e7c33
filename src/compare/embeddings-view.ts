// The view of an embeddings answer: each vector, in `index` order.

import type { Capture } from "../capture.ts";
import { arrayAt, isPlainObject, numberAt, numericLeaves, objectAt, stringAt } from "./plain-json.ts";
import type { EmbeddingsView } from "./semantic-view.ts";

/** A base64 vector (`encoding_format: "base64"`) is little-endian float32. */
function decodeBase64Vector(text: string): number[] {
  const bytes = Buffer.from(text, "base64");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let offset = 0; offset + 4 <= bytes.byteLength; offset += 4) out.push(view.getFloat32(offset, true));
  return out;
}

function vectorOf(embedding: unknown): number[] {
  if (typeof embedding === "string") return decodeBase64Vector(embedding);
  return Array.isArray(embedding)
    ? embedding.map((value) => (typeof value === "number" ? value : Number.NaN))
    : [];
}

export function embeddingsView(capture: Capture): EmbeddingsView {
  const data = arrayAt(capture.body, "data")
    .map((item, position) => ({ index: numberAt(item, "index") ?? position, item }))
    .sort((a, b) => a.index - b.index);
  const usage = objectAt(capture.body, "usage");
  return {
    kind: "embeddings",
    vectors: data.map(({ item }) => vectorOf(isPlainObject(item) ? item.embedding : null)),
    model: stringAt(capture.body, "model"),
    usage: usage ? numericLeaves(usage) : null,
  };
}
