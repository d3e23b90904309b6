import { brand, hasKind } from "../../base/brand";
import { APIError, type APIErrorInit } from "./api-error";

/**
 * 422: the request was understood but cannot be processed.
 *
 * @example
 * ```ts
 * import { isUnprocessableEntityError } from "puffle-chat";
 * try { await puffle.getSession(id); } catch (error) {
 *   if (isUnprocessableEntityError(error)) console.error(error.serverMessage);
 * }
 * ```
 */
export class UnprocessableEntityError extends APIError {
  override name = "UnprocessableEntityError";
  /** Always 422. */
  declare readonly status: 422;

  constructor(init: APIErrorInit, hint = "Check the request's content against the API reference.") {
    super(init, hint);
    brand(this, "UnprocessableEntityError");
  }
}

/**
 * True when `value` is a {@link UnprocessableEntityError}. Works across realms.
 *
 * @example
 * ```ts
 * if (isUnprocessableEntityError(error)) console.error(error.serverMessage);
 * ```
 */
export function isUnprocessableEntityError(value: unknown): value is UnprocessableEntityError {
  return hasKind(value, "UnprocessableEntityError");
}
