/**
 * Argument validation before anything is sent: every problem becomes a
 * {@link RequestValidationError} listing all issues, and no request reaches the wire.
 *
 * @internal
 * @module
 */
import * as z from "zod/mini";
import { RequestValidationError } from "../core/errors";
import { uuid } from "../core/schemas";
import { closest } from "./closest";

/** Parse `value` with `schema` or throw a RequestValidationError naming `operation`. */
export function validate<T>(
  operation: string,
  schema: z.ZodMiniType<T>,
  value: unknown,
  pathPrefix: Array<string | number> = [],
): T {
  const pending = promiseIssue(value, pathPrefix, schema);
  if (pending) throw new RequestValidationError(operation, [pending]);
  const result = z.safeParse(schema, value, { reportInput: true });
  if (result.success) return result.data;
  throw new RequestValidationError(operation, toIssues(result.error.issues, pathPrefix, schema));
}

/**
 * A Promise where an object is expected: zod would see an object without its keys and report each
 * key missing, which hides the real slip (a missing `await`).
 */
function promiseIssue(
  value: unknown,
  path: Array<string | number>,
  schema: z.ZodMiniType,
): RequestValidationError["issues"][number] | undefined {
  if (!isThenable(value)) return undefined;
  const keys = keysAt(schema, []);
  const shape = keys.length > 0 ? `an object with the keys ${keys.join(", ")}` : "a value";
  return { path, message: `must be ${shape}, got ${describeValue(value)}` };
}

function isThenable(value: unknown): boolean {
  return typeof (value as { then?: unknown } | null | undefined)?.then === "function";
}

/** Check a path id (session or campaign UUID) and return it. */
export function validateId(operation: string, name: string, value: unknown): string {
  return validate(operation, uuid, value, [name]);
}

/**
 * Check a path id and a body together, so that one error lists every problem of both, and
 * return them.
 */
export function validateIdAndBody<T>(
  operation: string,
  id: { name: string; value: unknown },
  body: { name: string; schema: z.ZodMiniType<T>; value: unknown },
): { id: string; body: T } {
  const pending = promiseIssue(body.value, [body.name], body.schema);
  if (pending) throw new RequestValidationError(operation, [pending]);
  const idResult = z.safeParse(uuid, id.value, { reportInput: true });
  const bodyResult = z.safeParse(body.schema, body.value, { reportInput: true });
  if (idResult.success && bodyResult.success) return { id: idResult.data, body: bodyResult.data };
  throw new RequestValidationError(operation, [
    ...(idResult.success ? [] : toIssues(idResult.error.issues, [id.name], uuid)),
    ...(bodyResult.success ? [] : toIssues(bodyResult.error.issues, [body.name], body.schema)),
  ]);
}

function toIssues(
  issues: z.core.$ZodIssue[],
  prefix: Array<string | number>,
  schema: z.ZodMiniType,
): RequestValidationError["issues"] {
  return issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    return {
      path: [...prefix, ...path],
      message: describeIssue(issue, [...prefix, ...path], schema),
    };
  });
}

/**
 * Where a blank id usually comes from: the environment variable the docs read it from
 * (`process.env.PUFFLE_CAMPAIGN_ID ?? ""`), by the argument's name.
 */
const ID_VARIABLES: Readonly<Record<string, string>> = {
  sessionId: "PUFFLE_SESSION_ID",
  session_id: "PUFFLE_SESSION_ID",
  campaignId: "PUFFLE_CAMPAIGN_ID",
  campaign_id: "PUFFLE_CAMPAIGN_ID",
  nodeId: "PUFFLE_NODE_ID",
  node_id: "PUFFLE_NODE_ID",
};

function describeIssue(
  issue: z.core.$ZodIssue,
  path: Array<string | number>,
  schema: z.ZodMiniType,
): string {
  if (issue.code === "unrecognized_keys")
    return unknownKeys(issue.keys, keysAt(schema, issue.path));
  if (issue.code === "invalid_type") {
    const expected = String(issue.expected);
    if (issue.input === undefined) return `is required (expected ${expected})`;
    const keys = expected === "object" ? keysAt(schema, issue.path) : [];
    const shape = keys.length > 0 ? ` with the keys ${keys.join(", ")}` : "";
    return `must be ${/^[aeiou]/.test(expected) ? "an" : "a"} ${expected}${shape}, got ${describeValue(issue.input)}`;
  }
  if (typeof issue.input === "string") {
    const name = path.at(-1);
    if (issue.input.trim() === "") {
      const variable = typeof name === "string" ? ID_VARIABLES[name] : undefined;
      const from = variable ? `, often an unset environment variable (is ${variable} set?)` : "";
      return `${issue.message}, got ${JSON.stringify(issue.input)}: an empty value${from}`;
    }
    return `${issue.message}, got ${quote(issue.input)}`;
  }
  return issue.message;
}

/** Unknown keys, each with the known spelling it probably meant. */
function unknownKeys(keys: readonly string[], known: readonly string[]): string {
  const named = keys.map((k) => {
    const guess = closest(k, known);
    return guess ? `"${k}" (did you mean "${guess}"?)` : `"${k}"`;
  });
  const list = known.length > 0 ? ` Known keys: ${known.join(", ")}` : "";
  return `has unknown key${keys.length > 1 ? "s" : ""} ${named.join(", ")}: the API uses exactly the documented names.${list}`;
}

/**
 * The keys of the object schema at `path` under `schema` (through optional, nullable, arrays
 * and pipes), or none. Reads zod's definition objects (`_zod.def`), which zod documents for
 * library authors.
 */
function keysAt(schema: z.ZodMiniType, path: readonly PropertyKey[]): string[] {
  let node: z.core.$ZodType | undefined = schema;
  for (let i = 0; node && i <= path.length; ) {
    const def = node._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === "optional" || def.type === "nullable" || def.type === "default")
      node = def.innerType as z.core.$ZodType;
    else if (def.type === "pipe") node = def.in as z.core.$ZodType;
    else if (i === path.length)
      return def.type === "object" ? Object.keys(def.shape as object) : [];
    else if (def.type === "array") {
      node = def.element as z.core.$ZodType;
      i += 1;
    } else if (def.type === "object") {
      node = (def.shape as Record<PropertyKey, z.core.$ZodType>)[path[i] as string];
      i += 1;
    } else return [];
  }
  return [];
}

function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (isThenable(value)) return "a Promise (a missing `await`?)";
  if (typeof value === "string") return `a string (${quote(value)})`;
  return typeof value;
}
