// The simulator re-splits a live stream (noise the comparison must ignore) without changing what
// it says: with `n` > 1 the stream interleaves its choices, and each choice keeps its own text.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resplit, seededRandom } from "./support/simulator/liveify.ts";

// A real recording (llama-stack's history, 2025-10-03): gpt-5-mini asked with n: 2, streamed.
const RECORDING = path.resolve(import.meta.dirname, "fixtures/simulator/n2-stream-94d11daee205.json");
type Chunk = { choices: Array<{ index: number; delta?: { content?: string | null } }> };
const chunks = (JSON.parse(readFileSync(RECORDING, "utf8")).response.body as Array<{ __data__: Chunk }>).map(
  (c) => c.__data__,
);

function textByChoice(stream: readonly Chunk[]): Record<number, string> {
  const text: Record<number, string> = {};
  for (const chunk of stream)
    for (const choice of chunk.choices)
      text[choice.index] = (text[choice.index] ?? "") + (choice.delta?.content ?? "");
  return text;
}

describe("the simulator's re-split stream", () => {
  it("keeps each choice's text of an interleaved n: 2 stream, whatever the cuts", () => {
    const expected = textByChoice(chunks);
    expect(Object.keys(expected)).toEqual(["0", "1"]);
    for (let seed = 1; seed <= 200; seed++) {
      const split = resplit(
        structuredClone(chunks) as unknown as Record<string, unknown>[],
        seededRandom(seed),
      );
      expect(textByChoice(split as unknown as Chunk[]), `seed ${seed}`).toEqual(expected);
    }
  });
});
