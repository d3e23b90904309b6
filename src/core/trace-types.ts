/**
 * The messages of the SDK's tracing channels: public API, read by `puffle-chat/otel` and by anyone
 * who subscribes to the channels with `node:diagnostics_channel` directly. Each channel is a
 * `TracingChannel` (its `start`, `end`, `asyncStart`, `asyncEnd` and `error` channels); the SDK
 * publishes only while something subscribes. Node sets `result` (on success) or `error` (on
 * failure) on the message before `asyncEnd` / `error`.
 *
 * @module
 */

/** The names of the SDK's tracing channels (`diagnostics_channel.tracingChannel(name)`). */
export const PUFFLE_CHANNELS = {
  /** One public client method call (`chat`, `getSession`, …): {@link MethodTraceMessage}. */
  method: "puffle-chat:method",
  /** One HTTP request to the Puffle API, each retry its own: {@link RequestTraceMessage}. */
  request: "puffle-chat:request",
  /** One wait until a session is idle: {@link WaitTraceMessage}. */
  wait: "puffle-chat:wait",
  /** One paid dispatch (a turn or examples) with its reconciliation: {@link DispatchTraceMessage}. */
  dispatch: "puffle-chat:dispatch",
  /** One request to a `createChatRoute` handler: {@link RouteTraceMessage}. */
  route: "puffle-chat:route",
} as const;

/** What Node's `TracingChannel` sets on every message. */
export interface TraceOutcome {
  /** The value the traced operation resolved with (set before `asyncEnd`). */
  result?: unknown;
  /** What it threw or rejected with (set before `error`). */
  error?: unknown;
}

/**
 * `puffle-chat:method`: one public method of `PuffleClient`. `result` is what the method resolves
 * with (a `ChatResult` for `chat`, a `Session` for `getSession`, …).
 *
 * @example
 * ```ts
 * import { tracingChannel } from "node:diagnostics_channel";
 * import type { MethodTraceMessage } from "puffle-chat/types";
 * tracingChannel<MethodTraceMessage>("puffle-chat:method").subscribe({
 *   asyncEnd: (m) => console.log(m.method, m.sessionId),
 * });
 * ```
 */
export interface MethodTraceMessage extends TraceOutcome {
  /** The method's name, as on the client: `"chat"`, `"getSession"`, `"finishSession"`, … */
  readonly method: string;
  /** The session the method is about, when it names one. */
  readonly sessionId?: string | undefined;
  /** The campaign the method is about, when it names one. */
  readonly campaignId?: string | undefined;
  /** The campaign node the method is about, when it names one. */
  readonly nodeId?: string | undefined;
  /** The user's message of a turn (`chat`, `runTurn`): content, for subscribers that capture it. */
  readonly message?: string | undefined;
}

/**
 * `puffle-chat:request`: one HTTP request (each retry is a request of its own). `result` is the
 * `Response` (any status: a 404 resolves too; its status is `result.status`).
 */
export interface RequestTraceMessage extends TraceOutcome {
  /** The operationId (`"getSession"`, `"runTurn"`, …). */
  readonly operation: string;
  /** `GET`, `POST`, … */
  readonly method: string;
  /** The path template, e.g. `/api/campaigns/ai-chat-sessions/{sessionId}`. */
  readonly urlTemplate: string;
  /** The full URL (no credentials: the key travels in a header the message does not carry). */
  readonly url: string;
  /** 0 for the first request, 1 for the first retry, … */
  readonly resendCount: number;
  /**
   * A W3C `traceparent` a subscriber may set in its `start` handler; the SDK sends it as the
   * request's `traceparent` header (the server may ignore it).
   */
  traceparent?: string | undefined;
}

/** `puffle-chat:wait`: one wait until idle. `result` is the `WaitResult`. */
export interface WaitTraceMessage extends TraceOutcome {
  /** The session waited for. */
  readonly sessionId: string;
  /** How the wait ended or was going when it failed: `"realtime"` or `"poll"`. */
  mode?: "realtime" | "poll" | undefined;
  /** Why realtime was given up for polling, when it was. */
  fallbackReason?: string | undefined;
  /** Puffle API requests the wait made so far. */
  requests?: number | undefined;
}

/**
 * `puffle-chat:dispatch`: one paid dispatch with the SDK's at-most-once rule (sends, retries and
 * the reconciliation of a lost answer). `result` is the run handle; on failure, the error's
 * `dispatch` says `"sent"`, `"not_sent"` or `"unknown"`.
 */
export interface DispatchTraceMessage extends TraceOutcome {
  /** `"runTurn"` or `"generateExamples"`. */
  readonly operation: string;
  /** The session dispatched to. */
  readonly sessionId: string;
}

/**
 * `puffle-chat:route`: one request to a `createChatRoute` handler. `result` is the `Response` it
 * answered (refusals included: a 4xx is an answer, not an error).
 */
export interface RouteTraceMessage extends TraceOutcome {
  /** The request's method. */
  readonly method: string;
  /** The request's path (no query string: it may carry what the app put there). */
  readonly path: string;
}
