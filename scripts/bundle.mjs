// Builds the two self-contained bundles GitHub and npm users run: dist/index.js (the action)
// and dist/cli.js (the CLI). One esbuild call each, ESM, no external packages.
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
await build({
  ...common,
  entryPoints: ["src/cli.ts"],
  outfile: "dist/cli.js",
  banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
});
