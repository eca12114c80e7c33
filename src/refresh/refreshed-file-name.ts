// The request hash a recording was filed under, and the name the recorder gives a refreshed one.

import path from "node:path";
import { modelIds, requestHash } from "../recording/file-name.ts";
import { isJsonObject, type JsonObject } from "../recording/json-value.ts";
import type { Recording } from "../recording/recording.ts";
import { isModelListEndpoint, modelIdsDigest } from "../recording/request-hash.ts";

const PLAIN_NAME = /^([0-9a-f]{64})\.json$/;
const MODELS_NAME = /^models-([0-9a-f]{64})-[0-9a-f]{8}\.json$/;

/**
 * The 64-hex request hash the recorder filed this recording under: read from the file name when
 * it has one (the ids inside were normalized with it, even if today's rules hash differently),
 * else computed from the request.
 */
export function recordedRequestHash(recording: Recording, fileName: string): string {
  const base = path.basename(fileName);
  const match = PLAIN_NAME.exec(base) ?? MODELS_NAME.exec(base);
  const hash = match ? match[1] : requestHash(recording);
  if (!hash) throw new TypeError(`a ${recording.kind} recording has no request hash`);
  return hash;
}

const RECORDED_ID = /^rec-([0-9a-f]{12})$/;

/**
 * The 12 hex the refreshed ids are made of (`rec-<12 hex>`), or null when the recorder that wrote
 * this file did not normalize ids (the 2025-08 layout stored them raw). The ids already stored
 * win, so that a re-recording of the same answer changes no line even in files whose ids were
 * made with an older hash than their name's; else the request hash.
 */
export function recordedIdHash(recording: Recording, fileName: string): string | null {
  const body = recording.response.body;
  const first = Array.isArray(body) ? body[0] : body;
  const data = isJsonObject(first) && isJsonObject(first.__data__) ? first.__data__ : null;
  const stored = data && typeof data.id === "string" ? RECORDED_ID.exec(data.id) : null;
  if (stored) return stored[1] as string;
  return recording.layout === "current" ? recordedRequestHash(recording, fileName).slice(0, 12) : null;
}

/**
 * The file name the recorder would write `refreshed` under. Only model lists change name: theirs
 * ends in a digest of the model ids, so a changed id set means a new file (the caller decides
 * whether to rename). `fileName` may be a path; the answer keeps its directory.
 */
export function refreshedFileName(recording: Recording, refreshed: JsonObject, fileName: string): string {
  const endpoint = recording.endpoint;
  const response = refreshed.response;
  if (endpoint === null || !isModelListEndpoint(endpoint) || !isJsonObject(response)) return fileName;
  // A refused model list has no ids to digest; the recorder itself fails on one.
  if (!Array.isArray(response.body)) return fileName;
  const before = new Set(modelIds(recording.response.body, endpoint));
  const after = new Set(modelIds(response.body, endpoint));
  if (before.size === after.size && [...after].every((id) => before.has(id))) return fileName;
  const name = `models-${recordedRequestHash(recording, fileName)}-${modelIdsDigest([...after])}.json`;
  return path.join(path.dirname(fileName), name);
}
