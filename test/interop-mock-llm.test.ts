// Replays through an OpenAI-compatible server this project did not write: @dwmkerr/mock-llm, run
// as its CLI with its default config (it echoes the last user message), on a free loopback port.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../src/config.ts";
import { replayAll } from "../src/replay/replay.ts";
import type { ReplayResult, ReplayTarget } from "../src/replay/types.ts";
import { collect } from "./support/simulator/replay-setup.ts";

const MOCK_LLM = fileURLToPath(new URL("../node_modules/@dwmkerr/mock-llm/dist/main.js", import.meta.url));

let child: ChildProcess | undefined;
let cwd: string | undefined;
let baseUrl = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const port = await freePort();
  // An empty working directory: mock-llm then runs its default config (no mock-llm.yaml here).
  cwd = mkdtempSync(join(tmpdir(), "mock-llm-"));
  child = spawn(process.execPath, [MOCK_LLM], {
    cwd,
    env: { ...process.env, HOST: "127.0.0.1", PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    let output = "";
    child?.stdout?.on("data", (data: Buffer) => {
      output += data.toString();
      if (output.includes("server running")) resolve();
    });
    child?.on("exit", (code) => reject(new Error(`mock-llm exited with ${code}: ${output}`)));
  });
  baseUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once("exit", resolve));
    child.kill();
    await exited;
  }
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

function chatTarget(stream: boolean): ReplayTarget {
  return {
    file: `interop-${stream ? "stream" : "plain"}.json`,
    testId: "tests/integration/inference/test_interop.py::test_echo",
    endpoint: "chat",
    streaming: stream,
    request: {
      method: "POST",
      url: "http://localhost:6556/v1/v1/chat/completions",
      headers: {},
      body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello, recording-drift" }], stream },
      endpoint: "/v1/chat/completions",
      model: "gpt-4o-mini",
    },
  };
}

async function replay(target: ReplayTarget): Promise<ReplayResult> {
  const options = { config: defaultConfig(), providerOverrides: [`localhost:6556=${baseUrl}`], env: {} };
  const [result] = await collect(replayAll([target], options));
  if (result === undefined) throw new Error("no result");
  return result;
}

describe("interop with @dwmkerr/mock-llm", () => {
  it("captures a chat completion", async () => {
    const result = await replay(chatTarget(false));
    expect(result.provider).toBe("localhost:6556");
    expect(result.outcome).toMatchObject({
      kind: "captured",
      samples: [
        {
          endpoint: "chat",
          streaming: false,
          status: 200,
          error: null,
          body: {
            object: "chat.completion",
            model: "gpt-4o-mini",
            choices: [
              { message: { role: "assistant", content: "Hello, recording-drift" }, finish_reason: "stop" },
            ],
          },
        },
      ],
    });
  });

  it("captures a streamed chat completion chunk by chunk", async () => {
    const result = await replay(chatTarget(true));
    if (result.outcome.kind !== "captured") throw new Error(JSON.stringify(result.outcome));
    const capture = result.outcome.samples[0];
    expect(capture).toMatchObject({ endpoint: "chat", streaming: true, status: 200, error: null });
    const chunks = capture?.body as Array<{
      object: string;
      choices: Array<{ delta: { content?: string } }>;
    }>;
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.every((c) => c.object === "chat.completion.chunk")).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("Hello, recording-drift");
  });
});
