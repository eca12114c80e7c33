import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Generous: a hang still fails, a machine busy with other work does not (tests spawn
    // processes and wait out time limits of a few seconds).
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
