import { brand, hasKind } from "../../base/brand";
import { PuffleError } from "../../base/puffle-error";

/**
 * One problem with an argument: where it is and what to fix.
 *
 * @example
 * ```ts
 * const issue: ValidationIssue = { path: ["turn", "message"], message: "must not be empty" };
 * ```
 */
export interface ValidationIssue {
  /** Path to the offending value, for example `["sampleLeads", 0, "first_name"]`. */
  path: Array<string | number>;
  /** What is wrong and what to do. */
  message: string;
}

/**
 * An argument was invalid (a malformed UUID, an empty message, a wrong type, an unknown key).
 * Thrown before anything is sent: no request reached the server. `issues` lists every problem.
 *
 * @example
 * ```ts
 * import { isRequestValidationError } from "puffle-chat";
 * try { await puffle.runTurn("not-a-uuid", { message: "" }); } catch (error) {
 *   if (isRequestValidationError(error)) for (const i of error.issues) console.log(i.path, i.message);
 * }
 * ```
 */
export class RequestValidationError extends PuffleError {
  override name = "RequestValidationError";
  /** Every problem found. */
  readonly issues: ValidationIssue[];
  /** The SDK method that refused its arguments. */
  readonly operation: string;

  constructor(operation: string, issues: ValidationIssue[]) {
    const list = issues.map((i) => `${formatPath(i.path)} ${i.message}`).join("; ");
    super(`Invalid arguments to ${operation}: ${list}. Nothing was sent.`);
    this.issues = issues;
    this.operation = operation;
    brand(this, "RequestValidationError");
  }
}

/** `a.b[0].c` for a path, `(value)` for the root. */
export function formatPath(path: Array<string | number | symbol>): string {
  if (path.length === 0) return "(value)";
  return path
    .map((part, index) =>
      typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`,
    )
    .join("");
}

/**
 * True when `value` is a {@link RequestValidationError}. Works across realms.
 *
 * @example
 * ```ts
 * if (isRequestValidationError(error)) console.error(error.issues);
 * ```
 */
export function isRequestValidationError(value: unknown): value is RequestValidationError {
  return hasKind(value, "RequestValidationError");
}
