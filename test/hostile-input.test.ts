// Hostile input: recordings, test ids, configs, base URLs and paths built to crash the tool or
// make it write where it must not. Each is rejected or handled with a clear message, and nothing
// is ever written outside the recordings.
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { check } from "../src/commands/check.ts";
import { parseReplayOptions } from "../src/commands/options.ts";
import { refresh } from "../src/commands/refresh.ts";
import { verify } from "../src/commands/verify.ts";
import { ConfigError, loadConfig, parseConfig } from "../src/config.ts";
import { expectedFileName } from "../src/recording/file-name.ts";
import { readRecording } from "../src/recording/recording.ts";
import { type CheckSetup, named, setupCheck } from "./support/check-setup.ts";
import { runCli } from "./support/run-cli.ts";
import { FIXTURES, makeTempDir } from "./support/temp-dir.ts";

const CHAT_PATH =
  "llama-stack/tests/integration/agents/recordings/007a9180a7aa38e17c1135ebf1f75e0d5ce1ea58e2261deba8c41e51196078ec.json";
const CHAT = "007a9180a7aa";
const CHAT_TEXT = readFileSync(path.join(FIXTURES, CHAT_PATH), "utf8");
const ANSWER = '"content": "safe"';

const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

/** Every file under `dir` (recursively) with its hash. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      out[path.relative(dir, path.join(entry.parentPath, entry.name))] = sha(
        path.join(entry.parentPath, entry.name),
      );
  }
  return out;
}

/** The chat fixture with its stored answer replaced by `json` (raw JSON text). */
function withAnswer(json: string): string {
  expect(CHAT_TEXT).toContain(ANSWER);
  return CHAT_TEXT.replace(ANSWER, `"content": ${json}`);
}

describe("nesting 10,000 levels deep", () => {
  const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;

  it("verify reports the file invalid with line, column and the limit, and goes on", async () => {
    const dir = makeTempDir("recording-drift-deep-");
    writeFileSync(path.join(dir, "deep.json"), withAnswer(deep));
    writeFileSync(path.join(dir, path.basename(CHAT_PATH)), CHAT_TEXT);
    const report = await verify({ paths: [dir], cwd: dir, workers: false });
    expect(report.results.map((r) => [r.file, r.valid])).toEqual([
      [path.basename(CHAT_PATH), true],
      ["deep.json", false],
    ]);
    expect(report.results[1]?.errors).toEqual([
      expect.stringMatching(/^invalid JSON: line \d+, column \d+: nesting deeper than 1000 levels$/),
    ]);
    const run = await runCli(["verify", dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/deep\.json .*nesting deeper than 1000 levels/);
    expect(run.stderr).toBe("");
  });

  it("check and refresh call it failed (invalid recording) and write nothing", async () => {
    const setup = await setupCheck({ liveify: "wire" }, [CHAT]);
    const file = path.join(setup.dir, "deep", "recordings", "deep.json");
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, withAnswer(deep));
    const before = tree(setup.dir);
    const report = await refresh({ ...setup.options, update: "all", dryRun: false });
    expect(report.results.map((r) => [path.basename(r.file), r.verdict])).toEqual([
      ["deep.json", "failed"],
      [path.basename(CHAT_PATH), "unchanged"],
    ]);
    expect(report.results[0]?.reasons[0]).toMatch(
      /^invalid recording: invalid JSON: .*nesting deeper than 1000 levels/,
    );
    expect(tree(setup.dir)).toEqual(before);
  });

  it("a live answer nested 10,000 deep is never written as a recording the reader would refuse", async () => {
    const setup = await setupCheck({ liveify: "wire" }, [CHAT]);
    // The stored answer, as the provider sends it, with the nesting in an extra field (as text:
    // JSON.stringify itself overflows the stack at this depth).
    const stored = JSON.parse(CHAT_TEXT) as {
      response: { body: { __data__: { choices: Array<{ message: Record<string, unknown> }> } } };
    };
    const answer = stored.response.body.__data__;
    (answer.choices[0] as { message: Record<string, unknown> }).message.extra = "NESTED";
    const body = JSON.stringify(answer).replace('"NESTED"', deep);
    setup.sim.fault({ kind: "raw", status: 200, body }, { recording: named(CHAT) });
    const before = tree(setup.dir);
    const report = await refresh({ ...setup.options, update: "all", dryRun: false });
    expect(report.results[0]).toMatchObject({
      verdict: "failed",
      reasons: ["the answer nests deeper than 1000 levels"],
    });
    expect(tree(setup.dir)).toEqual(before);
  });
});

