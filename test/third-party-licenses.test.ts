// dist/licenses.txt: the notices of exactly the packages a bundle contains (read from esbuild's
// metafile), and a refusal to bundle a package whose licence cannot be stated.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { thirdPartyLicenses } from "../scripts/third-party-licenses.mjs";

const ROOT = path.resolve(import.meta.dirname, "fixtures/third-party-licenses");
const metafile = (...inputs: string[]) => ({ inputs: Object.fromEntries(inputs.map((i) => [i, {}])) });

describe("third-party licence notices", () => {
  it("lists each bundled package once, sorted, with its licence file or field, and no source of ours", () => {
    const text = thirdPartyLicenses(
      [
        metafile("src/cli.ts", "node_modules/with-file/index.js", "node_modules/@scope/with-field/lib/a.js"),
        metafile("node_modules/with-file/other.js"),
      ],
      ROOT,
    );
    expect(text).toContain("@scope/with-field 2.0.0\nLicense: MIT");
    expect(text).toContain("with-file 1.0.0\nLicense: Apache-2.0\n\nApache License\nVersion 2.0");
    expect(text.indexOf("@scope/with-field")).toBeLessThan(text.indexOf("with-file 1.0.0"));
    expect(text.match(/with-file 1\.0\.0/g)).toHaveLength(1);
    expect(text).not.toContain("src/cli.ts");
  });

  it("refuses a package with neither a licence file nor a license field, naming it", () => {
    expect(() => thirdPartyLicenses([metafile("node_modules/without/index.js")], ROOT)).toThrow(
      'node_modules/without/package.json: no licence file and no "license" field',
    );
  });

  it("adds the notices of packages a bundled package was itself built from, as its source map names them", () => {
    const text = thirdPartyLicenses([metafile("node_modules/prebundled/index.js")], ROOT);
    expect(text).toContain("prebundled 3.0.0\nLicense: MIT");
    expect(text).toContain(
      "lodash.uniq 4.5.0\nLicense: see below\n\nCopyright jQuery Foundation and other contributors",
    );
  });

  it("refuses a package built from one whose notice is not kept, naming both", () => {
    expect(() => thirdPartyLicenses([metafile("node_modules/prebundled-unknown/index.js")], ROOT)).toThrow(
      /node_modules\/prebundled-unknown holds @acme\/left-pad@0\.0\.1 inlined: add its licence to .*inlined-notices\/@acme\+left-pad@0\.0\.1\/LICENSE/,
    );
  });
});
