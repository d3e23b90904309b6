/**
 * The HTTP error answers: {@link APIError} and one class per status the API documents, their
 * hints, and the one factory the transport uses. Each class has a fixed kind (see
 * `base/brand.ts`), so `instanceof` works across installed copies of the package.
 *
 * @module
 */
import { kindOf } from "../base/brand";
import { PuffleError } from "../base/puffle-error";
import { redactHeaders, redactText, redactValue, truncateText } from "../base/redact";
import type { TaskStatus } from "./types";

/**
 * What the transport knows about a failed HTTP exchange, handed to every {@link APIError}.
 *
 * @example
 * ```ts
 * const error = new APIError({ status: 418, body: { error: "teapot" }, method: "GET", path: "/x" });
 * ```
 */
export interface APIErrorInit {
  /** The HTTP status code. */
  status: number;
  /** The response headers. */
  headers?: Headers | Record<string, string>;
  /** The parsed body (JSON when it parsed, else the raw text). */
  body?: unknown;
  /** The request method, upper case. */
  method?: string;
  /** The request path, for example `/api/campaigns/ai-chat-sessions/…`. */
  path?: string;
  /** How many retries were made before this answer. Default 0. */
  retries?: number;
  /** The API host the request went to (named in hints about a wrong `baseURL`). */
  baseURL?: string;
}

/** What each class tells the user to do, by its kind (the statuses without a hint have none). */
const HINTS: Readonly<Record<string, string>> = {
  BadRequestError:
    "Check the request against the API reference; the server's message says what it refused.",
  SkeletonRequiredError:
    "The session has no skeleton yet: keep chatting (runTurn or chat) until session.skeleton is set, then generate examples.",
  AuthenticationError:
    "Check PUFFLE_API_KEY (or the apiKey option): Puffle keys look like pk_live_ followed by 64 hex characters.",
  InsufficientCreditsError: "Top up the Puffle account's credits, then try again.",
  PermissionDeniedError: "Use a key whose account has access to this campaign.",
  NotFoundError:
    "It does not exist, or it belongs to another account (Puffle answers 404 for both): check the id.",
  ConflictError: "The session's state does not allow this right now.",
  // The server's message already says "Session is busy (<task>)": the hint only says what to do.
  SessionBusyError:
    'Nothing was started: wait until it is idle (puffle.waitForIdle) and send again, or pass onBusy: "wait".',
  UnprocessableEntityError: "Check the request's content against the API reference.",
  InternalServerError: "Puffle failed to answer; try again shortly.",
};

/**
 * The server answered with an error status. Subclasses name each status the API documents;
 * `APIError` itself is thrown for the others. `body` is the whole parsed body (both documented
 * shapes, `{ error: "…" }` and `{ error: { code, message } }`, or the raw text of anything else);
 * `code` and `serverMessage` are read from it. Check a status with {@link isAPIError}.
 *
 * @example
 * ```ts
 * import { APIError } from "puffle-chat";
 * try { await puffle.getSession(id); } catch (error) {
 *   if (error instanceof APIError) console.error(error.status, error.code, error.requestId);
 * }
 * ```
 */
export class APIError<S extends number = number> extends PuffleError {
  static override readonly brand: string = "APIError";
  /** The HTTP status code. */
  readonly status: S;
  /** Response headers, lower-case names, secrets redacted. */
  readonly headers: Record<string, string>;
  /** The request id the server sent (`x-request-id` and similar), when it sent one. */
  readonly requestId: string | undefined;
  /** The parsed error body (JSON, else the raw text), secrets redacted. */
  readonly body: unknown;
  /** The error code of the nested body shape, when present. */
  readonly code: string | undefined;
  /** The server's own message, when the body had one. */
  readonly serverMessage: string | undefined;
  /** The request method. */
  readonly method: string | undefined;
  /** The request path. */
  readonly path: string | undefined;
  /** How many automatic retries were made before giving up. */
  readonly retries: number;

