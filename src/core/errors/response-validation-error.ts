import { brand, hasKind } from "../../base/brand";
import { PuffleError } from "../../base/puffle-error";
import { redactValue } from "../../base/redact";
import { formatPath, type ValidationIssue } from "./request-validation-error";

/**
 * The server answered 2xx but the body broke the documented structure (a missing required field,
 * a wrong type, or not JSON at all). Unknown extra keys never cause this. `body` is what arrived.
 *
 * @example
 * ```ts
 * import { isResponseValidationError } from "puffle-chat";
 * try { await puffle.getSession(id); } catch (error) {
 *   if (isResponseValidationError(error)) console.error(error.issues, error.body);
 * }
 * ```
 */
export class ResponseValidationError extends PuffleError {
  override name = "ResponseValidationError";
  /** Every structural problem found. */
  readonly issues: ValidationIssue[];
  /** The body as received (parsed JSON, else text), secrets redacted. */
  readonly body: unknown;
  /** The HTTP status of the answer. */
  readonly status: number;
  /** The SDK method whose answer broke the contract. */
  readonly operation: string;

  constructor(operation: string, status: number, issues: ValidationIssue[], body: unknown) {
    const list = issues
      .slice(0, 5)
      .map((i) => `${formatPath(i.path)} ${i.message}`)
      .join("; ");
    super(
      `The server's answer to ${operation} (${status}) does not match the API contract: ${list}. ` +
        "This is a server or proxy problem, or the SDK is out of date: update puffle-chat, and report it with the body.",
    );
    this.issues = issues;
    this.body = redactValue(body);
    this.status = status;
    this.operation = operation;
    brand(this, "ResponseValidationError");
  }
}

/**
 * True when `value` is a {@link ResponseValidationError}. Works across realms.
 *
 * @example
 * ```ts
 * if (isResponseValidationError(error)) report(error.body);
 * ```
 */
export function isResponseValidationError(value: unknown): value is ResponseValidationError {
  return hasKind(value, "ResponseValidationError");
}
