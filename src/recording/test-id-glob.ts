// Globs over pytest test ids, e.g. `tests/integration/x.py::test_y[txt=ollama/llama3.2:3b]`.
// Written here rather than with picomatch (which matches paths): in a path glob `*` stops at
// `/` and `[...]`, `(...)` are classes and groups even with its extensions turned off, while
// llama-stack's ids carry `/` and brackets inside their parameters (844 of the corpus's 858).
// Here `*` (or `**`) is any run of characters, `/` included, `?` is any one character, and
// every other character stands for itself.

/** A predicate: does the whole test id match the glob? */
export function testIdMatcher(glob: string): (testId: string) => boolean {
  const source = glob
    .split(/(\*+|\?)/)
    .map((part) =>
      part.startsWith("*") ? ".*" : part === "?" ? "." : part.replace(/[\\^$.|+()[\]{}]/g, "\\$&"),
    )
    .join("");
  const pattern = new RegExp(`^${source}$`, "s");
  return (testId) => pattern.test(testId);
}