  /** `hint` replaces the class's own hint (say what to do next). */
  constructor(init: APIErrorInit, hint?: string) {
    const { code, message } = readErrorBody(init.body);
    super(describe(init, message, hint ?? HINTS[kindOf(new.target) ?? ""]));
    this.status = init.status as S;
    this.headers = redactHeaders(init.headers);
    this.requestId =
      this.headers["x-request-id"] ?? this.headers["request-id"] ?? this.headers["x-vercel-id"];
    this.body = redactValue(init.body);
    this.code = code === undefined ? undefined : redactText(truncateText(code, 200));
    this.serverMessage =
      message === undefined ? undefined : redactText(truncateText(message, 2_000));
    this.method = init.method;
    this.path = init.path;
    this.retries = init.retries ?? 0;
  }
}

/**
 * 400: the request was refused as invalid.
 *
 * @example
 * ```ts
 * if (isAPIError(error, 400)) console.error(error.serverMessage);
 * ```
 */
export class BadRequestError extends APIError<400> {
  static override readonly brand: string = "BadRequestError";
}

/**
 * 400 from `generateExamples`: the session has no skeleton yet (`Session has no framework yet.
 * Chat first to create one.`). Send more turns until `session.skeleton` is set, then try again.
 *
 * @example
 * ```ts
 * import { SkeletonRequiredError } from "puffle-chat";
 * try { await puffle.generateExamples(id, { leads }); } catch (error) {
 *   if (error instanceof SkeletonRequiredError) await puffle.chat(id, { message: "Let's settle the structure" });
 * }
 * ```
 */
export class SkeletonRequiredError extends BadRequestError {
  static override readonly brand: string = "SkeletonRequiredError";
}

/**
 * 401: the API key is missing, malformed or revoked. Never retried.
 *
 * @example
 * ```ts
 * if (isAPIError(error, 401)) console.error("Set a valid PUFFLE_API_KEY");
 * ```
 */
export class AuthenticationError extends APIError<401> {
  static override readonly brand: string = "AuthenticationError";
}

/**
 * 402: the account's credits are exhausted.
 *
 * @example
 * ```ts
 * if (isAPIError(error, 402)) notifyBilling();
 * ```
 */
export class InsufficientCreditsError extends APIError<402> {
  static override readonly brand: string = "InsufficientCreditsError";
}

/**
 * 403: the key is valid but lacks permission.
 *
 * @example
 * ```ts
 * if (isAPIError(error, 403)) console.error(error.message);
 * ```
 */
export class PermissionDeniedError extends APIError<403> {
  static override readonly brand: string = "PermissionDeniedError";
}

/**
 * 404: the object does not exist or belongs to another account (Puffle answers 404 for both, so
 * that existence does not leak).
 *
 * @example
 * ```ts
 * try { await puffle.getSession(id); } catch (error) {
 *   if (isAPIError(error, 404)) return null;
 * }
 * ```
 */
export class NotFoundError extends APIError<404> {
  static override readonly brand: string = "NotFoundError";
}

/**
 * 409: the request conflicts with the session's state.
 *
 * @example
 * ```ts
 * if (isAPIError(error, 409)) console.warn(error.message);
 * ```
 */
export class ConflictError extends APIError<409> {
  static override readonly brand: string = "ConflictError";
}

/**
 * 409: the session already runs a task (`Session is busy (<task_status>)`), so the turn or
 * example run was not started. Wait for idle (`waitForIdle`) and send again, or pass
 * `onBusy: "wait"` to let the SDK do that. Never retried automatically by default.
 *
 * @example
 * ```ts
 * import { SessionBusyError } from "puffle-chat";
 * try { await puffle.runTurn(id, { message }); } catch (error) {
 *   if (error instanceof SessionBusyError) console.log("busy with", error.taskStatus);
 * }
 * ```
 */
export class SessionBusyError extends ConflictError {
  static override readonly brand: string = "SessionBusyError";
  /** The task the session is busy with, parsed from the message (`chat_processing`, …), if named. */
  readonly taskStatus: TaskStatus | undefined;

  constructor(init: APIErrorInit, taskStatus: TaskStatus | undefined) {
    super(init);
    // Server text: redacted like the message, and bounded.
    this.taskStatus =
      taskStatus === undefined ? undefined : (redactText(taskStatus).slice(0, 200) as TaskStatus);
  }
}

