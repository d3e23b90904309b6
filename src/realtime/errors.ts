/**
 * Typed errors of the realtime transports (`puffle-chat/realtime`).
 *
 * Every failure of {@link subscribeToRun}, {@link subscribeToChat} and the optional
 * `@trigger.dev/sdk` transport is a {@link RealtimeError} with a `kind`, the HTTP `status` when
 * there was one, and the `runId`. Messages say what failed and what to do next. They never contain
 * the public access token: not in `message`, not in `cause`, not in `JSON.stringify(error)`.
 *
 * @module
 */

import { hasKind } from "../base/brand";
import { PuffleError } from "../base/puffle-error";

/**
 * What went wrong, as a string union you can switch on.
 *
 * - `unauthorized` (401): the public token is expired, revoked or not for this run.
 * - `forbidden` (403): the token is valid but may not read this run or stream.
 * - `not_found` (404): no such run (or stream) on this Trigger.dev host.
 * - `unreachable`: network errors, 5xx or 429 persisted through every retry.
 * - `stalled`: no message at all arrived for `stallTimeoutMs`.
 * - `protocol`: the server answered something the transport cannot use (another 4xx, missing
 *   Electric headers, a body that is not a run).
 * - `missing_dependency`: the optional `@trigger.dev/sdk` transport was asked for but the package
 *   is not installed.
 *
 * @example
 * ```ts
 * if (isRealtimeError(error) && error.kind === "stalled") resubscribe();
 * ```
 */
export type RealtimeErrorKind =
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "unreachable"
  | "stalled"
  | "protocol"
  | "missing_dependency";

/**
 * Fields shared by every {@link RealtimeError} constructor.
 *
 * @example
 * ```ts
 * new RealtimeNotFoundError({ runId: "run_123", status: 404 });
 * ```
 */
export interface RealtimeErrorInit {
  /** The run the subscription was for. */
  runId: string;
  /** The HTTP status that ended the subscription, when there was one. */
  status?: number | undefined;
  /** A sanitised underlying error (never contains the token). */
  cause?: unknown;
}

/**
 * Base class of every realtime failure; a {@link PuffleError} like every error of the package, so
 * `isPuffleError(error)` is true for it. Check with {@link isRealtimeError} or `instanceof` (both work
 * across realms and installed copies).
 *
 * @example
 * ```ts
 * try {
 *   for await (const update of subscribeToRun({ runId, publicAccessToken })) render(update);
 * } catch (error) {
 *   if (isRealtimeError(error) && error.kind === "unauthorized") fallBackToPolling();
 *   else throw error;
 * }
 * ```
 */
export class RealtimeError extends PuffleError {
  static override readonly brand: string = "RealtimeError";
  /** What went wrong. */
  readonly kind: RealtimeErrorKind;
  /** The HTTP status that ended the subscription, when there was one. */
  readonly status: number | undefined;
  /** The run the subscription was for. */
  readonly runId: string;

  constructor(kind: RealtimeErrorKind, message: string, init: RealtimeErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = kind;
    this.status = init.status;
    this.runId = init.runId;
  }

  /** A plain, token-free description for logs and `JSON.stringify`. */
  override toJSON(): {
    name: string;
    kind: RealtimeErrorKind;
    status?: number;
    runId: string;
    message: string;
  } {
    return {
      name: this.name,
      kind: this.kind,
      ...(this.status === undefined ? {} : { status: this.status }),
      runId: this.runId,
      message: this.message,
    };
  }
}

/**
 * 401: the public access token was refused.
 *
 * @example
 * ```ts
 * if (error instanceof RealtimeUnauthorizedError) handle = await puffle.runTurn(...); // or poll
 * ```
 */
export class RealtimeUnauthorizedError extends RealtimeError {
  static override readonly brand: string = "RealtimeUnauthorizedError";
  /** Always 401. */
  declare readonly status: 401;
  constructor(init: RealtimeErrorInit & { what?: string }) {
    super(
      "unauthorized",
      `The ${init.what ?? "realtime run feed"} for ${init.runId} refused the public access token (401): ` +
        "the public token is expired or not for this run; get a new run handle or fall back to polling.",
      { ...init, status: 401 },
    );
  }
}

