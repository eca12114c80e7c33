// The fake GitHub is only worth its assertions if it refuses what GitHub refuses and computes
// what GitHub computes: these tests pin both.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFakeGitHub, type FakeGitHub } from "./support/fake-github.ts";

let fake: FakeGitHub;

beforeEach(async () => {
  fake = await createFakeGitHub({ owner: "o", repo: "r", files: { "a/b/c.txt": "hello\n", "a/d.txt": "x" } });
});

afterEach(async () => {
  await fake.close();
});

async function call(method: string, path: string, body?: unknown, auth = true) {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: { ...(auth ? { authorization: "token ghs_test" } : {}), "content-type": "application/json" },
    body: typeof body === "string" ? body : body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { message: string; sha?: string } };
}

describe("fake GitHub request validation against the OpenAPI description", () => {
  it("rejects POST /pulls without the required head", async () => {
    const response = await call("POST", "/repos/o/r/pulls", { title: "t", base: "main" });

    expect(response.status).toBe(422);
    expect(fake.validationErrors).toEqual([
      {
        method: "POST",
        path: "/repos/o/r/pulls",
        operationId: "pulls/create",
        errors: ["body must have required property 'head'"],
      },
    ]);
    expect(fake.pulls).toEqual([]);
  });

  it("rejects a wrong type and an unknown enum value in the body", async () => {
    await call("POST", "/repos/o/r/pulls", { title: "t", head: "x", base: "main", draft: "yes" });
    await call("POST", "/repos/o/r/git/trees", {
      tree: [{ path: "f", mode: "100600", type: "blob", content: "x" }],
    });

    expect(fake.validationErrors.map((v) => v.errors)).toEqual([
      ["body/draft must be boolean"],
      [
        "body/tree/0/mode must be equal to one of the allowed values (100644, 100755, 040000, 160000, 120000)",
      ],
    ]);
  });

  it("rejects query and path parameters of the wrong shape", async () => {
    const list = await call("GET", "/repos/o/r/pulls?state=merged&per_page=many");
    const update = await call("PATCH", "/repos/o/r/pulls/first", { title: "t" });

    expect([list.status, update.status]).toEqual([422, 422]);
    expect(fake.validationErrors.map((v) => v.errors)).toEqual([
      [
        "query/state must be equal to one of the allowed values (open, closed, all)",
        "query/per_page must be integer",
      ],
      ["path/pull_number must be integer"],
    ]);
  });

  it("answers 404 to a route the API does not have", async () => {
    const response = await call("POST", "/repos/o/r/git/branches", { name: "x" });

    expect(response).toMatchObject({ status: 404, body: { message: "Not Found" } });
    expect(fake.validationErrors).toMatchObject([
      { operationId: null, errors: ["no operation POST /repos/o/r/git/branches"] },
    ]);
  });

  it("answers 400 to a body that is not JSON", async () => {
    const response = await call("POST", "/repos/o/r/git/blobs", "{content:");

    expect(response).toMatchObject({ status: 400, body: { message: "Problems parsing JSON" } });
    expect(fake.validationErrors).toHaveLength(1);
  });

  it("refuses a pull request body over 65,536 characters, as GitHub does", async () => {
    fake.pushFiles("topic", { "t.txt": "t" });
    const response = await call("POST", "/repos/o/r/pulls", {
      title: "t",
      head: "topic",
      base: "main",
      body: "x".repeat(65_537),
    });

    expect(response.status).toBe(422);
    expect(fake.pulls).toEqual([]);
    expect(fake.validationErrors).toEqual([]);
  });

  it("answers 401 without a token", async () => {
    expect((await call("GET", "/repos/o/r", undefined, false)).status).toBe(401);
  });
});

