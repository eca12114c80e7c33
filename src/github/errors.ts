// Turns GitHub API failures into messages that say what went wrong and the exact fix. Most
// failures of a refresh run are repository settings or workflow permissions, and GitHub's
// own messages ("Resource not accessible by integration") do not say which one.

/** Which permission a call needs: the fix for a refusal depends on it. */
export type GitHubArea = "contents" | "pull-requests" | "labels";

/** A GitHub API call that failed, with a message fit to show the user. */
export class GitHubError extends Error {
  override name = "GitHubError";

  constructor(
    message: string,
    /** HTTP status of GitHub's answer; `null` when none came (network failure). */
    readonly status: number | null,
  ) {
    super(message);
  }
}

const ACTIONS_MAY_NOT_CREATE_PRS = /GitHub Actions is not permitted to create or approve pull requests/i;
const RATE_LIMITED = /rate limit/i;

const PERMISSION: Record<GitHubArea, string> = {
  contents: "`permissions: contents: write`",
  "pull-requests": "`permissions: pull-requests: write`",
  labels:
    "`permissions: pull-requests: write` (labels and assignees of a pull request go through the issues API)",
};

// GitHub token formats: classic/OAuth/app/refresh (gh?_) and fine-grained (github_pat_).
const TOKEN = /\b(?:gh[pousr]_[A-Za-z0-9_]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g;

/** Blanks anything shaped like a GitHub token, so no message can leak one. */
export function redactTokens(text: string): string {
  return text.replace(TOKEN, "***");
}

interface ResponseLike {
  status?: unknown;
  message?: unknown;
  response?: { data?: unknown };
}

/** GitHub's `message` from the answer's body, without Octokit's appended documentation link. */
function githubMessage(error: ResponseLike): string {
  const data = error.response?.data;
  if (data && typeof data === "object" && "message" in data && typeof data.message === "string") {
    return data.message;
  }
  return typeof error.message === "string" ? error.message : String(error);
}

function fixFor(status: number | null, message: string, area: GitHubArea): string | null {
  if (status === 401)
    return "GitHub rejected the token: check that the `token` input is set and not expired.";
  if (status === 403 && ACTIONS_MAY_NOT_CREATE_PRS.test(message)) {
    return (
      'Enable "Allow GitHub Actions to create and approve pull requests" in the repository\'s ' +
      "Settings → Actions → General → Workflow permissions (or the organization's), " +
      "or pass a GitHub App token or a personal access token as `token`."
    );
  }
  if ((status === 403 || status === 429) && RATE_LIMITED.test(message)) {
    return "GitHub's rate limit held after retries: re-run later, or use a GitHub App token, which has a higher limit.";
  }
  if (status === 403 || status === 404) {
    return `The token cannot do this: the workflow needs ${PERMISSION[area]}, and a personal access token needs write access to the repository.`;
  }
  return null;
}

/**
 * Explains a failed call. `doing` says what was attempted, e.g. "create branch refresh".
 * The result never contains a token.
 */
export function explainGitHubError(error: unknown, area: GitHubArea, doing: string): GitHubError {
  const failed = (error ?? {}) as ResponseLike;
  const status = typeof failed.status === "number" ? failed.status : null;
  const message = githubMessage(failed);
  const fix = fixFor(status, message, area);
  const answer = status === null ? message : `GitHub answered ${status}: ${message}`;
  // No `cause`: printing it would show GitHub's raw answer, which may echo a token.
  return new GitHubError(redactTokens(`Could not ${doing}. ${answer}${fix ? `\n${fix}` : ""}`), status);
}

/** Runs one API call, turning its failure into an explained `GitHubError`. */
export async function callGitHub<T>(area: GitHubArea, doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw explainGitHubError(error, area, doing);
  }
}