/**
 * 403: the token is valid but not allowed to read this run or stream.
 *
 * @example
 * ```ts
 * if (isRealtimeError(error, "forbidden")) console.warn(error.message);
 * ```
 */
export class RealtimeForbiddenError extends RealtimeError {
  static override readonly brand: string = "RealtimeForbiddenError";
  /** Always 403. */
  declare readonly status: 403;
  constructor(init: RealtimeErrorInit & { what?: string }) {
    super(
      "forbidden",
      `The ${init.what ?? "realtime run feed"} for ${init.runId} denied access (403): ` +
        "the public token does not grant read access to this run; use the publicAccessToken returned " +
        "with this run's handle, or fall back to polling.",
      { ...init, status: 403 },
    );
  }
}

/**
 * 404: the run (or its stream) does not exist on this Trigger.dev host.
 *
 * @example
 * ```ts
 * if (isRealtimeError(error, "not_found")) console.warn("wrong run id or triggerBaseURL");
 * ```
 */
export class RealtimeNotFoundError extends RealtimeError {
  static override readonly brand: string = "RealtimeNotFoundError";
  /** Always 404. */
  declare readonly status: 404;
  constructor(init: RealtimeErrorInit & { what?: string }) {
    super(
      "not_found",
      `The ${init.what ?? "realtime run feed"} has no run ${init.runId} (404): check the run id and ` +
        "that triggerBaseURL points at the Trigger.dev host that ran it, or fall back to polling.",
      { ...init, status: 404 },
    );
  }
}

/**
 * The refusal error of `init.status` (401, 403 or 404), or undefined for any other status: the one
 * status-to-class choice of the feed and the stream readers.
 * @internal
 */
export function refusalError(
  init: RealtimeErrorInit & { what?: string },
): RealtimeError | undefined {
  if (init.status === 401) return new RealtimeUnauthorizedError(init);
  if (init.status === 403) return new RealtimeForbiddenError(init);
  if (init.status === 404) return new RealtimeNotFoundError(init);
  return undefined;
}

/**
 * The server could not be reached (network errors, 5xx, 429) after every retry.
 *
 * @example
 * ```ts
 * if (isRealtimeError(error, "unreachable")) startPolling();
 * ```
 */
export class RealtimeUnreachableError extends RealtimeError {
  static override readonly brand: string = "RealtimeUnreachableError";
  constructor(init: RealtimeErrorInit & { what?: string; attempts: number; last: string }) {
    super(
      "unreachable",
      `Could not reach the ${init.what ?? "realtime run feed"} for ${init.runId} after ${init.attempts} ` +
        `attempt(s) (last: ${init.last}): check triggerBaseURL and the network, then resubscribe, ` +
        "or fall back to polling.",
      init,
    );
  }
}

/**
 * Nothing at all arrived for `stallTimeoutMs`: the connection looks stuck.
 *
 * @example
 * ```ts
 * subscribeToRun({ runId, publicAccessToken, stallTimeoutMs: 45_000 });
 * // … throws RealtimeStalledError if the feed is silent for 45 s
 * ```
 */
export class RealtimeStalledError extends RealtimeError {
  static override readonly brand: string = "RealtimeStalledError";
  constructor(init: RealtimeErrorInit & { what?: string; stallTimeoutMs: number }) {
    super(
      "stalled",
      `No message from the ${init.what ?? "realtime run feed"} for ${init.runId} in ` +
        `${init.stallTimeoutMs} ms: the connection looks stuck; resubscribe or fall back to polling.`,
      init,
    );
  }
}

/**
 * The server answered something the transport cannot use (an unexpected 4xx, missing protocol
 * headers, a malformed row).
 *
 * @example
 * ```ts
 * if (isRealtimeError(error, "protocol")) reportBug(error.message);
 * ```
 */
