// Preloaded into a measured process (`node --import ./bench/report-peak-rss.mjs cli.js …`): as
// it exits, however it exits short of a signal, writes its peak RSS in KiB to the file named by
// PEAK_RSS_FILE. A process's peak can be read only from inside it (or by polling /proc, which
// can miss it).
import { writeFileSync } from "node:fs";

process.on("exit", () => {
  writeFileSync(process.env.PEAK_RSS_FILE, String(process.resourceUsage().maxRSS));
});
