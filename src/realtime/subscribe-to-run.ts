/**
 * The default run transport: Trigger.dev's run feed (Electric shape long polling) read with
 * `@electric-sql/client`, browser-safe.
 *
 * @module
 */

import {
  FetchError,
  isChangeMessage,
  isControlMessage,
  type Message,
  ShapeStream,
} from "@electric-sql/client";
import {
  RealtimeError,
  RealtimeForbiddenError,
  RealtimeNotFoundError,
  RealtimeProtocolError,
  RealtimeStalledError,
  RealtimeUnauthorizedError,
  redact,
  sanitizeCause,
} from "./errors";
import { createChannel, createGuardedFetch, createStallTimer, resolveFetch } from "./internal";
import { DEFAULT_TRIGGER_BASE_URL, type SubscribeToRunOptions } from "./options";
import { type RunUpdate, rowToRunUpdate } from "./run-update";

/**
 * Default of {@link SubscribeToRunOptions.stallTimeoutMs}.
 *
 * @example
 * ```ts
 * subscribeToRun({ runId, publicAccessToken, stallTimeoutMs: DEFAULT_STALL_TIMEOUT_MS / 2 });
 * ```
 */
export const DEFAULT_STALL_TIMEOUT_MS = 60_000;
/**
 * Default of {@link SubscribeToRunOptions.maxRetries}.
 *
 * @example
 * ```ts
 * subscribeToRun({ runId, publicAccessToken, maxRetries: DEFAULT_MAX_RETRIES + 5 });
 * ```
 */
export const DEFAULT_MAX_RETRIES = 5;

const WHAT = "realtime run feed";

/**
 * Follow one Trigger.dev run through its realtime feed and yield a typed {@link RunUpdate} every
 * time the run changes, starting with its current state. Talks the feed's wire protocol
 * (`GET {triggerBaseURL}/realtime/v1/runs/{runId}`, Electric long polling) with
 * `@electric-sql/client`; safe for browsers (it needs only the run's public token).
 *
 * Nothing is requested until iteration starts; each `for await` opens its own subscription.
 * Iteration ends by itself after the update whose `isCompleted` is true (`completedAt` set), and
 * ends quietly when the consumer `break`s.
 *
 * Errors (all {@link RealtimeError}, token-free): 401 → `unauthorized`, 403 → `forbidden`,
 * 404 → `not_found` (none of them retried); network errors, 408, 429 and 5xx are retried with
 * backoff `maxRetries` times (default 5) in a row → `unreachable`; nothing at all for
 * `stallTimeoutMs` (default 60 s) → `stalled`; any other answer → `protocol`.
 * Aborting `signal` ends the subscription at once: the pending `next()` rejects with
 * `signal.reason` (a `DOMException` named `AbortError` unless you passed a reason), the request is
 * aborted and no timer stays behind.
 *
 * @example
 * ```ts
 * import { subscribeToRun, isRealtimeError } from "puffle-chat/realtime";
 *
 * const controller = new AbortController();
 * try {
 *   for await (const run of subscribeToRun({ runId, publicAccessToken, signal: controller.signal })) {
 *     console.log(run.status);
 *     if (run.isCompleted) console.log("output", run.output);
 *   }
 * } catch (error) {
 *   if (isRealtimeError(error, "unauthorized")) pollInstead();
 *   else throw error;
 * }
 * ```
 */
export function subscribeToRun(options: SubscribeToRunOptions): AsyncIterable<RunUpdate> {
  return { [Symbol.asyncIterator]: () => startRunFeed(options) };
}

function startRunFeed(options: SubscribeToRunOptions): AsyncIterableIterator<RunUpdate> {
  const { runId, publicAccessToken: token } = options;
  const base = (options.triggerBaseURL ?? DEFAULT_TRIGGER_BASE_URL).replace(/\/+$/, "");
  const internal = new AbortController();
  let unsubscribe: (() => void) | undefined;
  let stream: ShapeStream | undefined;

  const channel = createChannel<RunUpdate>(options.signal, () => {
    stall.stop();
    internal.abort();
    unsubscribe?.();
    stream?.unsubscribeAll();
  });
  const fail = (error: unknown) => channel.fail(error);
  const stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const stall = createStallTimer(stallTimeoutMs, () =>
    fail(new RealtimeStalledError({ runId, what: WHAT, stallTimeoutMs })),
  );

  if (channel.closed) return channel.iterator;

  const fetchClient = createGuardedFetch({
    fetch: resolveFetch(options.fetch),
    runId,
    token,
    what: WHAT,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    onExhausted: fail,
    onAnswer: () => stall.touch(),
  });

  const rows = new Map<string, Record<string, unknown>>();
  const changed = new Set<string>();
  const onMessages = (messages: Message[]) => {
    if (channel.closed) return;
    stall.touch();
    let upToDate = false;
    for (const message of messages) {
      if (isChangeMessage(message)) {
        const { key, value } = message;
        const operation = message.headers.operation;
        if (operation === "delete") {
          rows.delete(key);
          changed.delete(key);
        } else {
          const previous = operation === "update" ? rows.get(key) : undefined;
          rows.set(key, { ...previous, ...(value as Record<string, unknown>) });
          changed.add(key);
        }
      } else if (isControlMessage(message)) {
        if (message.headers.control === "must-refetch") {
          rows.clear();
          changed.clear();
        } else if (message.headers.control === "up-to-date") {
          upToDate = true;
        }
      }
    }
    if (!upToDate) return;
    for (const key of changed) {
      const row = rows.get(key);
      if (!row) continue;
      const update = rowToRunUpdate(row);
      if (typeof update === "string") {
        fail(new RealtimeProtocolError({ runId, what: WHAT, detail: update }));
        return;
      }
      channel.push(update);
      if (update.isCompleted) {
        channel.end();
        return;
      }
    }
    changed.clear();
  };

  try {
    stream = new ShapeStream({
      url: `${base}/realtime/v1/runs/${encodeURIComponent(runId)}`,
      headers: {
        Authorization: `Bearer ${token}`,
        "x-trigger-electric-version": "1.0.0-beta.1",
        "x-trigger-api-version": "2025-07-16",
      },
      signal: internal.signal,
      fetchClient,
      onError: (error) => {
        if (!internal.signal.aborted) fail(feedError(error, runId, token, WHAT));
      },
    });
    stall.touch();
    unsubscribe = stream.subscribe(onMessages, () => {});
  } catch (error) {
    fail(feedError(error, runId, token, WHAT));
  }
  return channel.iterator;
}

/**
 * Map an error of the Electric client (or of fetch) to a token-free {@link RealtimeError}.
 * @internal
 */
export function feedError(
  error: unknown,
  runId: string,
  token: string,
  what: string,
): RealtimeError {
  if (error instanceof RealtimeError) return error;
  const status = statusOf(error);
  const cause = sanitizeCause(error, token);
  const init = { runId, what, status, cause };
  if (status === 401) return new RealtimeUnauthorizedError(init);
  if (status === 403) return new RealtimeForbiddenError(init);
  if (status === 404) return new RealtimeNotFoundError(init);
  const name = (error as { name?: unknown } | null)?.name;
  const detail =
    name === "MissingHeadersError"
      ? "required Electric headers are missing from the answer"
      : status !== undefined
        ? `HTTP ${status}`
        : redact(error instanceof Error ? error.message : String(error), token);
  return new RealtimeProtocolError({ ...init, detail });
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof FetchError) return error.status;
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}
