// `npm run screenshots`: each report scenario (test/support/report-scenarios.ts) rendered as
// GitHub renders Markdown — micromark with GFM, raw HTML allowed for <details>, in
// github-markdown-css at GitHub's content width — and photographed by headless Chromium into
// docs/screenshots/<name>.png (the first screens: what a reviewer sees before scrolling).
// Chromium's own --screenshot flag suffices (no browser driver dependency): <details> stay
// collapsed, as on GitHub. GitHub's alerts (`> [!NOTE]`) are turned into its alert markup here
// by hand: micromark has no extension for them (the plugins for them need a remark/rehype
// pipeline), and github-markdown-css styles the markup.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";
import { buildScenarios, type ReportScenario, sinkMarkdown } from "../test/support/report-scenarios.ts";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
/** GitHub's pull request and job summary column, and how much of it the picture shows. */
const WIDTH = 1012;
const HEIGHT = 1100;
/** A picture committed to the repository should stay small. */
const MAX_BYTES = 300 * 1024;
const OUT = path.resolve(import.meta.dirname, "../docs/screenshots");

if (!existsSync(CHROMIUM)) {
  console.error(
    `screenshots: no Chromium at ${CHROMIUM}. Install it (Debian/Ubuntu: sudo apt-get install chromium) ` +
      "or set CHROMIUM to its path.",
  );
  process.exit(1);
}

const css = readFileSync(
  createRequire(import.meta.url).resolve("github-markdown-css/github-markdown-light.css"),
  "utf8",
);
const work = mkdtempSync(path.join(os.tmpdir(), "recording-drift-screenshots-"));
mkdirSync(OUT, { recursive: true });
for (const scenario of await buildScenarios()) {
  // The first sink is where a reviewer meets the report first.
  const sink = scenario.sinks[0] ?? "job-summary";
  const markdown = sinkMarkdown(scenario, sink);
  const html = path.join(work, `${scenario.name}.html`);
  writeFileSync(path.join(work, `${scenario.name}.md`), markdown);
  writeFileSync(html, page(scenario, markdown));
  const png = path.join(OUT, `${scenario.name}.png`);
  await photograph(html, png);
  const bytes = statSync(png).size;
  console.log(
    `${path.relative(process.cwd(), png)}: ${scenario.name} (${sink}), ${Math.round(bytes / 1024)} KB`,
  );
  if (bytes > MAX_BYTES)
    console.warn(`  over ${MAX_BYTES / 1024} KB: lower HEIGHT in scripts/screenshots.ts`);
}
console.log(`Each page's Markdown and HTML (open it in a browser) are in ${work}`);

function page(scenario: ReportScenario, markdown: string): string {
  const body = withAlerts(
    micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] }),
  );
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${scenario.name}</title>
<style>${css}
body { margin: 0; background: #fff; }
.markdown-body { box-sizing: border-box; max-width: ${WIDTH}px; padding: 24px 32px; }
</style></head>
<body><article class="markdown-body">${body}</article></body></html>
`;
}

/** Blockquotes opening with `[!NOTE]`, `[!WARNING]`… as GitHub shows them: titled, coloured boxes. */
function withAlerts(html: string): string {
  const start = /<blockquote>\n<p>\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\n?/;
  let out = "";
  let rest = html;
  for (let found = start.exec(rest); found; found = start.exec(rest)) {
    const kind = (found[1] as string).toLowerCase();
    const end = rest.indexOf("</blockquote>", found.index);
    if (end === -1) break;
    out +=
      rest.slice(0, found.index) +
      `<div class="markdown-alert markdown-alert-${kind}"><p class="markdown-alert-title">${kind[0]?.toUpperCase()}${kind.slice(1)}</p>\n<p>` +
      rest.slice(found.index + found[0].length, end) +
      "</div>";
    rest = rest.slice(end + "</blockquote>".length);
  }
  return out + rest;
}

async function photograph(html: string, png: string): Promise<void> {
  await promisify(execFile)(
    CHROMIUM,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--hide-scrollbars",
      "--force-device-scale-factor=1",
      `--window-size=${WIDTH},${HEIGHT}`,
      `--screenshot=${png}`,
      `file://${html}`,
    ],
    { timeout: 60_000 },
  );
}
