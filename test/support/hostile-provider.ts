// A loopback provider that answers every request in one hostile way, at full speed, generating
// its bytes as it sends them (a 1 GiB answer costs it no memory): for the benches and tests of
// interrupted runs and of memory under answer bombs. It answers whatever the request, so it
// stands in for the host of the two Ollama fixtures below.
import { once } from "node:events";
import { cpSync, mkdirSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createGzip } from "node:zlib";
import { FIXTURES } from "./temp-dir.ts";

/** Ollama recordings among the fixtures: a chat completion and two chat streams. */
export const OLLAMA_CHAT =
  "llama-stack/tests/integration/agents/recordings/007a9180a7aa38e17c1135ebf1f75e0d5ce1ea58e2261deba8c41e51196078ec.json";
export const OLLAMA_STREAM =
  "llama-stack/tests/integration/agents/recordings/00cf12ddd414ae82d68c2d2b50190f96785f0d0a0c9f5cf72f1f8aea5e28073e.json";
export const OLLAMA_OTHER_STREAM =
  "llama-stack/tests/integration/agents/recordings/00bf38cb0b6eef2963c49f52798781840456635d0510be615cda65f93cd1cdfb.json";

/** The `--provider` value sending the fixtures' Ollama host to `url`. */
export const ollamaProvider = (url: string) => `0.0.0.0:11434=${url}/v1`;

/** Copies fixtures (paths under the fixture corpus) into `dir` under the same paths. */
export function copyFixtures(dir: string, files: readonly string[]): void {
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    cpSync(path.join(FIXTURES, file), path.join(dir, file));
  }
}

export type Hostility =
  /** Never finish: a JSON request gets no headers, a stream its headers and one event. */
  | { kind: "hold" }
  /** A JSON body of `bytes` spaces, gzip-compressed (about 1/1000 of it is sent). */
  | { kind: "gzip-bomb"; bytes: number }
  /** Well-formed chat stream events, one after another, until the client hangs up. */
  | { kind: "endless-stream" }
  /** One stream event whose text is `bytes` long. */
  | { kind: "huge-event"; bytes: number };

export interface HostileProvider {
  url: string;
  /** Requests received so far. */
  requests(): number;
  close(): Promise<void>;
}

const MIB = 1024 * 1024;
const CHUNK = `data: ${JSON.stringify({
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  created: 1,
  model: "llama3.2:3b",
  choices: [{ index: 0, delta: { content: "a" }, finish_reason: null }],
})}\n\n`;

export async function startHostileProvider(hostility: Hostility): Promise<HostileProvider> {
  // Compressed once, before listening: about 3 s per GiB.
  const bomb = hostility.kind === "gzip-bomb" ? await gzipOfSpaces(hostility.bytes) : null;
  let requests = 0;
  const server = createServer(async (req, res) => {
    requests++;
    let body = "";
    for await (const part of req) body += part;
    switch (hostility.kind) {
      case "hold":
        // Answers a stream's headers and first event; a JSON request waits for its headers.
        if (/"stream":\s*true/.test(body)) {
          res.writeHead(200, { "content-type": "text/event-stream" });
          res.write(CHUNK);
        }
        return;
      case "gzip-bomb":
        res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
        res.end(bomb);
        return;
      case "endless-stream":
        res.writeHead(200, { "content-type": "text/event-stream" });
        void sendUntilClosed(res, () => CHUNK.repeat(256));
        return;
      case "huge-event": {
        res.writeHead(200, { "content-type": "text/event-stream" });
        const head = CHUNK.slice(0, CHUNK.indexOf('"a"') + 1);
        const tail = CHUNK.slice(CHUNK.indexOf('"a"') + 2);
        const filler = "a".repeat(MIB);
        let left = Math.ceil(hostility.bytes / MIB);
        res.write(head);
        void sendUntilClosed(res, () => (left-- > 0 ? filler : null)).then((ended) => {
          if (!ended) res.end(`${tail}data: [DONE]\n\n`);
        });
        return;
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Writes `next()` while the client reads, until `next` returns null (resolves false) or the
 * client hangs up (resolves true).
 */
async function sendUntilClosed(res: ServerResponse, next: () => string | null): Promise<boolean> {
  let closed = false;
  const close = new Promise<void>((resolve) => res.once("close", resolve)).then(() => {
    closed = true;
  });
  for (let piece = next(); piece !== null && !closed; piece = next()) {
    if (!res.write(piece)) await Promise.race([once(res, "drain"), close]);
  }
  return closed;
}

async function gzipOfSpaces(bytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gzip.on("data", (part: Buffer) => parts.push(part));
  const ended = new Promise((resolve) => gzip.on("end", resolve));
  const spaces = Buffer.alloc(MIB, " ");
  for (let left = bytes; left > 0; left -= MIB) {
    if (!gzip.write(left >= MIB ? spaces : spaces.subarray(0, left)))
      await new Promise((resolve) => gzip.once("drain", resolve));
  }
  gzip.end();
  await ended;
  return Buffer.concat(parts);
}
