// Where a reviewer reads a recording's file on GitHub: on a pull request, its entry in "Files
// changed" (GitHub anchors each file as `#diff-` and the SHA-256 of its path); otherwise the file
// at the run's commit.
import { createHash } from "node:crypto";
import type { FileLinks } from "./recording-detail.ts";

export interface FileLinkTarget {
  /** `https://github.com`, or a GitHub Enterprise server. */
  serverUrl: string;
  /** `owner/name`. */
  repository: string;
  /** The commit (or branch: a refresh pull request's) whose files are shown. */
  sha: string;
  /** Set on a pull request: links go to its "Files changed" tab. */
  pullNumber?: number;
  /** The directory the report's paths are relative to, inside the repository (`""`: its root). */
  directory?: string;
}

export function fileLinks(target: FileLinkTarget): FileLinks {
  const server = target.serverUrl.replace(/\/+$/, "");
  const repository = target.repository.split("/").map(encodeURIComponent).join("/");
  const directory = (target.directory ?? "").replace(/^\.?\/+|\/+$/g, "");
  return {
    file(path: string): string | null {
      const inRepository = [directory, path.replace(/^\.\//, "")].filter(Boolean).join("/");
      if (target.pullNumber !== undefined) {
        const anchor = createHash("sha256").update(inRepository).digest("hex");
        return `${server}/${repository}/pull/${target.pullNumber}/files#diff-${anchor}`;
      }
      const encoded = inRepository.split("/").map(encodeURIComponent).join("/");
      return `${server}/${repository}/blob/${target.sha.split("/").map(encodeURIComponent).join("/")}/${encoded}`;
    },
  };
}

/** What the event says of the pull request the run is for (`readPullRequestEvent`). */
export interface PullRequestRef {
  number: number | null;
  headSha: string | null;
}

/**
 * The links of the run GitHub Actions describes in `env`, or null outside Actions (no server,
 * repository or commit). On a pull request they go to its "Files changed" tab, or else to its
 * head commit: the run's GITHUB_SHA is then a merge commit no reviewer looks at.
 */
export function fileLinksFromEnv(
  env: NodeJS.ProcessEnv,
  pullRequest: PullRequestRef | null,
  directory = "",
): FileLinks | null {
  const { GITHUB_SERVER_URL: serverUrl, GITHUB_REPOSITORY: repository, GITHUB_SHA: sha } = env;
  if (!serverUrl || !repository || !sha) return null;
  const pullNumber = pullRequest?.number ?? undefined;
  return fileLinks({
    serverUrl,
    repository,
    sha: pullRequest?.headSha ?? sha,
    ...(pullNumber === undefined ? {} : { pullNumber }),
    directory,
  });
}
