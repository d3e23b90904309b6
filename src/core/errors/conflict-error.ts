import { brand, hasKind } from "../../base/brand";
import { APIError, type APIErrorInit } from "./api-error";

/**
 * 409: the request conflicts with the session's state.
 *
 * @example
 * ```ts
 * import { isConflictError } from "puffle-chat";
 * try { await puffle.getSession(id); } catch (error) {
 *   if (isConflictError(error)) console.warn(error.message);
 * }
 * ```
 */
export class ConflictError extends APIError {
  override name = "ConflictError";
  /** Always 409. */
  declare readonly status: 409;

  constructor(init: APIErrorInit, hint = "The session's state does not allow this right now.") {
    super(init, hint);
    brand(this, "ConflictError");
  }
}

/**
 * True when `value` is a {@link ConflictError}. Works across realms.
 *
 * @example
 * ```ts
 * if (isConflictError(error)) console.warn(error.message);
 * ```
 */
export function isConflictError(value: unknown): value is ConflictError {
  return hasKind(value, "ConflictError");
}
