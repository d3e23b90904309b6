import { brand, hasKind } from "../../base/brand";
import { APIError, type APIErrorInit } from "./api-error";

/**
 * 400: the request was refused as invalid.
 *
 * @example
 * ```ts
 * import { isBadRequestError } from "puffle-chat";
 * try { await puffle.getSession(id); } catch (error) {
 *   if (isBadRequestError(error)) console.error(error.serverMessage);
 * }
 * ```
 */
export class BadRequestError extends APIError {
  override name = "BadRequestError";
  /** Always 400. */
  declare readonly status: 400;

  constructor(
    init: APIErrorInit,
    hint = "Check the request against the API reference; the server's message says what it refused.",
  ) {
    super(init, hint);
    brand(this, "BadRequestError");
  }
}

/**
 * True when `value` is a {@link BadRequestError}. Works across realms.
 *
 * @example
 * ```ts
 * if (isBadRequestError(error)) console.error(error.serverMessage);
 * ```
 */
export function isBadRequestError(value: unknown): value is BadRequestError {
  return hasKind(value, "BadRequestError");
}
