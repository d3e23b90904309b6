/**
 * A refusal of the chat route, and the mapping of SDK errors to HTTP answers.
 *
 * @internal
 * @module
 */

import { redactText } from "../base/redact";
import {
  isAPIConnectionError,
  isAPIConnectionTimeoutError,
  isAPIError,
  isAuthenticationError,
  isDispatchUnknownError,
  isInsufficientCreditsError,
  isNotFoundError,
  isPermissionDeniedError,
  isPuffleError,
  isRateLimitError,
  isRequestValidationError,
  isSessionBusyError,
  isSkeletonRequiredError,
  isUnprocessableEntityError,
  isWaitTimeoutError,
} from "../core/errors/index";
import type { ChatRouteErrorBody } from "../realtime/chat-protocol";

/** A refusal with its status, code and a message safe to show to the browser. */
export class RouteError extends Error {
  override name = "RouteError";
  readonly status: number;
  readonly code: string;
  readonly extra: Partial<ChatRouteErrorBody>;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    extra: Partial<ChatRouteErrorBody> = {},
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
    this.headers = headers;
  }
}

/** The JSON answer of a refusal. Bodies are redacted once more, as a last line of defence. */
export function errorResponse(error: RouteError): Response {
  const body: ChatRouteErrorBody = {
    ...error.extra,
    code: error.code,
    message: redactText(error.message),
    status: error.status,
  };
  return new Response(JSON.stringify({ error: body }), {
    status: error.status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      ...error.headers,
    },
  });
}

/**
 * Map an error thrown by the SDK to what the browser may know. Upstream problems the user cannot
 * fix (the server's key refused, Puffle down) become 502 with a generic message; the details go
 * to the server's `onError` only. `undefined` for an error that is not the SDK's (a bug: 500).
 */
export function mapSdkError(error: unknown): RouteError | undefined {
  if (isRequestValidationError(error)) {
    return new RouteError(400, "invalid_request", error.message, {
      issues: error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  if (isSkeletonRequiredError(error)) {
    return new RouteError(
      409,
      "skeleton_required",
      "This session has no skeleton yet: chat first (a turn or two) before generating examples.",
    );
  }
  if (isSessionBusyError(error)) {
    return new RouteError(
      409,
      "session_busy",
      "The session is already running a task: wait for it to finish, then send again.",
      { taskStatus: error.taskStatus ?? null },
    );
  }
  if (isWaitTimeoutError(error)) {
    return new RouteError(
      504,
      "timeout",
      "The session stayed busy for too long: try again in a moment.",
    );
  }
  if (isNotFoundError(error)) {
    return new RouteError(404, "not_found", "No such session (or it is not yours).");
  }
  if (isInsufficientCreditsError(error)) {
    return new RouteError(
      402,
      "insufficient_credits",
      "The Puffle account is out of credits: top up, then send again.",
    );
  }
  if (isRateLimitError(error)) {
    const retryAfterMs = error.retryAfterMs;
    return new RouteError(
      429,
      "rate_limited",
      "Too many requests to Puffle: wait a moment, then send again.",
      retryAfterMs === undefined ? {} : { retryAfterMs },
      retryAfterMs === undefined ? {} : { "retry-after": String(Math.ceil(retryAfterMs / 1000)) },
    );
  }
  if (isDispatchUnknownError(error)) {
    return new RouteError(
      502,
      "dispatch_unknown",
      "Puffle did not answer, and whether the turn was sent is unknown: reload the session before sending again.",
    );
  }
  if (isAuthenticationError(error) || isPermissionDeniedError(error)) {
    return new RouteError(
      502,
      "upstream_error",
      "The server could not talk to Puffle (its credentials were refused).",
    );
  }
  if (isUnprocessableEntityError(error) || (isAPIError(error) && error.status === 400)) {
    return new RouteError(
      error.status === 422 ? 422 : 400,
      "invalid_request",
      `Puffle refused the request: ${error.serverMessage ?? error.message}`,
    );
  }
  if (isAPIConnectionTimeoutError(error)) {
    return new RouteError(504, "timeout", "Puffle did not answer in time: try again.");
  }
  if (isAPIConnectionError(error) || isAPIError(error)) {
    return new RouteError(502, "upstream_error", "Puffle is unavailable: try again in a moment.");
  }
  if (isPuffleError(error)) {
    return new RouteError(502, "upstream_error", "The request to Puffle failed: try again.");
  }
  return undefined;
}
