/**
 * Argument validation before anything is sent: every problem becomes a
 * {@link RequestValidationError} listing all issues, and no request reaches the wire.
 *
 * @internal
 * @module
 */
import * as z from "zod/mini";
import { RequestValidationError } from "./errors/request-validation-error";
import { uuid } from "./schemas";

/** Parse `value` with `schema` or throw a RequestValidationError naming `operation`. */
export function validate<T>(
  operation: string,
  schema: z.ZodMiniType<T>,
  value: unknown,
  pathPrefix: Array<string | number> = [],
): T {
  const result = z.safeParse(schema, value, { reportInput: true });
  if (result.success) return result.data;
  throw new RequestValidationError(
    operation,
    result.error.issues.map((issue) => ({
      path: [...pathPrefix, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
      message: describeIssue(issue),
    })),
  );
}

/** Check a path id (session or campaign UUID) and return it. */
export function validateId(operation: string, name: string, value: unknown): string {
  return validate(operation, uuid, value, [name]);
}

/** Check several things at once so that one error lists every problem. */
export function validateAll(operation: string, checks: Array<() => unknown>): void {
  const issues: RequestValidationError["issues"] = [];
  for (const check of checks) {
    try {
      check();
    } catch (error) {
      if (error instanceof RequestValidationError) issues.push(...error.issues);
      else throw error;
    }
  }
  if (issues.length) throw new RequestValidationError(operation, issues);
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
