// Checks requests to the fake GitHub against GitHub's official OpenAPI description, so a
// request the real API would reject fails in tests too. The spec (13 MB) is parsed once per
// process on first use; each operation's schemas are converted and compiled on first use.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

type SchemaObject = Record<string, unknown>;

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: SchemaObject;
  "x-multi-segment"?: boolean;
}

interface Operation {
  operationId: string;
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: SchemaObject }> };
}

interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, SchemaObject>; parameters: Record<string, Parameter> };
}

// A template segment: fixed text, one parameter, or a mix such as `{base}...{head}`.
type Segment = { literal: string } | { param: string; multi: boolean } | { pattern: RegExp; names: string[] };

interface Route {
  method: string;
  segments: Segment[];
  operation: Operation;
}

interface CompiledOperation {
  path: ValidateFunction;
  query: ValidateFunction;
  body: ValidateFunction | null;
  bodyRequired: boolean;
}

/** What the validator made of one request. */
export interface CheckedRequest {
  /** `null` when no operation of the API matches the method and path. */
  operationId: string | null;
  pathParams: Record<string, string>;
  query: Record<string, unknown>;
  /** Why the real API would reject the request; empty when it would accept it. */
  errors: string[];
}

let routes: Route[] | undefined;
let spec: Spec | undefined;
const compiled = new Map<string, CompiledOperation>();

// Bodies are checked as sent; parameters arrive as strings, so their validator coerces
// ("3" → 3, "a" → ["a"]) the way the API reads a query string.
const bodyAjv = createAjv(false);
const paramAjv = createAjv("array");

function createAjv(coerceTypes: false | "array"): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    coerceTypes,
    allowUnionTypes: true,
    // Converted schemas keep only validation keywords, so unknown ones mean a converter bug.
    strictSchema: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
  });
  addFormats.default(ajv);
  // GitHub's own format for "owner/name".
  ajv.addFormat("repo.nwo", /^[^/\s]+\/[^/\s]+$/);
  return ajv;
}

function loadRoutes(): Route[] {
  if (routes) return routes;
  const require = createRequire(import.meta.url);
  const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
  spec = JSON.parse(readFileSync(file, "utf8")) as Spec;
  const parameters = spec.components.parameters;
  routes = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const multi = new Set(
        (operation.parameters ?? [])
          .map((p) => resolveParameter(p, parameters))
          .filter((p) => p["x-multi-segment"])
          .map((p) => p.name),
      );
      const segments = template
        .split("/")
        .slice(1)
        .map((s): Segment => {
          const names = [...s.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? "");
          const [name] = names;
          if (name === undefined) return { literal: s };
          if (s === `{${name}}`) return { param: name, multi: multi.has(name) };
          const source = s.split(/\{[^}]+\}/).map((text) => text.replace(/[.*+?^$()|[\]\\]/g, "\\$&"));
          return { pattern: new RegExp(`^${source.join("(.+?)")}$`), names };
        });
      routes.push({ method: method.toUpperCase(), segments, operation });
    }
  }
  return routes;
}

function resolveParameter(p: Parameter | { $ref: string }, all: Record<string, Parameter>): Parameter {
  if (!("$ref" in p)) return p;
  const resolved = all[p.$ref.replace("#/components/parameters/", "")];
  if (!resolved) throw new Error(`fake-github: unresolvable parameter ${p.$ref}`);
  return resolved;
}

/** Matches raw (still percent-encoded) segments; a multi-segment parameter may span slashes. */
function matchSegments(segments: Segment[], parts: string[], params: Record<string, string>): boolean {
  const [head, ...rest] = segments;
  if (!head) return parts.length === 0;
  if ("literal" in head) return parts[0] === head.literal && matchSegments(rest, parts.slice(1), params);
  if ("pattern" in head) {
    const found = head.pattern.exec(parts[0] ?? "");
    if (!found || !matchSegments(rest, parts.slice(1), params)) return false;
    head.names.forEach((name, i) => {
      params[name] = decodeURIComponent(found[i + 1] ?? "");
    });
    return true;
  }
  const most = head.multi ? parts.length - rest.length : 1;
  for (let take = most; take >= 1; take--) {
    const value = parts.slice(0, take).join("/");
    if (value !== "" && matchSegments(rest, parts.slice(take), params)) {
      params[head.param] = decodeURIComponent(value);
      return true;
    }
  }
  return false;
}

function findRoute(
  method: string,
  pathname: string,
): { route: Route; params: Record<string, string> } | null {
  const parts = pathname.split("/").slice(1);
  let best: { route: Route; params: Record<string, string>; literals: number } | null = null;
  for (const route of loadRoutes()) {
    if (route.method !== method) continue;
    const params: Record<string, string> = {};
    if (!matchSegments(route.segments, parts, params)) continue;
    // `/pulls/comments` beats `/pulls/{pull_number}`: prefer the most literal template.
    const literals = route.segments.filter((s) => "literal" in s).length;
    if (!best || literals > best.literals) best = { route, params, literals };
  }
  return best;
}