describe("a 50 MB string", () => {
  it("verify reads it as valid, and it round-trips byte for byte", async () => {
    const dir = makeTempDir("recording-drift-huge-string-");
    // Prose with quotes, a newline, non-ASCII and an astral character escaped as Python's
    // json.dumps writes them (ensure_ascii), repeated to 50 MB of file text.
    const piece =
      'Lorem ipsum dolor sit amet, \\"quoted\\" caf\\u00e9 \\u2713 \\ud83d\\ude00.\\n' +
      "sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. ".repeat(4);
    const text = withAnswer(`"${piece.repeat(Math.ceil((50 * 1024 * 1024) / piece.length))}"`);
    expect(text.length).toBeGreaterThan(50 * 1024 * 1024);
    writeFileSync(path.join(dir, path.basename(CHAT_PATH)), text);
    // Valid, and read then written back as Python would: the very same bytes.
    const [result] = (await verify({ paths: [dir], cwd: dir, workers: false })).results;
    expect(result).toMatchObject({
      valid: true,
      roundTrip: "identical",
      kind: "chat-completion",
      hash: "match",
    });
  });
});

/** The name the recorder gives a recording of this text. */
function reachableName(text: string): string {
  const read = readRecording(text, "recording.json");
  if (!read.ok) throw new Error(read.errors.join("; "));
  return expectedFileName(read.recording) as string;
}

/** Replaces `file` by `text` under the name the recorder would give it. */
function writeReachable(file: string, text: string): void {
  rmSync(file);
  writeFileSync(path.join(path.dirname(file), reachableName(text)), text);
}

