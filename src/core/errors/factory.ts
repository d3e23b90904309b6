import { APIError, type APIErrorInit, isPuffleErrorBody, readErrorBody } from "./api-error";
import { AuthenticationError } from "./authentication-error";
import { BadRequestError } from "./bad-request-error";
import { ConflictError } from "./conflict-error";
import { InsufficientCreditsError } from "./insufficient-credits-error";
import { InternalServerError } from "./internal-server-error";
import { NotFoundError } from "./not-found-error";
import { PermissionDeniedError } from "./permission-denied-error";
import { RateLimitError } from "./rate-limit-error";
import { parseBusyMessage, SessionBusyError } from "./session-busy-error";
import { SkeletonRequiredError } from "./skeleton-required-error";
import { UnprocessableEntityError } from "./unprocessable-entity-error";

const NO_FRAMEWORK = /no framework yet|chat first/i;

/**
 * The error class for an HTTP error answer.
 *
 * @internal
 */
export function makeAPIError(init: APIErrorInit & { retryAfterMs?: number | undefined }): APIError {
  const { message } = readErrorBody(init.body);
  switch (init.status) {
    case 400:
      return message && NO_FRAMEWORK.test(message)
        ? new SkeletonRequiredError(init)
        : new BadRequestError(init);
    case 401:
      return new AuthenticationError(init);
    case 402:
      return new InsufficientCreditsError(init);
    case 403:
      return new PermissionDeniedError(init);
    case 404:
      // Not Puffle's answer (an HTML page, an empty body): most likely a wrong host.
      return isPuffleErrorBody(init.body)
        ? new NotFoundError(init)
        : new NotFoundError(
            init,
            `The answer is not a Puffle API error: check that baseURL${init.baseURL ? ` (${safeOrigin(init.baseURL)})` : ""} points at the Puffle API (default https://app.puffle.ai).`,
          );
    case 409: {
      const busy = parseBusyMessage(message);
      return busy.busy ? new SessionBusyError(init, busy.taskStatus) : new ConflictError(init);
    }
    case 422:
      return new UnprocessableEntityError(init);
    case 429:
      return new RateLimitError(init, init.retryAfterMs);
    default:
      return init.status >= 500 ? new InternalServerError(init) : new APIError(init);
  }
}

/** The scheme and host of a URL, never its user info, path or query. */
export function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "an invalid URL";
  }
}
