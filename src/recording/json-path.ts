// JSON paths as error messages and findings show them: `$.request.body.messages[0]["a-b"]`.

/** One step of a path: `.key` when the key is an identifier, `["key"]` otherwise. */
export function formatJsonKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

export function formatJsonPath(segments: readonly PropertyKey[], root = "$"): string {
  return segments.reduce<string>(
    (out, s) => out + (typeof s === "number" ? `[${s}]` : formatJsonKey(String(s))),
    root,
  );
}
