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

/** Parse `value` with `schema` or throw a RequestValidationError naming `operation`. */
export function validate<T>(
  operation: string,
  schema: z.ZodMiniType<T>,
  value: unknown,
  pathPrefix: Array<string | number> = [],
): T {
  const result = z.safeParse(schema, value, { reportInput: true });
  if (result.success) return result.data;
  throw new RequestValidationError(operation, toIssues(result.error.issues, pathPrefix));
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
  const idResult = z.safeParse(uuid, id.value, { reportInput: true });
  const bodyResult = z.safeParse(body.schema, body.value, { reportInput: true });
  if (idResult.success && bodyResult.success) return { id: idResult.data, body: bodyResult.data };
  throw new RequestValidationError(operation, [
    ...(idResult.success ? [] : toIssues(idResult.error.issues, [id.name])),
    ...(bodyResult.success ? [] : toIssues(bodyResult.error.issues, [body.name])),
  ]);
}

function toIssues(
  issues: z.core.$ZodIssue[],
  prefix: Array<string | number>,
): RequestValidationError["issues"] {
  return issues.map((issue) => ({
    path: [...prefix, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
    message: describeIssue(issue),
  }));
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    return `has unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")} (check the spelling: the API uses exactly the documented names)`;
  }
  if (issue.code === "invalid_type") {
    const expected = String(issue.expected);
    if (issue.input === undefined) return `is required (expected ${expected})`;
    return `must be ${/^[aeiou]/.test(expected) ? "an" : "a"} ${expected}, got ${describeValue(issue.input)}`;
  }
  return issue.message;
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}
