// Under --debug, a stack trace from the bundle names source lines: each frame in a file with a
// source map beside it (dist/*.js.map) is mapped with node:module's SourceMap. Node maps stacks
// itself only when started with --enable-source-maps, which a bin's shebang cannot portably
// pass; source-map-support would do it by patching Error.prepareStackTrace, and is unmaintained.
import { readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** `stack` with each `FILE:LINE:COLUMN` that a FILE.map covers replaced by its source position. */
export function mapStack(stack: string): string {
  const maps = new Map<string, SourceMap | null>();
  const mapOf = (file: string): SourceMap | null => {
    if (!maps.has(file)) maps.set(file, readSourceMap(file));
    return maps.get(file) ?? null;
  };
  return stack.replace(
    /((?:file:\/\/)?\/[^\s():]+\.[cm]?js):(\d+):(\d+)/g,
    (frame, location: string, line: string, column: string) => {
      const file = location.startsWith("file://") ? fileURLToPath(location) : location;
      const origin = mapOf(file)?.findOrigin(Number(line), Number(column));
      if (origin === undefined || !("fileName" in origin)) return frame;
      // esbuild names sources relative to the map.
      const source = path.resolve(path.dirname(file), origin.fileName);
      return `${source}:${origin.lineNumber}:${origin.columnNumber}`;
    },
  );
}

function readSourceMap(file: string): SourceMap | null {
  try {
    return new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8")));
  } catch {
    // No map beside it (the source run through tsx, a dependency): the frame stays as it is.
    return null;
  }
}