describe("fake GitHub git objects", () => {
  it("hashes blobs and nested trees exactly as git does", async () => {
    const blob = await call("POST", "/repos/o/r/git/blobs", { content: "aGVsbG8K", encoding: "base64" });
    // `git write-tree` of a/b/c.txt, a/d.txt, a.txt, z.txt: "a.txt" sorts before the tree "a".
    const tree = await call("POST", "/repos/o/r/git/trees", {
      tree: [
        { path: "a/b/c.txt", mode: "100644", type: "blob", content: "hello\n" },
        { path: "a/d.txt", mode: "100644", type: "blob", content: "x" },
        { path: "a.txt", mode: "100644", type: "blob", content: "dot\n" },
        { path: "z.txt", mode: "100644", type: "blob", content: "top\n" },
      ],
    });

    expect(blob.body.sha).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
    expect(tree.body.sha).toBe("28f2787b14b35f2a1661e807513671f53f5686d0");
    expect(fake.validationErrors).toEqual([]);
  });

  it("builds a tree from base_tree: given paths override, null deletes, emptied directories vanish", async () => {
    const base = fake.commit(fake.branchHead("main") ?? "")?.tree;
    const tree = await call("POST", "/repos/o/r/git/trees", {
      base_tree: base,
      tree: [
        { path: "a/b/c.txt", mode: "100644", type: "blob", sha: null },
        { path: "a/new/e.txt", mode: "100644", type: "blob", content: "e" },
      ],
    });
    const commit = await call("POST", "/repos/o/r/git/commits", {
      message: "m",
      tree: tree.body.sha,
      parents: [],
    });
    await call("POST", "/repos/o/r/git/refs", { ref: "refs/heads/t", sha: commit.body.sha });

    expect(fake.listFiles("t")).toEqual(["a/d.txt", "a/new/e.txt"]);
    expect(fake.readFile("t", "a/d.txt")).toBe("x");
    expect(fake.validationErrors).toEqual([]);
  });

  it("refuses a tree entry with both or neither of sha and content", async () => {
    const both = await call("POST", "/repos/o/r/git/trees", {
      tree: [
        {
          path: "f",
          mode: "100644",
          type: "blob",
          sha: "ce013625030ba8dba906f756967f9e9ca394464a",
          content: "x",
        },
      ],
    });
    const neither = await call("POST", "/repos/o/r/git/trees", {
      tree: [{ path: "f", mode: "100644", type: "blob" }],
    });

    expect([both.status, neither.status]).toEqual([422, 422]);
    expect(both.body.message).toMatch(/^Must supply either tree.sha or tree.content/);
  });

  it("refuses to move a branch backwards or sideways without force", async () => {
    const main = fake.branchHead("main") ?? "";
    const side = fake.pushFiles("side", { "s.txt": "s" });

    const refused = await call("PATCH", "/repos/o/r/git/refs/heads/main", { sha: side });
    const forced = await call("PATCH", "/repos/o/r/git/refs/heads/main", { sha: side, force: true });

    expect(refused).toMatchObject({ status: 422, body: { message: "Update is not a fast forward" } });
    expect(forced.status).toBe(200);
    expect(fake.branchHead("main")).toBe(side);
    expect(side).not.toBe(main);
    expect(fake.validationErrors).toEqual([]);
  });
});

describe("fake GitHub limits", () => {
  const tree = (path: string) => ({ tree: [{ path, mode: "100644", type: "blob", content: "x" }] });

  it("answers the 81st content-creating request of a minute 403 with retry-after; reads go on", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 81; i++)
      statuses.push((await call("POST", "/repos/o/r/git/trees", tree(`f${i}`))).status);
    const refused = await fetch(`${fake.url}/repos/o/r/git/trees`, {
      method: "POST",
      headers: { authorization: "token ghs_test", "content-type": "application/json" },
      body: JSON.stringify(tree("again")),
    });

    expect(statuses.slice(0, 80).every((status) => status === 201)).toBe(true);
    expect(statuses[80]).toBe(403);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toMatch(/secondary rate limit/);
    const wait = Number(refused.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect((await call("GET", "/repos/o/r")).status).toBe(200);
    expect(fake.contentRequests).toBe(82);
  });

  it("answers the 501st content-creating request of an hour 403, minutes apart or not", async () => {
    await fake.close();
    fake = await createFakeGitHub({
      owner: "o",
      repo: "r",
      files: {},
      limits: { perMinute: 1000, perHour: 5 },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await call("POST", "/repos/o/r/git/trees", tree(`f${i}`))).status);

    expect(statuses).toEqual([201, 201, 201, 201, 201, 403]);
  });

  it("refuses a create-tree call with more entries than GitHub builds in one request", async () => {
    const entries = Array.from({ length: 1001 }, (_, i) => ({
      path: `f${i}`,
      mode: "100644",
      type: "blob",
      content: "x",
    }));

    const response = await call("POST", "/repos/o/r/git/trees", { tree: entries });

    expect(response.status).toBe(422);
    expect(response.body.message).toMatch(/consider building the tree incrementally/);
  });

  it("refuses to delete a path the base tree does not have, as GitHub does", async () => {
    const base = fake.commit(fake.branchHead("main") ?? "")?.tree;
    const response = await call("POST", "/repos/o/r/git/trees", {
      base_tree: base,
      tree: [{ path: "a/missing.txt", mode: "100644", type: "blob", sha: null }],
    });

    expect(response).toMatchObject({
      status: 422,
      body: { message: expect.stringMatching(/a\/missing.txt does not exist/) },
    });
  });
});
