// Answers too big to hold: a body, one stream event or a whole stream over its limit (bytes after
// decompression, `limits.answer-bytes` / `limits.event-bytes`) fails the recording with the limit
// named, as soon as it is passed, and nothing is written; a gzip bomb is stopped the same way,
// reading no more than the limit.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { type CheckOptions, check } from "../src/commands/check.ts";
import { refresh } from "../src/commands/refresh.ts";
import { DEFAULTS, parseConfig } from "../src/config.ts";
import { guardedFetch } from "../src/replay/guarded-fetch.ts";
import { type CheckSetup, fileDigests, named, setupCheck } from "./support/check-setup.ts";
import type { Fault } from "./support/simulator.ts";

const CHAT = "007a9180a7aa"; // Ollama chat completion
const STREAM = "00cf12ddd414"; // Ollama chat stream (SDK)
const KIB = 1024;

let setup: CheckSetup;

beforeAll(async () => {
  setup = await setupCheck({ liveify: "wire" }, [CHAT, STREAM]);
});

/** check and refresh --update all under `limits` with `fault` on `prefix`: its reasons in each. */
async function reasonsUnder(limits: Record<string, number>, prefix: string, fault: Fault): Promise<string[]> {
  const config = parseConfig({ retries: { attempts: 1 }, limits }, "limits");
  const options: CheckOptions = { ...setup.options, config };
  const before = fileDigests(setup.dir);
  const undo = setup.sim.fault(fault, { recording: named(prefix) });
  try {
    const reports = [await check(options), await refresh({ ...options, update: "all", dryRun: false })];
    expect(fileDigests(setup.dir)).toEqual(before);
    return reports.map((report) => {
      const result = report.results.find((r) => named(prefix)(r.file));
      expect(result?.verdict).toBe("failed");
      return result?.reasons.join("; ") ?? "";
    });
  } finally {
    undo();
  }
}

describe("answers over the size limits", () => {
  it("a body over answer-bytes", async () => {
    const reasons = await reasonsUnder({ "answer-bytes": 256 * KIB }, CHAT, {
      kind: "huge",
      bytes: 1024 * KIB,
    });
    for (const reason of reasons)
      expect(reason).toContain("the answer is over the limit of 262144 bytes (limits.answer-bytes)");
  });

  it("one stream event over event-bytes", async () => {
    const reasons = await reasonsUnder({ "event-bytes": 256 * KIB }, STREAM, {
      kind: "huge",
      bytes: 1024 * KIB,
    });
    for (const reason of reasons)
      expect(reason).toContain("a stream event is over the limit of 262144 bytes (limits.event-bytes)");
  });

  it("a stream that never ends, over answer-bytes", async () => {
    const reasons = await reasonsUnder({ "answer-bytes": 16 * KIB }, STREAM, {
      kind: "endless",
      afterChunks: 1,
      everyMs: 1,
    });
    for (const reason of reasons)
      expect(reason).toContain("the stream is over the limit of 16384 bytes (limits.answer-bytes)");
  });

  it("a gzip bomb: stopped at the limit of decompressed bytes", async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * KIB, " ")); // 64 MiB of JSON whitespace, ~64 KiB sent
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(bomb);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const fetchGuarded = guardedFetch({
        ...DEFAULTS.timeouts,
        answerBytes: 1024 * KIB,
        eventBytes: 1024 * KIB,
        requireDone: false,
      });
      await expect(fetchGuarded(url)).rejects.toThrow(
        "the answer is over the limit of 1048576 bytes (limits.answer-bytes)",
      );
    } finally {
      server.close();
    }
  });
});
