import { brand, hasKind } from "../../base/brand";
import { APIError, type APIErrorInit } from "./api-error";

/**
 * 401: the API key is missing, malformed or revoked. Never retried.
 *
 * @example
 * ```ts
 * import { isAuthenticationError } from "puffle-chat";
 * try { await puffle.getSession(id); } catch (error) {
 *   if (isAuthenticationError(error)) console.error("Set a valid PUFFLE_API_KEY");
 * }
 * ```
 */
export class AuthenticationError extends APIError {
  override name = "AuthenticationError";
  /** Always 401. */
  declare readonly status: 401;

  constructor(
    init: APIErrorInit,
    hint = "Check PUFFLE_API_KEY (or the apiKey option): Puffle keys look like pk_live_ followed by 64 hex characters.",
  ) {
    super(init, hint);
    brand(this, "AuthenticationError");
  }
}

/**
 * True when `value` is a {@link AuthenticationError}. Works across realms.
 *
 * @example
 * ```ts
 * if (isAuthenticationError(error)) console.error("Set a valid PUFFLE_API_KEY");
 * ```
 */
export function isAuthenticationError(value: unknown): value is AuthenticationError {
  return hasKind(value, "AuthenticationError");
}
