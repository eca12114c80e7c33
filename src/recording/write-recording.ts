// The bytes of a recording file: Python's `json.dumps(data, indent=2) + "\n"` (spec §6).
import type { JsonValue } from "./json-value.ts";
import { dumpsPython } from "./json-write.ts";

export function writeRecordingText(data: JsonValue): string {
  return `${dumpsPython(data, { indent: 2 })}\n`;
}
