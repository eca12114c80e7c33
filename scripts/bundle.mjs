// Builds the self-contained bundles GitHub and npm users run: dist/index.js (the action),
// dist/cli.js (the CLI) and dist/verify-worker.js (verify's worker threads, used by both),
// each with its source map beside it, and dist/licenses.txt, the notices of every package
// they contain. One esbuild call each, ESM, no external packages.
//
//   node scripts/bundle.mjs [OUTDIR]   (default dist; the benches build into a temporary one)
import { readFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";
import { parse } from "yaml";
import { thirdPartyLicenses } from "./third-party-licenses.mjs";

// Targets from where the runtimes are declared, so they cannot disagree: the CLI's floor is
// package.json's engines (">=22": a bundled dependency needs Node 22), the action's runtime is
// action.yml's runs.using (node24).
const engines = JSON.parse(readFileSync("package.json", "utf8")).engines.node;
const floor = /^>=\s*(\d+)$/.exec(engines);
if (floor === null) throw new Error(`package.json engines.node: expected ">=N", got ${engines}`);
const cliTarget = `node${floor[1]}`;
const actionTarget = parse(readFileSync("action.yml", "utf8")).runs.using;

const outdir = process.argv[2] ?? "dist";

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: cliTarget,
  // Notices go to dist/licenses.txt whole; comments in the code would be a partial copy.
  legalComments: "none",
  // Maps name the source file and line; sources stay out (they are in the repository and npm).
  sourcemap: "linked",
  sourcesContent: false,
  metafile: true,
  logLevel: "warning",
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __rdCreateRequire } from 'node:module';\nconst require = __rdCreateRequire(import.meta.url);",
  },
};

const builds = await Promise.all([
  build({
    ...common,
    target: actionTarget,
    entryPoints: ["src/action/index.ts"],
    outfile: `${outdir}/index.js`,
  }),
  // verify's worker threads run this beside whichever bundle started them.
  build({ ...common, entryPoints: ["src/commands/verify-worker.ts"], outfile: `${outdir}/verify-worker.js` }),
  build({
    ...common,
    entryPoints: ["src/cli.ts"],
    outfile: `${outdir}/cli.js`,
    banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
  }),
]);
writeFileSync(
  `${outdir}/licenses.txt`,
  thirdPartyLicenses(
    builds.map((b) => b.metafile),
    process.cwd(),
  ),
);
