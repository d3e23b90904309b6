/**
 * A refusal of the chat route, and the mapping of SDK errors to HTTP answers.
 *
 * @internal
 * @module
 */

import { PuffleError } from "../base/puffle-error";
import { redactText } from "../base/redact";
import {
  AuthenticationError,
  InsufficientCreditsError,
  isAPIError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  SessionBusyError,
  SkeletonRequiredError,
  UnprocessableEntityError,
} from "../core/api-errors";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  DispatchUnknownError,
  isPuffleError,
  RequestValidationError,
  WaitTimeoutError,
} from "../core/errors";
import { DEFAULT_MAX_RETRY_AFTER_MS } from "../core/options";
import type { ChatRouteErrorBody } from "../realtime/chat-protocol";

/**
 * A refusal with its status, code and a message safe to show to the browser; a
 * {@link PuffleError} like every error of the package.
 */
export class RouteError extends PuffleError {
  static override readonly brand: string = "RouteError";
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
  if (error instanceof RequestValidationError) {
    return new RouteError(400, "invalid_request", error.message, {
      issues: error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  if (error instanceof SkeletonRequiredError) {
    return new RouteError(
      409,
      "skeleton_required",
      "This session has no skeleton yet: chat first (a turn or two) before generating examples.",
    );
  }
  if (error instanceof SessionBusyError) {
    return new RouteError(
      409,
      "session_busy",
      "The session is already running a task: wait for it to finish, then send again.",
      { taskStatus: error.taskStatus ?? null },
    );
  }
  if (error instanceof WaitTimeoutError) {
    return new RouteError(
      504,
      "timeout",
      "The session stayed busy for too long: try again in a moment.",
    );
  }
  if (error instanceof NotFoundError) {
    return new RouteError(404, "not_found", "No such session (or it is not yours).");
  }
  if (error instanceof InsufficientCreditsError) {
    return new RouteError(
      402,
      "insufficient_credits",
      "The Puffle account is out of credits: top up, then send again.",
    );
  }
  if (error instanceof RateLimitError) {
    // Upstream text: a browser is told to wait at most the SDK's default maxRetryAfter (60 s);
    // `Retry-After: 1000000000` from Puffle or a proxy would otherwise park the page for decades.
    const asked = error.retryAfterMs;
    const retryAfterMs =
      asked === undefined ? undefined : Math.min(asked, DEFAULT_MAX_RETRY_AFTER_MS);
    return new RouteError(
      429,
      "rate_limited",
      "Too many requests to Puffle: wait a moment, then send again.",
      retryAfterMs === undefined ? {} : { retryAfterMs },
      retryAfterMs === undefined ? {} : { "retry-after": String(Math.ceil(retryAfterMs / 1000)) },
    );
  }
  if (error instanceof DispatchUnknownError) {
    return new RouteError(
      502,
      "dispatch_unknown",
      "Puffle did not answer, and whether the turn was sent is unknown: reload the session before sending again.",
    );
  }
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) {
    return new RouteError(
      502,
      "upstream_error",
      "The server could not talk to Puffle (its credentials were refused).",
    );
  }
  if (error instanceof UnprocessableEntityError || (isAPIError(error) && error.status === 400)) {
    return new RouteError(
      error.status === 422 ? 422 : 400,
      "invalid_request",
      `Puffle refused the request: ${error.serverMessage ?? error.message}`,
    );
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new RouteError(504, "timeout", "Puffle did not answer in time: try again.");
  }
  if (error instanceof APIConnectionError || isAPIError(error)) {
    return new RouteError(502, "upstream_error", "Puffle is unavailable: try again in a moment.");
  }
  if (isPuffleError(error)) {
    return new RouteError(502, "upstream_error", "The request to Puffle failed: try again.");
  }
  return undefined;
}
