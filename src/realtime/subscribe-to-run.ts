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
import { checkRealtimeOptions } from "./check-options";
import {
  RealtimeError,
  RealtimeProtocolError,
  RealtimeStalledError,
  redact,
  refusalError,
  sanitizeCause,
} from "./errors";
import {
  backoffDelay,
  type Channel,
  createChannel,
  createGuardedFetch,
  createStallTimer,
  resolveFetch,
  sleep,
} from "./internal";
import { DEFAULT_TRIGGER_BASE_URL, type SubscribeToRunOptions } from "./options";
import { MAX_REALTIME_BYTES, readTextCapped } from "./read-body";
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
/** Must-refetch answers (409) in a row before the feed is given up as broken. */
const MAX_REFETCHES = 3;
/** Quick answers without any change in a row before the feed is given up as broken. */
const MAX_IDLE_ANSWERS = 10;
/** An answer faster than this without any change counts as a quick empty answer. */
const QUICK_ANSWER_MS = 50;

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
 * Wrong options (a missing `runId`, a string instead of the options object, a plain-http
 * `triggerBaseURL` that is not this machine, `maxRetries: Infinity`, a `signal` that is not an
 * AbortSignal, …) throw a {@link RealtimeOptionsError} from this call, before anything is sent.
 *
 * Errors (all {@link RealtimeError}, token-free): 401 → `unauthorized`, 403 → `forbidden`,
 * 404 → `not_found` (none of them retried); network errors, 408, 429 and 5xx are retried with
 * backoff `maxRetries` times (default 5) in a row → `unreachable`; nothing at all for
 * `stallTimeoutMs` (default 60 s) → `stalled`; any other answer → `protocol`: another status, a
 * body that is not a JSON array of Electric messages, more than 3 must-refetch answers (409) in a
 * row (each one after a backoff), or 10 quick answers in a row that carry no change (each one
 * after a backoff). Nothing the server sends is thrown outside the iteration.
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
  checkRealtimeOptions("subscribeToRun", options);
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
  const stall = createFeedStallTimer(options, fail);

  if (channel.closed) return channel.iterator;

  const fetchClient = createFeedFetch(options, fail, stall);

  const rows = new Map<string, Record<string, unknown>>();
  const changed = new Set<string>();
  const onMessages = (messages: Message[]) => {
    if (channel.closed) return;
    stall.touch();
    try {
      applyMessages(messages, rows, changed, channel, runId, fail);
    } catch (error) {
      // Never let a surprise in the feed escape the iteration (it would be an uncaught throw).
      fail(
        new RealtimeProtocolError({
          runId,
          what: WHAT,
          detail: `unusable feed message (${redact(error instanceof Error ? error.message : String(error), token)})`,
        }),
      );
    }
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
 * Apply one batch of Electric messages to the run rows; at up-to-date, push one update per changed
 * row (the channel ends after the update that completes the run).
 */
function applyMessages(
  messages: Message[],
  rows: Map<string, Record<string, unknown>>,
  changed: Set<string>,
  channel: Channel<RunUpdate>,
  runId: string,
  fail: (error: unknown) => void,
): void {
  if (!Array.isArray(messages)) throw new TypeError("the feed's messages are not an array");
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
}

/**
 * The stall timer of a run feed (either transport): `stalled` through `fail` after
 * `stallTimeoutMs` (default {@link DEFAULT_STALL_TIMEOUT_MS}) without any answer.
 * @internal
 */
export function createFeedStallTimer(
  options: SubscribeToRunOptions,
  fail: (error: unknown) => void,
): ReturnType<typeof createStallTimer> {
  const stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  return createStallTimer(stallTimeoutMs, () =>
    fail(new RealtimeStalledError({ runId: options.runId, what: WHAT, stallTimeoutMs })),
  );
}

/**
 * The fetch a run feed client is given (either transport): retried with backoff `maxRetries`
 * times (default {@link DEFAULT_MAX_RETRIES}), every answer touching `stall`, then checked by
 * {@link createCheckedFetch}.
 * @internal
 */
export function createFeedFetch(
  options: SubscribeToRunOptions,
  fail: (error: unknown) => void,
  stall: { touch(): void },
): typeof fetch {
  const guarded = createGuardedFetch({
    fetch: resolveFetch(options.fetch),
    runId: options.runId,
    token: options.publicAccessToken,
    what: WHAT,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    onExhausted: fail,
    onAnswer: () => stall.touch(),
  });
  return createCheckedFetch(guarded, options.runId, fail);
}

/**
 * Check every answer of the feed before the Electric client sees it: a 2xx or 409 body must be a
 * JSON array of Electric messages (else `protocol`); 409 must-refetch answers are delayed with
 * backoff and limited to {@link MAX_REFETCHES} in a row; quick answers without any change are
 * delayed with backoff and limited to {@link MAX_IDLE_ANSWERS} in a row. A failure is reported
 * through `fail` (the channel) and thrown, so the Electric client stops.
 * @internal
 */
export function createCheckedFetch(
  inner: typeof fetch,
  runId: string,
  fail: (error: unknown) => void,
  what = WHAT,
): typeof fetch {
  let refetches = 0;
  let idle = 0;
  const broken = (detail: string, status: number | undefined): never => {
    const error = new RealtimeProtocolError({ runId, what, status, detail });
    fail(error);
    throw error;
  };
  return async (input, init) => {
    const signal = init?.signal ?? undefined;
    const started = Date.now();
    const response = await inner(input, init);
    const { status } = response;
    if (status !== 409 && (status < 200 || status > 299 || status === 204)) return response;
    // Checked while reading: a huge answer is cut off at the limit, never held whole.
    const read = await readTextCapped(
      response,
      MAX_REALTIME_BYTES,
      signal ?? new AbortController().signal,
    );
    const text = read ?? broken(`an answer of more than ${MAX_REALTIME_BYTES} bytes`, status);
    const problem = checkMessages(text);
    if (problem) broken(`HTTP ${status} with ${problem}`, status);
    const messages = JSON.parse(text) as Array<{ headers: { operation?: unknown } }>;
    if (status === 409) {
      refetches += 1;
      if (refetches > MAX_REFETCHES)
        broken(`${refetches} must-refetch answers (409) in a row`, 409);
      await sleep(backoffDelay(refetches), signal);
    } else {
      refetches = 0;
      const changed = messages.some((m) => m.headers.operation !== undefined);
      if (changed || Date.now() - started >= QUICK_ANSWER_MS) idle = 0;
      else {
        idle += 1;
        if (idle > MAX_IDLE_ANSWERS)
          broken(`${idle} quick answers in a row without a change`, status);
        if (idle > 2) await sleep(backoffDelay(idle - 2), signal);
      }
    }
    return new Response(text, {
      status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/** Why `text` is not a JSON array of Electric messages, or undefined when it is. */
function checkMessages(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text.trim() === "" ? "an empty body" : "a body that is not JSON";
  }
  if (!Array.isArray(value)) return "a body that is not an array of messages";
  for (const item of value) {
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      return "a message that is not an object";
    }
    const { headers, key, value: row } = item as Record<string, unknown>;
    if (headers === null || typeof headers !== "object" || Array.isArray(headers)) {
      return "a message without headers";
    }
    const operation = (headers as Record<string, unknown>).operation;
    if (operation === undefined) continue;
    if (operation !== "insert" && operation !== "update" && operation !== "delete") {
      return "a message with an unknown operation";
    }
    if (typeof key !== "string") return "a change message without a key";
    if (operation !== "delete" && (row === null || typeof row !== "object" || Array.isArray(row))) {
      return "a change message without a row";
    }
  }
  return undefined;
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
  const refused = refusalError(init);
  if (refused) return refused;
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
