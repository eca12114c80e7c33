// The licence notices of every npm package a bundle contains, as one text file to ship beside
// it (dist/licenses.txt): Apache-2.0, MIT and the rest ask that their notice travel with copies.
// Written here rather than taken from npm: generate-license-file and its kind list the
// `dependencies` of package.json, not what esbuild put in the bundle (ours are devDependencies,
// and a bundle holds only what it imports), and esbuild's own legal comments miss every package
// whose licence is a file rather than a comment (zod, yaml, openai among them). This reads the
// packages from esbuild's metafile, so the notices are exactly the bundle's. A package that was
// itself bundled from others (secretlint's rule preset holds lodash.uniq and more) names them in
// its source map; their notices are kept in scripts/inlined-notices/NAME@VERSION/ (a scope's `/`
// as `+`), and a bundle with one missing is refused.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const LICENSE_FILE = /^(licen[cs]e|copying|notice)(\.(md|txt|markdown))?$/i;

/** The package directory (…/node_modules/NAME or …/node_modules/@SCOPE/NAME) of a bundled input. */
function packageDirOf(input) {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return match ? match[1] : null;
}

const INLINED_NOTICES = path.join(import.meta.dirname, "inlined-notices");

/** `node_modules/.pnpm/NAME@VERSION/node_modules/NAME/…` in a source map's sources: NAME@VERSION. */
const INLINED_SOURCE = /node_modules\/\.pnpm\/((?:@[^+/]+\+)?[^@/]+@[^/]+)\/node_modules\//;

/** The packages a bundled file was built from, as its source map beside it names them. */
function inlinedPackages(file) {
  const map = `${file}.map`;
  if (!existsSync(map)) return [];
  const { sources = [] } = JSON.parse(readFileSync(map, "utf8"));
  return sources.map((source) => INLINED_SOURCE.exec(source)?.[1]).filter((id) => id !== undefined);
}

/** The notice of a package inlined into another, from scripts/inlined-notices; throws when missing. */
function inlinedPackage(id, into) {
  const dir = path.join(INLINED_NOTICES, id);
  if (!existsSync(dir))
    throw new Error(`${into} holds ${id.replace("+", "/")} inlined: add its licence to ${dir}/LICENSE`);
  const at = id.lastIndexOf("@");
  const texts = readdirSync(dir)
    .filter((name) => LICENSE_FILE.test(name))
    .sort()
    .map((name) => readFileSync(path.join(dir, name), "utf8").trim());
  return { name: id.slice(0, at).replace("+", "/"), version: id.slice(at + 1), license: null, texts };
}

/**
 * The notices section for the packages behind the inputs of the given esbuild metafiles,
 * sorted by name. Throws naming the package when one has neither a licence file nor a
 * `license` field: a bundle must not ship code whose terms it cannot state.
 */
export function thirdPartyLicenses(metafiles, root) {
  const dirs = new Set();
  const inlined = new Map();
  for (const metafile of metafiles)
    for (const input of Object.keys(metafile.inputs)) {
      const dir = packageDirOf(input);
      if (dir === null) continue;
      dirs.add(dir);
      for (const id of inlinedPackages(path.join(root, input))) inlined.set(id, dir);
    }
  const packages = [...dirs].map((dir) => {
    const manifest = JSON.parse(readFileSync(path.join(root, dir, "package.json"), "utf8"));
    const files = readdirSync(path.join(root, dir))
      .filter((name) => LICENSE_FILE.test(name))
      .sort();
    const texts = files.map((name) => readFileSync(path.join(root, dir, name), "utf8").trim());
    const license = typeof manifest.license === "string" ? manifest.license : null;
    if (texts.length === 0 && license === null)
      throw new Error(`${dir}/package.json: no licence file and no "license" field`);
    return { name: manifest.name, version: manifest.version, license, texts };
  });
  for (const [id, into] of inlined) packages.push(inlinedPackage(id, into));
  // Several copies of one version (nested installs) are one notice.
  const unique = new Map(packages.map((p) => [`${p.name}@${p.version}`, p]));
  const sorted = [...unique.values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : 1,
  );
  const sections = sorted.map((p) =>
    [
      `${p.name} ${p.version}`,
      `License: ${p.license ?? "see below"}`,
      ...(p.texts.length > 0 ? ["", ...p.texts] : []),
    ].join("\n"),
  );
  const rule = `\n\n${"-".repeat(78)}\n\n`;
  return `Third-party software bundled in this directory, with its licence notices.${rule}${sections.join(rule)}\n`;
}
