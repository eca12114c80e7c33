// `npm run screenshots`: each report scenario (test/support/report-scenarios.ts) as GitHub
// shows it (report-page.ts), photographed by headless Chromium into docs/screenshots/<name>.png
// (the first screen: what a reviewer sees before scrolling). Chromium's own --screenshot flag
// suffices (no browser driver dependency); <details> stay collapsed, as on GitHub.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { buildScenarios, sinkMarkdown } from "../test/support/report-scenarios.ts";
import { PAGE_WIDTH, reportPage } from "./report-page.ts";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
/** At most this much of the page is shown (a shorter page is shown whole). */
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

const work = mkdtempSync(path.join(os.tmpdir(), "recording-drift-screenshots-"));
mkdirSync(OUT, { recursive: true });
for (const scenario of await buildScenarios()) {
  // The first sink is where a reviewer meets the report first.
  const sink = scenario.sinks[0] ?? "job-summary";
  const markdown = sinkMarkdown(scenario, sink);
  const html = path.join(work, `${scenario.name}.html`);
  writeFileSync(path.join(work, `${scenario.name}.md`), markdown);
  writeFileSync(html, reportPage(scenario.name, markdown));
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

async function photograph(html: string, png: string): Promise<void> {
  // The page's height, as it measured itself (report-page.ts): a short report is not padded.
  const dom = await chromium(["--dump-dom", `--window-size=${PAGE_WIDTH},${HEIGHT}`, `file://${html}`]);
  const height = Math.min(HEIGHT, Number(/data-height="(\d+)"/.exec(dom)?.[1] ?? HEIGHT));
  await chromium([`--window-size=${PAGE_WIDTH},${height}`, `--screenshot=${png}`, `file://${html}`]);
}

async function chromium(args: string[]): Promise<string> {
  const common = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
  ];
  const { stdout } = await promisify(execFile)(CHROMIUM, [...common, ...args], {
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}
