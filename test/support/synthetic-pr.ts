// A pull request of recordings in a real git repository: fixture recordings committed on `main`,
// then a branch that changes them the ways a contributor can, one recording per way.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { readRecording } from "../../src/recording/recording.ts";
import { writeRecordingText } from "../../src/recording/write-recording.ts";
import { FIXTURES } from "./temp-dir.ts";

const INTEGRATION = path.join(FIXTURES, "llama-stack/tests/integration");
const COMMON = "tests/integration/common/recordings";
const INFERENCE = "tests/integration/inference/recordings";

/** The recordings the branch touches, by what it did to each (paths relative to the repo). */
export const PR_FILES = {
  /** system_fingerprint and obfuscation changed: noise only. */
  noise: `${COMMON}/224f7e7bd332f0ada326039866d13b7f167d5bfa91ce752022010f1e885d869f.json`,
  /** The streamed answer's text changed. */
  text: `${INFERENCE}/3dcb9e38f66c96323546ef8d7fee216ad11a4dd6f7fe44c4b602671eea12382e.json`,
  /** test_id edited by hand, file not renamed. */
  testId: `${INFERENCE}/0eca8ac9656056d4fd9b1802f01f6ae9f7ff628af04d5ed39f779a78a41a159b.json`,
  /** Cut short: not JSON any more. */
  invalid: `${INFERENCE}/28a43dc80443ccae98eee165c58522090fd6f0637031153b0105399093d39c52.json`,
  /** A GitHub token pasted into the answer. */
  credential: `${INFERENCE}/440d2fa92833ebdb48a846e628ade5b5b4e2c4351b76c33cc08970fbea66d027.json`,
  /** A new recording, not even committed yet (untracked). */
  added:
    "tests/integration/agents/recordings/00cf12ddd414ae82d68c2d2b50190f96785f0d0a0c9f5cf72f1f8aea5e28073e.json",
} as const;

/** Changed on `main` after the branch was made: not part of the pull request. */
export const BASE_MOVED = `${INFERENCE}/77cf218283607bfac37623e1bb4e6f33cae670df7d6995d432bca34c5dfb0e43.json`;

/** Token-shaped, built at run time so no credential-looking literal sits in the repository. */
export const PASTED_TOKEN = ["gh", "p_", "x9K".repeat(12)].join("");

type Tree = Record<string, unknown>;

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
  });
}

/** Rewrites a recording through the lossless reader and writer, so it still round-trips. */
function editRecording(repo: string, file: string, edit: (data: Tree) => void): void {
  const full = path.join(repo, file);
  const read = readRecording(readFileSync(full, "utf8"), full);
  if (!read.ok) throw new Error(read.errors.join("; "));
  edit(read.recording.data as Tree);
  writeFileSync(full, writeRecordingText(read.recording.data));
}

const at = (value: unknown, ...keys: Array<string | number>): Tree =>
  keys.reduce((node, key) => (node as Tree)[key as string] as unknown, value) as Tree;

/**
 * Builds the repository in `repo`: every fixture recording of `common/` and `inference/` on
 * `main`, then branch `feature` with the changes of `PR_FILES` (the added file left untracked).
 */
export function makeSyntheticPullRequest(repo: string): void {
  mkdirSync(repo, { recursive: true });
  git(repo, "init", "--quiet", "--initial-branch=main");
  for (const area of ["common", "inference"]) {
    cpSync(
      path.join(INTEGRATION, area, "recordings"),
      path.join(repo, "tests/integration", area, "recordings"),
      {
        recursive: true,
      },
    );
  }
  writeFileSync(path.join(repo, "README.md"), "# a project with recordings\n");
  git(repo, "add", ".");
  git(repo, "commit", "--quiet", "-m", "recordings");
  git(repo, "checkout", "--quiet", "-b", "feature");

  editRecording(repo, PR_FILES.noise, (data) => {
    for (const chunk of at(data, "response", "body") as unknown as Tree[]) {
      const fields = at(chunk, "__data__");
      fields.system_fingerprint = "fp_0123456789";
      fields.obfuscation = "aBcDeF";
    }
  });
  editRecording(repo, PR_FILES.text, (data) => {
    at(data, "response", "body", 2, "__data__", "choices", 0, "delta").content =
      "<reasoning>Refuse.</reasoning>";
    at(data, "response", "body", 3, "__data__", "choices", 0, "delta").content =
      "Goodbye. I cannot help with that.";
  });
  const testIdFile = path.join(repo, PR_FILES.testId);
  writeFileSync(
    testIdFile,
    readFileSync(testIdFile, "utf8").replace('"test_id": "tests/', '"test_id": "tests/renamed_'),
  );
  const invalidFile = path.join(repo, PR_FILES.invalid);
  writeFileSync(invalidFile, readFileSync(invalidFile, "utf8").slice(0, 200));
  editRecording(repo, PR_FILES.credential, (data) => {
    at(data, "response", "body", "__data__", "choices", 0, "message").content =
      `Use the key ${PASTED_TOKEN} to log in.`;
  });
  writeFileSync(path.join(repo, "README.md"), "# a project with recordings, changed\n");
  git(repo, "add", ".");
  git(repo, "commit", "--quiet", "-m", "change recordings");
  mkdirSync(path.join(repo, path.dirname(PR_FILES.added)), { recursive: true });
  cpSync(path.join(FIXTURES, "llama-stack", PR_FILES.added), path.join(repo, PR_FILES.added));

  // The base moves on after the branch was made; the pull request must not show it.
  git(repo, "checkout", "--quiet", "main");
  editRecording(repo, BASE_MOVED, (data) => {
    at(data, "response", "body", "__data__", "choices", 0, "message").content = "moved on main";
  });
  git(repo, "commit", "--quiet", "-am", "main moves on");
  git(repo, "checkout", "--quiet", "feature");
}