export class RealtimeProtocolError extends RealtimeError {
  static override readonly brand: string = "RealtimeProtocolError";
  constructor(init: RealtimeErrorInit & { what?: string; detail: string }) {
    super(
      "protocol",
      `The ${init.what ?? "realtime run feed"} for ${init.runId} answered unexpectedly` +
        `${init.status === undefined ? "" : ` (${init.status})`}: ${init.detail}. Check that ` +
        "triggerBaseURL points at a Trigger.dev API host, or fall back to polling.",
      init,
    );
  }
}

/**
 * An optional peer package needed by the chosen transport is not installed.
 *
 * @example
 * ```ts
 * // npm install @trigger.dev/sdk   (to use subscribeToRunWithTriggerSdk)
 * ```
 */
export class RealtimeMissingDependencyError extends RealtimeError {
  static override readonly brand: string = "RealtimeMissingDependencyError";
  /** The npm package to install. */
  readonly packageName: string;
  constructor(init: RealtimeErrorInit & { packageName: string }) {
    super(
      "missing_dependency",
      `The official Trigger.dev transport needs the optional peer dependency "${init.packageName}", ` +
        `which could not be loaded: run \`npm install ${init.packageName}\`, or use the default ` +
        "transport (subscribeToRun from puffle-chat/realtime).",
      init,
    );
    this.packageName = init.packageName;
  }
}

/**
 * An option of `subscribeToRun`, `subscribeToChat`, `createChatController` (or `new
 * ChatController`) or `usePuffleChat` is wrong: thrown by the call itself, before any request,
 * timer or subscription. `issues` lists every problem; the message says what to pass instead.
 *
 * @example
 * ```ts
 * try {
 *   createChatController({ api: "/api/chat", sessionId, pollIntervalMs: 0 });
 * } catch (error) {
 *   if (error instanceof RealtimeOptionsError) console.error(error.issues); // pollIntervalMs …
 * }
 * ```
 */
export class RealtimeOptionsError extends PuffleError {
  static override readonly brand: string = "RealtimeOptionsError";
  /** The function whose options were refused. */
  readonly where: string;
  /** Every problem found: the option's name and what it must be. */
  readonly issues: readonly { option: string; message: string }[];
  constructor(where: string, issues: readonly { option: string; message: string }[]) {
    super(
      `${where}: ${issues.map((i) => `${i.option} ${i.message}`).join("; ")}. Nothing was sent: fix the options and call again.`,
    );
    this.where = where;
    this.issues = issues;
  }
}

/**
 * True when `value` is a {@link RealtimeError} from any copy of this package (any realm, any
 * bundle), optionally of the given `kind`.
 *
 * @example
 * ```ts
 * catch (error) {
 *   if (isRealtimeError(error, "unauthorized")) return poll();
 * }
 * ```
 */
export function isRealtimeError(value: unknown, kind?: RealtimeErrorKind): value is RealtimeError {
  if (!hasKind(value, "RealtimeError")) return false;
  return kind === undefined || (value as RealtimeError).kind === kind;
}

/**
 * Remove `secret` and anything shaped like a Puffle key or Trigger.dev token from `text`.
 * @internal
 */
export function redact(text: string, secret?: string): string {
  let out = text;
  if (secret && secret.length >= 4) out = out.split(secret).join("[redacted]");
  return out.replace(/\b(tr_[a-z]{2,5}_|pk_live_|pk_test_)[A-Za-z0-9_.-]+/g, "$1[redacted]");
}

/**
 * A token-free stand-in for an underlying error, safe to use as `cause`.
 * @internal
 */
export function sanitizeCause(error: unknown, secret?: string): Error | undefined {
  if (error === undefined || error === null) return undefined;
  const source = error as { name?: unknown; message?: unknown };
  const message = typeof source.message === "string" ? source.message : String(error);
  const clean = new Error(redact(message, secret));
  clean.name = typeof source.name === "string" ? source.name : "Error";
  return clean;
}
