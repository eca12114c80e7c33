// Builds the self-contained bundles GitHub and npm users run: dist/index.js (the action),
// dist/cli.js (the CLI) and dist/verify-worker.js (verify's worker threads, used by both).
// One esbuild call each, ESM, no external packages.
import { build } from "esbuild";

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  legalComments: "none",
  logLevel: "warning",
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __rdCreateRequire } from 'node:module';\nconst require = __rdCreateRequire(import.meta.url);",
  },
};

await build({ ...common, entryPoints: ["src/action/index.ts"], outfile: "dist/index.js" });
// verify's worker threads run this beside whichever bundle started them.
await build({ ...common, entryPoints: ["src/commands/verify-worker.ts"], outfile: "dist/verify-worker.js" });
await build({
  ...common,
  entryPoints: ["src/cli.ts"],
  outfile: "dist/cli.js",
  banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
});
