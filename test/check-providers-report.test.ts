// The report says where each provider's requests were actually sent (never with a key) and warns
// of a `--provider` host that matched no recording.
import { describe, expect, it } from "vitest";
import { check } from "../src/commands/check.ts";
import { defaultConfig } from "../src/config.ts";
import { formatMarkdown } from "../src/report/markdown.ts";
import { setupCheck } from "./support/check-setup.ts";
import { TEST_ENV } from "./support/simulator/replay-setup.ts";

describe("the report's providers", () => {
  it("lists the base URL each recorded host was sent to, and warns of an override that matched nothing", async () => {
    const setup = await setupCheck({}, ["06931312f62d", "007a9180a7aa"]);
    const report = await check({
      ...setup.options,
      config: defaultConfig(),
      providerOverrides: [...setup.options.providerOverrides, "api.openia.com=http://127.0.0.1:9/v1"],
    });

    expect(report.providers).toEqual([
      { host: "0.0.0.0:11434", sentTo: [`${setup.sim.url}/__host/0.0.0.0%3A11434/v1`] },
      { host: "api.openai.com", sentTo: [`${setup.sim.url}/__host/api.openai.com/v1`] },
    ]);
    expect(report.warnings).toEqual([
      "--provider api.openia.com=http://127.0.0.1:9/v1: api.openia.com matches no recorded host",
    ]);
    const markdown = formatMarkdown(report);
    expect(markdown).toContain("api.openia.com matches no recorded host");
    expect(markdown).toContain(`\`api.openai.com\` → \`${setup.sim.url}/__host/api.openai.com/v1\``);
    for (const key of Object.values(TEST_ENV)) expect(JSON.stringify(report) + markdown).not.toContain(key);
  });
});
