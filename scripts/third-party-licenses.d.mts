// Types for third-party-licenses.mjs (plain JavaScript so that bundle.mjs runs on bare Node).
export function thirdPartyLicenses(
  metafiles: Array<{ inputs: Record<string, unknown> }>,
  root: string,
): string;