// Keywords that validate a value by themselves; everything else in GitHub's schemas is
// documentation (description, example, x-github...) or handled by `convert` below.
const VALUE_KEYWORDS = new Set([
  "type",
  "enum",
  "const",
  "format",
  "required",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minProperties",
  "maxProperties",
]);

/**
 * OpenAPI 3.0 schema → JSON Schema for ajv: component `$ref`s point into `definitions` (and are
 * queued in `refs`), `nullable: true` becomes "or null", non-validating keywords are dropped.
 */
function convert(schema: SchemaObject, refs: Set<string>): SchemaObject {
  if (typeof schema.$ref === "string") {
    const name = schema.$ref.replace("#/components/schemas/", "");
    refs.add(name);
    return { $ref: `#/definitions/${name}` };
  }
  const out: SchemaObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (VALUE_KEYWORDS.has(key)) out[key] = value;
    else if (key === "properties") {
      const properties = Object.entries(value as Record<string, SchemaObject>);
      out[key] = Object.fromEntries(properties.map(([name, s]) => [name, convert(s, refs)]));
    } else if (
      key === "items" ||
      key === "not" ||
      (key === "additionalProperties" && typeof value === "object")
    ) {
      out[key] = convert(value as SchemaObject, refs);
    } else if (key === "additionalProperties") out[key] = value;
    else if (key === "allOf" || key === "anyOf" || key === "oneOf") {
      out[key] = (value as SchemaObject[]).map((s) => convert(s, refs));
    }
  }
  return schema.nullable === true ? { anyOf: [out, { type: "null" }] } : out;
}

/** Converts `root` and every component schema it reaches into one self-contained schema. */
function toJsonSchema(root: SchemaObject): SchemaObject {
  const refs = new Set<string>();
  const converted = convert(root, refs);
  const definitions: Record<string, SchemaObject> = {};
  // A Set's iterator also visits names that converting a definition adds.
  for (const name of refs) {
    const component = spec?.components.schemas[name];
    if (!component) throw new Error(`fake-github: unresolvable schema ${name}`);
    definitions[name] = convert(component, refs);
  }
  return refs.size > 0 ? { ...converted, definitions } : converted;
}

function parameterSchema(params: Parameter[]): SchemaObject {
  return toJsonSchema({
    type: "object",
    properties: Object.fromEntries(params.map((p) => [p.name, p.schema ?? {}])),
    required: params.filter((p) => p.required).map((p) => p.name),
  });
}

function compileOperation(operation: Operation): CompiledOperation {
  const cached = compiled.get(operation.operationId);
  if (cached) return cached;
  const all = spec?.components.parameters ?? {};
  const params = (operation.parameters ?? []).map((p) => resolveParameter(p, all));
  const body = operation.requestBody?.content["application/json"]?.schema;
  const result: CompiledOperation = {
    path: paramAjv.compile(parameterSchema(params.filter((p) => p.in === "path"))),
    query: paramAjv.compile(parameterSchema(params.filter((p) => p.in === "query"))),
    body: body ? bodyAjv.compile(toJsonSchema(body)) : null,
    bodyRequired: operation.requestBody?.required === true,
  };
  compiled.set(operation.operationId, result);
  return result;
}

function describe(where: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const allowed =
      e.keyword === "enum" ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")})` : "";
    return `${where}${e.instancePath} ${e.message ?? e.keyword}${allowed}`;
  });
}

function readQuery(url: URL): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0] : values;
  }
  return query;
}

/**
 * Matches a request to its operation in GitHub's OpenAPI description and validates its path
 * parameters, query parameters and JSON body. `body` is `undefined` when none was sent.
 */
export function checkRequest(method: string, url: URL, body: unknown): CheckedRequest {
  const query = readQuery(url);
  const match = findRoute(method, url.pathname);
  if (!match) {
    return { operationId: null, pathParams: {}, query, errors: [`no operation ${method} ${url.pathname}`] };
  }
  const checks = compileOperation(match.route.operation);
  const errors: string[] = [];
  // Validate copies: coercion rewrites values, handlers want the strings as sent.
  if (!checks.path({ ...match.params })) errors.push(...describe("path", checks.path.errors));
  if (!checks.query({ ...query })) errors.push(...describe("query", checks.query.errors));
  if (body === undefined) {
    if (checks.bodyRequired) errors.push("body is required");
  } else if (checks.body && !checks.body(body)) {
    errors.push(...describe("body", checks.body.errors));
  }
  return { operationId: match.route.operation.operationId, pathParams: match.params, query, errors };
}