/**
 * 422: the request was understood but cannot be processed.
 *
 * @example
 * ```ts
 * if (isAPIError(error, 422)) console.error(error.serverMessage);
 * ```
 */
export class UnprocessableEntityError extends APIError<422> {
  static override readonly brand: string = "UnprocessableEntityError";
}

/**
 * 429: too many requests. The SDK already retried (honouring `Retry-After` up to a cap) before
 * throwing this; `retryAfterMs` is what the server asked for last, when it said.
 *
 * @example
 * ```ts
 * try { await puffle.listSessions(campaignId); } catch (error) {
 *   if (isAPIError(error, 429)) await new Promise((r) => setTimeout(r, error.retryAfterMs ?? 5_000));
 * }
 * ```
 */
export class RateLimitError extends APIError<429> {
  static override readonly brand: string = "RateLimitError";
  /** The delay the server asked for in `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(init: APIErrorInit, retryAfterMs: number | undefined) {
    const wait =
      retryAfterMs === undefined ? "wait a little" : `wait ${Math.ceil(retryAfterMs / 1000)} s`;
    super(
      init,
      `Rate limited by Puffle; ${wait} before trying again, or raise maxRetries and maxRetryAfter.`,
    );
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * 5xx: Puffle (or a proxy in front of it) failed.
 *
 * @example
 * ```ts
 * if (isAPIError(error) && error instanceof InternalServerError) console.warn(error.requestId);
 * ```
 */
export class InternalServerError extends APIError {
  static override readonly brand: string = "InternalServerError";
}

/**
 * The class {@link isAPIError} narrows to for each status (any other status: {@link APIError}).
 *
 * @example
 * ```ts
 * type Busy = APIErrorByStatus[409]; // ConflictError | SessionBusyError
 * ```
 */
export interface APIErrorByStatus {
  /** Refused as invalid (a `SkeletonRequiredError` from `generateExamples` before a skeleton). */
  400: BadRequestError | SkeletonRequiredError;
  /** The API key was refused. */
  401: AuthenticationError;
  /** Out of credits. */
  402: InsufficientCreditsError;
  /** The key lacks permission. */
  403: PermissionDeniedError;
  /** No such object, or not this account's. */
  404: NotFoundError;
  /** A conflict with the session's state (a `SessionBusyError` when it runs a task). */
  409: ConflictError | SessionBusyError;
  /** Understood but not processable. */
  422: UnprocessableEntityError;
  /** Rate limited, after the SDK's own retries. */
  429: RateLimitError;
  /** Puffle failed. */
  500: InternalServerError;
  /** A gateway in front of Puffle failed. */
  502: InternalServerError;
  /** Puffle is unavailable. */
  503: InternalServerError;
  /** A gateway in front of Puffle timed out. */
  504: InternalServerError;
}

/** The class of the documented statuses, for {@link isAPIError}. */
const STATUS_CLASS: Readonly<Record<number, abstract new (...args: never) => APIError>> = {
  400: BadRequestError,
  401: AuthenticationError,
  402: InsufficientCreditsError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/**
 * True when `value` is an {@link APIError} from any copy of the package (any realm), optionally
 * with the given HTTP `status`; then it narrows to that status's class ({@link APIErrorByStatus}:
 * `404` to `NotFoundError`, `409` to `ConflictError | SessionBusyError`, a 5xx to
 * `InternalServerError`).
 *
 * @example
 * ```ts
 * catch (error) {
 *   if (isAPIError(error, 404)) return null;
 *   if (isAPIError(error) && error.status >= 500) console.warn("Puffle is having trouble");
 * }
 * ```
 */
export function isAPIError<S extends number = number>(
  value: unknown,
  status?: S,
): value is S extends keyof APIErrorByStatus ? APIErrorByStatus[S] : APIError {
  if (status === undefined) return value instanceof APIError;
  const cls = STATUS_CLASS[status] ?? (status >= 500 ? InternalServerError : APIError);
  return value instanceof cls && value.status === status;
}

const NO_FRAMEWORK = /no framework yet|chat first/i;

/**
 * The error class for an HTTP error answer.
 *
 * @internal
 */
export function makeAPIError(init: APIErrorInit & { retryAfterMs?: number | undefined }): APIError {
  const { message } = readErrorBody(init.body);
  // A redirect (or, in a browser, the opaque answer a redirect gives with `redirect: "manual"`).
  if (init.status < 400) return new APIError(init, redirectHint(init));
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

/**
 * What to do about a redirect, which the SDK never follows: it names only the origin the answer
 * pointed at (never its path or query, which could carry anything), resolved against `baseURL`.
 */
function redirectHint(init: APIErrorInit): string {
  const location = redactHeaders(init.headers).location;
  let target = "another address";
  if (location) {
    try {
      target = new URL(location, init.baseURL).origin;
    } catch {
      target = "an invalid address";
    }
  }
  return `The server answered with a redirect to ${target}, which the SDK never follows (it would send the request, and the API key, again to wherever it points), so nothing was sent there. Puffle's API does not redirect: check that baseURL${init.baseURL ? ` (${safeOrigin(init.baseURL)})` : ""} is the API's own address (default https://app.puffle.ai).`;
}

/**
 * The scheme and host of a URL, never its user info, path or query.
 *
 * @internal
 */
export function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "an invalid URL";
  }
}

/**
 * Parse the task name out of `Session is busy (<status>)`; `busy: false` when it is not that
 * message.
 *
 * @internal
 */
export function parseBusyMessage(message: string | undefined): {
  busy: boolean;
  taskStatus: string | undefined;
} {
  if (!message) return { busy: false, taskStatus: undefined };
  const match = /session is busy(?:\s*\(([^)]*)\))?/i.exec(message);
  if (!match) return { busy: false, taskStatus: undefined };
  const status = match[1]?.trim();
  return { busy: true, taskStatus: status ? status : undefined };
}

