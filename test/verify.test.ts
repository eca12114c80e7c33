import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { verify } from "../src/commands/verify.ts";
import { verifyInWorkers } from "../src/commands/verify-workers.ts";
import { runCli } from "./support/run-cli.ts";
import { FIXTURES, makeTempDir } from "./support/temp-dir.ts";

const CHAT =
  "llama-stack/tests/integration/agents/recordings/007a9180a7aa38e17c1135ebf1f75e0d5ce1ea58e2261deba8c41e51196078ec.json";

describe("verify over the fixture corpus", () => {
  it("finds every fixture valid, byte-identical on round trip, with its kind and hash result", async () => {
    const report = await verify({ paths: [FIXTURES], cwd: FIXTURES });
    expect(report.summary).toMatchObject({ total: 47, valid: 47, invalid: 0, roundTripIdentical: 47 });
    const kinds = new Set(report.results.map((r) => r.kind));
    for (const kind of [
      "chat-completion",
      "chat-completion-stream",
      "completion",
      "embeddings",
      "model-list",
      "recorded-error",
      "http-passthrough",
      "tool-invocation",
      "file-processor",
      "google-genai",
      "ollama",
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    const byFile = new Map(report.results.map((r) => [r.file, r]));
    expect(byFile.get(CHAT)?.hash).toBe("match");
    expect(report.results.find((r) => r.kind === "file-processor")?.hash).toBe("n/a");
    expect(report.results.filter((r) => r.file.includes("2025-08")).every((r) => r.hash === "match")).toBe(
      true,
    );
  });

  it("reports a hand-edited test_id as a hash mismatch", async () => {
    const dir = makeTempDir();
    const text = readFileSync(path.join(FIXTURES, CHAT), "utf8").replace(
      '"test_id": "tests/',
      '"test_id": "tests/edited/',
    );
    writeFileSync(path.join(dir, path.basename(CHAT)), text);
    const report = await verify({ paths: [dir], cwd: dir });
    expect(report.results[0]).toMatchObject({ valid: true, roundTrip: "identical", hash: "mismatch" });
  });
});

describe("verify on bad input reports each file and goes on", () => {
  const dir = makeTempDir();
  const good = path.join(dir, "good.json");
  cpSync(path.join(FIXTURES, CHAT), good);
  const write = (name: string, content: string | Buffer) => {
    writeFileSync(path.join(dir, name), content);
    return name;
  };

  async function resultFor(name: string) {
    const report = await verify({ paths: [dir], cwd: dir });
    expect(report.results.find((r) => r.file === "good.json")?.valid).toBe(true);
    const result = report.results.find((r) => r.file === name);
    expect(result, name).toBeDefined();
    return result as NonNullable<typeof result>;
  }

  it("gives line and column for malformed JSON", async () => {
    const r = await resultFor(write("malformed.json", '{\n  "test_id": "x",\n  "request": {,\n}'));
    expect(r.valid).toBe(false);
    expect(r.errors[0]).toMatch(/^invalid JSON: line 3, column 15: /);
  });

  it("names the JSON path when the JSON is not a recording", async () => {
    const r = await resultFor(write("not-recording.json", '{"name": "package", "version": "1.0.0"}\n'));
    expect(r.valid).toBe(false);
    expect(r.errors.join("\n")).toMatch(/\$: unexpected keys "name", "version"/);
    const wrongType = await resultFor(
      write(
        "wrong-type.json",
        readFileSync(good, "utf8").replace('"endpoint": "/v1/chat/completions"', '"endpoint": 7'),
      ),
    );
    expect(wrongType.errors.join("\n")).toMatch(/\$\.request\.endpoint: expected string, received number/);
    const badChoice = await resultFor(
      write(
        "bad-choice.json",
        readFileSync(good, "utf8").replace('"finish_reason": "stop"', '"finish_reason": 3'),
      ),
    );
    expect(badChoice.errors.join("\n")).toMatch(
      /\$\.response\.body\.__data__\.choices\[0\]\.finish_reason: expected string/,
    );
  });

  it("says an empty file is empty", async () => {
    expect((await resultFor(write("empty.json", ""))).errors).toEqual(["empty file"]);
  });

  it("rejects a NUL byte with its position", async () => {
    const r = await resultFor(write("nul.json", Buffer.from('{"test_id": "a\u0000b"}')));
    expect(r.errors[0]).toMatch(/^invalid JSON: line 1, column 15: /);
  });

  it("rejects bytes that are not UTF-8", async () => {
    const r = await resultFor(write("latin1.json", Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d])));
    expect(r.errors).toEqual(["cannot read: not valid UTF-8"]);
  });

  it("reads a 20 MB recording and round-trips it", async () => {
    const data = JSON.parse(readFileSync(good, "utf8"));
    data.response.body.__data__.choices[0].message.content = "long answer ".repeat((20 * 1024 * 1024) / 12);
    const name = write("big.json", `${JSON.stringify(data, null, 2)}\n`);
    const r = await resultFor(name);
    expect(r).toMatchObject({ valid: true, roundTrip: "identical", hash: "mismatch" });
  });

  it("reports an unreadable file (a dangling link) by name", async () => {
    symlinkSync(path.join(dir, "does-not-exist.json"), path.join(dir, "dangling.json"));
    expect((await resultFor("dangling.json")).errors).toEqual(["cannot read: no such file"]);
  });

  it("stops at a symlink loop and still reports the files it found", async () => {
    const loopDir = makeTempDir();
    mkdirSync(path.join(loopDir, "recordings"));
    cpSync(good, path.join(loopDir, "recordings", "a.json"));
    symlinkSync(loopDir, path.join(loopDir, "recordings", "loop"));
    const report = await verify({ paths: [loopDir], cwd: loopDir });
    expect(report.summary.total).toBe(1);
    expect(report.problems.map((p) => p.message)).toContain("symlink loop: directory already visited");
  });

  it("warns about a directory with no recordings and a glob that matches nothing", async () => {
    const empty = makeTempDir();
    const report = await verify({ paths: [empty, "nothing/**/*.json"], cwd: empty });
    expect(report.summary.total).toBe(0);
    expect(report.problems.map((p) => p.message)).toEqual([
      "directory holds no *.json recordings",
      "the pattern matched no files",
    ]);
  });
});

