// What the action takes from outside, so tests can swap it: the GitHub client (tests turn off
// the throttling plugin's one-write-per-second pacing; the bundled action keeps it).
import { createGitHubClient, type GitHubClient } from "../github/client.ts";

export interface ActionDependencies {
  github: (token: string) => GitHubClient;
}

export const DEFAULT_DEPENDENCIES: ActionDependencies = {
  github: (token) => createGitHubClient({ token }),
};