describe("keys __proto__, constructor and prototype", () => {
  const HOSTILE =
    '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "prototype": {"polluted": "yes"}}';
  /** JSON.parse keeps `__proto__` as an ordinary key (an object literal would not). */
  const hostile = (json = HOSTILE) => JSON.parse(json) as Record<string, unknown>;

  /** The chat fixture with an extra field of the answer's message holding the keys, as the recorder writes. */
  function hostileText(): string {
    expect(Object.keys(hostile())).toEqual(["__proto__", "constructor", "prototype"]);
    const indented = JSON.stringify(hostile(), null, 2).replaceAll("\n", `\n${" ".repeat(14)}`);
    const last = '"tool_calls": null\n            }';
    expect(CHAT_TEXT).toContain(last);
    return CHAT_TEXT.replace(
      last,
      `"tool_calls": null,\n              "hostile": ${indented}\n            }`,
    );
  }

  /** The provider sends `value` as an extra field of the answer's message. */
  const serveHostile = (setup: CheckSetup, value: () => Record<string, unknown>) =>
    setup.sim.mutate(named(CHAT), (data) => {
      const choice = (data as { choices: Array<{ message: Record<string, unknown> }> }).choices[0];
      if (choice) choice.message.hostile = value();
      return data;
    });

  it("are ordinary keys: the file is valid, round-trips, and pollutes no prototype", async () => {
    const dir = makeTempDir("recording-drift-proto-");
    const file = path.join(dir, path.basename(CHAT_PATH));
    writeFileSync(file, hostileText());
    const [result] = (await verify({ paths: [dir], cwd: dir, workers: false })).results;
    expect(result).toMatchObject({ valid: true, roundTrip: "identical", hash: "match" });
    const read = readRecording(readFileSync(file, "utf8"), file);
    expect(read.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("survive check and refresh: no pollution, and a refresh of the same answer keeps every key", async () => {
    const setup = await setupCheck({ liveify: "wire" }, [CHAT]);
    const file = setup.file(CHAT);
    const text = hostileText();
    writeFileSync(file, text);
    serveHostile(setup, () => hostile());
    const checked = await check(setup.options);
    expect(checked.results[0]?.verdict).toBe("unchanged");
    const refreshed = await refresh({ ...setup.options, update: "all", dryRun: false });
    expect(refreshed.results[0]).toMatchObject({ verdict: "unchanged", refreshed: true });
    expect(readFileSync(file, "utf8")).toBe(text);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("in a request, are sent as keys: the provider gets exactly the recorded body", async () => {
    const setup = await setupCheck({ liveify: "wire" }, [CHAT]);
    const file = setup.file(CHAT);
    // A JSON schema with properties named like the prototype keys (a realistic tool or format).
    const format = `{"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object", "properties": ${HOSTILE}}}}`;
    // Under the name its edited request hashes to: a misnamed file is skipped as unreachable.
    writeReachable(
      file,
      CHAT_TEXT.replace('"stream": false,', `"stream": false,\n      "response_format": ${format},`),
    );
    const report = await check({ ...setup.options });
    const sent = setup.sim.requests.at(-1)?.body as {
      response_format: { json_schema: { schema: { properties: object } } };
    };
    expect(Object.keys(sent.response_format.json_schema.schema.properties)).toEqual([
      "__proto__",
      "constructor",
      "prototype",
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The simulator knows only the fixture's own request: a 404 here is the request arriving as recorded.
    expect(report.results[0]?.reasons.join("\n")).toMatch(/404/);
  });

  it("a changed hostile answer is judged and written with the keys as keys", async () => {
    const setup = await setupCheck({ liveify: "wire" }, [CHAT]);
    const file = setup.file(CHAT);
    writeFileSync(file, hostileText());
    serveHostile(setup, () => hostile(HOSTILE.replace('"yes"', '"still yes"')));
    // An extra field is not part of the answer's meaning, so `--update all` is what rewrites it.
    const refreshed = await refresh({ ...setup.options, update: "all", dryRun: false });
    expect(refreshed.results[0]).toMatchObject({ refreshed: true });
    expect(readRecording(readFileSync(file, "utf8"), file).ok).toBe(true);
    expect(readFileSync(file, "utf8")).toBe(hostileText().replace('"yes"', '"still yes"'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("test ids with .. and absolute paths", () => {
  it("refresh writes the file it read, and nothing anywhere else", async () => {
    const setup = await setupCheck({ liveify: "wire" }, [CHAT]);
    // <outer>/work is the working directory: <outer> must hold nothing else afterwards.
    const outer = makeTempDir("recording-drift-test-ids-");
    const work = path.join(outer, "work");
    const escapes = ["../../../../../../../../tmp/recording-drift-escaped", "/tmp/recording-drift-absolute"];
    const ids = [
      `${escapes[0]}::test_escape`,
      `${escapes[1]}/test.json`,
      "..\\..\\windows::test",
      "../",
      "/",
    ];
    const copies = ids.map((id, i) => {
      const text = CHAT_TEXT.replace(/"test_id": "[^"]*"/, `"test_id": ${JSON.stringify(id)}`);
      // Named by its request's hash, as the recorder names it: else it is unreachable, and skipped.
      const copy = path.join(work, `hostile-${i}`, "recordings", reachableName(text));
      mkdirSync(path.dirname(copy), { recursive: true });
      writeFileSync(copy, text);
      return copy;
    });
    for (const target of escapes) expect(existsSync(target)).toBe(false);
    setup.sim.mutate(named(CHAT), (data) => {
      const choice = (data as { choices: Array<{ message: { content: string } }> }).choices[0];
      if (choice) choice.message.content = "unsafe\nS1";
      return data;
    });
    const before = tree(work);
    const report = await refresh({
      ...setup.options,
      paths: [work],
      cwd: work,
      update: "drifted",
      dryRun: false,
    });
    expect(report.results.map((r) => [r.testId, r.verdict, r.refreshed]).sort()).toEqual(
      ids.map((id) => [id, "drifted", true]).sort(),
    );
    // Exactly the files read were rewritten, each keeping its own test id; nothing was added.
    expect(Object.keys(tree(work)).sort()).toEqual(Object.keys(before).sort());
    for (const [i, copy] of copies.entries()) {
      const text = readFileSync(copy, "utf8");
      expect(text).toContain('"content": "unsafe\\nS1"');
      expect(text).toContain(`"test_id": ${JSON.stringify(ids[i])}`);
    }
    expect(readdirSync(outer)).toEqual(["work"]);
    for (const target of escapes) expect(existsSync(target)).toBe(false);
  });
});

describe("config files with unknown keys or wrong types", () => {
  const cases: Array<[string, string, RegExp[]]> = [
    ["an unknown key", "concurency: 4\n", [/^config\.yml: concurency: unknown key$/]],
    [
      "an unknown nested key",
      "retries: { attempts: 2, backof: 3 }\n",
      [/^config\.yml: retries\.backof: unknown key$/],
    ],
    ["a wrong type", 'concurrency: "many"\n', [/^config\.yml: concurrency: expected a positive integer$/]],
    [
      "wrong types at depth",
      "providers:\n  - host: api.openai.com\n    concurrency: -1\n    headers: { x: 1 }\n",
      [
        /^config\.yml: providers\[0\]\.concurrency: expected a positive integer$/m,
        /^config\.yml: providers\[0\]\.headers\.x: expected a string$/m,
      ],
    ],
    ["a list at the top", "- concurrency: 1\n", [/^config\.yml: expected a mapping at the top level$/]],
    ["__proto__ as a key", "__proto__: { concurrency: 1 }\n", [/^config\.yml: __proto__: unknown key$/]],
    [
      "constructor as a key",
      "compare: { constructor: { threshold: 0 } }\n",
      [/^config\.yml: compare\.constructor: unknown key$/],
    ],
    ["text that is not YAML", "concurrency: [1\n", [/^config\.yml: not valid YAML: /]],
  ];
  for (const [name, yaml, messages] of cases) {
    it(`${name}: a ConfigError naming the key`, async () => {
      const dir = makeTempDir("recording-drift-config-");
      writeFileSync(path.join(dir, "config.yml"), yaml);
      const error = await loadConfig({ cwd: dir, configPath: "config.yml" }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      for (const message of messages) expect((error as Error).message).toMatch(message);
      expect(({} as Record<string, unknown>).concurrency).toBeUndefined();
    });
  }

  it("through the CLI: exit 2, the message naming the key, nothing replayed", async () => {
    const dir = makeTempDir("recording-drift-config-");
    writeFileSync(path.join(dir, "config.yml"), "retries: { attempts: 2, backof: 3 }\nconcurrency: many\n");
    const run = await runCli(["refresh", FIXTURES, "--config", "config.yml", "--update", "all"], {
      cwd: dir,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "recording-drift: config.yml: concurrency: expected a positive integer\nconfig.yml: retries.backof: unknown key\n",
    );
    expect(run.stdout).toBe("");
  });
});

describe("base URLs that are not http(s)", () => {
  const urls = [
    "file:///etc",
    "ftp://example.com/v1",
    "javascript:alert(1)",
    "data:text/plain,hi",
    "/v1",
    "http://",
  ];

  it("--provider HOST=URL: each refused, naming --provider", () => {
    for (const url of urls) {
      expect(() => parseReplayOptions({ providers: [`api.openai.com=${url}`] }), url).toThrow(
        /^--provider: expected HOST=URL with an http\(s\) URL/,
      );
    }
  });

  it("--provider through the CLI: exit 2", async () => {
    const run = await runCli(["check", FIXTURES, "--provider", "api.openai.com=file:///etc"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^recording-drift: --provider: expected HOST=URL with an http\(s\) URL/);
  });

  it("base-url in the config: each refused, naming the key", () => {
    for (const url of urls) {
      expect(
        () => parseConfig({ providers: [{ host: "api.openai.com", "base-url": url }] }, "config.yml"),
        url,
      ).toThrow("config.yml: providers[0].base-url: expected an http(s) URL");
    }
  });

  it("base-url through the CLI: exit 2, naming the key", async () => {
    const dir = makeTempDir("recording-drift-config-");
    writeFileSync(
      path.join(dir, "config.yml"),
      "providers:\n  - host: api.openai.com\n    base-url: file:///etc\n",
    );
    const run = await runCli(["refresh", FIXTURES, "--config", "config.yml"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("recording-drift: config.yml: providers[0].base-url: expected an http(s) URL\n");
  });
});

describe("recordings outside the working directory", () => {
  let setup: CheckSetup;
  let work: string;
  let outside: string;
  let linked: string;

  beforeAll(async () => {
    // <tmp>/work is the working directory; the recordings live beside it, in <tmp>/recordings.
    setup = await setupCheck({ liveify: "wire" }, [CHAT]);
    work = path.join(setup.dir, "work");
    mkdirSync(work);
    outside = setup.file(CHAT);
    // A symlinked directory inside the working directory that leads outside it.
    linked = path.join(work, "linked");
    symlinkSync(path.dirname(outside), linked);
    // And a symlinked file: renaming over it would replace the link, not the recording.
    symlinkSync(outside, path.join(work, path.basename(outside)));
    setup.sim.mutate(named(CHAT), (data) => {
      const choice = (data as { choices: Array<{ message: { content: string } }> }).choices[0];
      if (choice) choice.message.content = "unsafe\nS1";
      return data;
    });
  });

  const OUTSIDE = /^not refreshed: .* is outside the working directory .*; refresh writes only under it$/;
  const LINK = /^not refreshed: .* is a symbolic link; refresh rewrites only regular files$/;
  for (const [name, spec, refusal] of [
    ["a ../ glob", "../llama-stack/**/*.json", OUTSIDE],
    ["an absolute path", "ABSOLUTE", OUTSIDE],
    ["a symlinked directory", "linked", OUTSIDE],
    ["a symlinked file", path.basename(CHAT_PATH), LINK],
  ] as const) {
    it(`${name}: check reads it; refresh refuses to write it, says so, and goes on`, async () => {
      const paths = [spec === "ABSOLUTE" ? outside : spec];
      const before = sha(outside);
      const options = { ...setup.options, paths, cwd: work };
      const checked = await check(options);
      expect(checked.results.map((r) => r.verdict)).toEqual(["drifted"]);
      const report = await refresh({ ...options, update: "drifted", dryRun: false });
      expect(report.results).toEqual([
        expect.objectContaining({
          verdict: "drifted",
          refreshed: false,
          reasons: expect.arrayContaining([expect.stringMatching(refusal)]),
        }),
      ]);
      expect(sha(outside)).toBe(before);
      expect(readdirSync(path.dirname(outside)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    });
  }

  it("through the CLI: the run completes (exit 0), the report names the refusal", async () => {
    const json = path.join(setup.dir, "report.json");
    const args = ["refresh", "../llama-stack", "--json", json];
    for (const provider of setup.options.providerOverrides) args.push("--provider", provider);
    const before = sha(outside);
    const run = await runCli(args, { cwd: work });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/not refreshed: .* is outside the working directory/);
    expect(readFileSync(json, "utf8")).toMatch(/"refreshed": false/);
    expect(sha(outside)).toBe(before);
  });

  it("verify reads anywhere", async () => {
    const report = await verify({ paths: ["../llama-stack"], cwd: work, workers: false });
    expect(report.results.map((r) => r.valid)).toEqual([true]);
  });
});