describe("verify flags credentials", () => {
  it("reports a credential-looking string by file and JSON path without printing it, and exits 1", async () => {
    const dir = makeTempDir();
    const token = `gh${"p"}_${"x1Y2z3".repeat(6)}`;
    const text = readFileSync(path.join(FIXTURES, CHAT), "utf8").replace(
      '"content": "',
      `"content": "${token} `,
    );
    writeFileSync(path.join(dir, "leak.json"), text);
    const run = await runCli(["verify", dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /leak\.json .*credential-looking string \(GitHub Token, ghp_… \(\d+ chars\)\) at \$\.request\.body\.messages\[0\]\.content/,
    );
    expect(run.stdout + run.stderr).not.toContain(token);
  });
});

describe("the verify command line", () => {
  it("prints a summary, writes the JSON report and exits 1 for the one misnamed file", async () => {
    const dir = makeTempDir();
    const run = await runCli(["verify", FIXTURES, "--json", path.join(dir, "report.json")], {
      cwd: FIXTURES,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /verify: 47 files, 47 valid, 0 invalid, 47 round trip identical, 1 hash mismatch; 1 fail verification\n$/,
    );
    const json = JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8"));
    expect(json.summary).toEqual({
      total: 47,
      valid: 47,
      invalid: 0,
      roundTripIdentical: 47,
      hashMismatch: 1,
      withSecrets: 0,
      failed: 1,
    });
    expect(json.results.find((r: { file: string }) => r.file === CHAT)).toEqual({
      file: CHAT,
      kind: "chat-completion",
      valid: true,
      errors: [],
      roundTrip: "identical",
      hash: "match",
      secrets: [],
    });
  });

  it("searches **/recordings/**/*.json under the current directory when given no path", async () => {
    const run = await runCli(["verify"], { cwd: FIXTURES });
    expect(run.stdout).toMatch(/verify: 47 files/);
  });

  it("exits 1 when a file is invalid and 2 on a usage error", async () => {
    const dir = makeTempDir();
    writeFileSync(path.join(dir, "bad.json"), "[1,");
    const bad = await runCli(["verify", dir]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/bad\.json \| - \| invalid JSON: line 1, column 4/);
    const usage = await runCli(["verify", "--jsn", "x"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown option '--jsn' \(did you mean --json\?\)/);
  });
});

describe("verify over a large tree", () => {
  it("spreads the files over worker threads and reports exactly what one thread reports, in order", async () => {
    const dir = makeTempDir();
    for (let copy = 0; copy < 7; copy++)
      cpSync(FIXTURES, path.join(dir, `copy-${copy}`), { recursive: true });
    writeFileSync(path.join(dir, "copy-3", "broken.json"), "{");
    const inProcess = await verify({ paths: [dir], cwd: dir, workers: false });
    expect(inProcess.summary.total).toBe(7 * 47 + 1);
    const named = inProcess.results.map((r) => ({ file: path.join(dir, r.file), shownAs: r.file }));
    const inWorkers = await verifyInWorkers(named);
    expect(inWorkers).not.toBeNull();
    expect(inWorkers).toEqual(inProcess.results);
    expect(await verify({ paths: [dir], cwd: dir })).toEqual(inProcess);
  });
});