/**
 * Read `code` and `message` from either documented error body shape, or from plain text.
 *
 * @internal
 */
export function readErrorBody(body: unknown): {
  code: string | undefined;
  message: string | undefined;
} {
  if (typeof body === "string") return readTextBody(body);
  if (body && typeof body === "object" && "error" in body) {
    const error = (body as { error: unknown }).error;
    if (typeof error === "string") return { code: undefined, message: error };
    if (error && typeof error === "object") {
      const { code, message } = error as { code?: unknown; message?: unknown };
      return {
        code: typeof code === "string" ? code : undefined,
        message: typeof message === "string" ? message : undefined,
      };
    }
  }
  if (body && typeof body === "object" && "message" in body) {
    const message = (body as { message: unknown }).message;
    if (typeof message === "string") return { code: undefined, message };
  }
  return { code: undefined, message: undefined };
}

/** The message of a text body: an HTML page's title (never its markup), else the text, bounded. */
function readTextBody(body: string): { code: undefined; message: string | undefined } {
  const text = body.trim();
  if (!text) return { code: undefined, message: undefined };
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
  if (title) return { code: undefined, message: title };
  if (text.startsWith("<")) return { code: undefined, message: "non-JSON (HTML) response" };
  return { code: undefined, message: text.length > 300 ? `${text.slice(0, 300)}…` : text };
}

/**
 * Whether an error body has one of Puffle's documented shapes (`{ error: "…" }` or
 * `{ error: { code, message } }`); an HTML page or an empty body from another host has not.
 *
 * @internal
 */
export function isPuffleErrorBody(body: unknown): boolean {
  if (!body || typeof body !== "object" || !("error" in body)) return false;
  const error = (body as { error: unknown }).error;
  return typeof error === "string" || (!!error && typeof error === "object");
}

function describe(
  init: APIErrorInit,
  serverMessage: string | undefined,
  hint: string | undefined,
): string {
  const where = init.method && init.path ? ` ${init.method} ${init.path}` : "";
  // One period between the server's text and the SDK's: "revoked API key. Check …", never "..".
  const trimmed = serverMessage?.trim().replace(/[\s.]+$/, "");
  const said = trimmed ? `: ${trimmed}` : "";
  const retried = init.retries
    ? ` (after ${init.retries} ${init.retries === 1 ? "retry" : "retries"})`
    : "";
  return `${init.status}${where}${said}${retried}.${hint ? ` ${hint}` : ""}`;
}
