/**
 * `waitForIdle`: know the moment a session is idle again, as fast as the platform allows,
 * without ever hanging.
 *
 * Realtime first when a run handle with a token is given: subscribe to the run feed, then read
 * the session (so a finish in between is not missed); when the run completes, read the session
 * (and poll briefly if it still looks busy). Polling otherwise, or as soon as the feed fails in any
 * way, within the same deadline. An abort stops every request, sleep and subscription at once.
 *
 * @module
 */

import { PuffleError } from "../base/puffle-error";
import { redactText } from "../base/redact";
import { APIUserAbortError, TaskFailedError, WaitTimeoutError } from "../core/errors";
import type { RequestOptions } from "../core/options";
import { DEFAULT_WAIT_DEADLINE_MS, type WaitEvent, type WaitOptions } from "../core/options";
import type { RunHandle, Session, WaitResult } from "../core/types";
import type { SdkLogger } from "../internal/log";
import { sleep } from "../realtime/internal";
import type { RunTransport } from "../realtime/options";
import type { RunUpdate } from "../realtime/run-update";
import { readWorthRetrying } from "./classify";
import { pollDelays, SETTLE_POLL } from "./schedule";

/** What the wait needs from the client. */
export interface WaitContext {
  getSession(
    id: string,
    options: RequestOptions | undefined,
    onRequest?: () => void,
  ): Promise<Session>;
  triggerBaseURL: string;
  fetch: typeof globalThis.fetch | undefined;
  realtime: { transport: "electric" | "trigger-sdk"; stallTimeoutMs: number };
  logger: SdkLogger;
}

const DEADLINE = new Error("deadline");
/** Retries of a failing run feed before the wait falls back to polling. */
const FEED_RETRIES = 1;
/** How long the feed is given to say how a run ended that the first session read found over. */
const OUTCOME_WAIT_MS = 5_000;

/** One wait in progress: what every step reads, and the figures its result reports. */
interface Waiting {
  ctx: WaitContext;
  sessionId: string;
  /** Aborted by the deadline (reason {@link DEADLINE}), the user's signal, or the wait's end. */
  signal: AbortSignal;
  readTimeout: number | undefined;
  /** The run handle the caller gave (reported by the errors as it was given). */
  handle: RunHandle | undefined;
  emit(event: WaitEvent): void;
  started: number;
  requests: number;
  last?: Session;
  initial?: Session;
  run?: RunUpdate;
  fallback?: string;
}

/** How a realtime attempt ended: the idle session, or why polling takes over. */
type RealtimeOutcome = { session: Session } | { reason: string; error: unknown };

/** The implementation behind `PuffleClient.waitForIdle` and `waitForIdleDetailed`. */
export async function waitForIdleDetailed(
  ctx: WaitContext,
  sessionId: string,
  options: WaitOptions = {},
): Promise<WaitResult> {
  const { mode, deadlineMs, readTimeout } = checkWaitOptions(options);
  const user = options.signal;
  const controller = new AbortController();
  const onUserAbort = () => controller.abort(user?.reason);
  user?.addEventListener("abort", onUserAbort, { once: true });
  const timer = setTimeout(() => controller.abort(DEADLINE), deadlineMs);
  const wait = startWait(ctx, sessionId, options, controller.signal, readTimeout);
  const run = options.run;
  try {
    if (mode !== "poll" && hasToken(run) && run.runId && run.publicAccessToken) {
      wait.emit({ type: "mode", mode: "realtime" });
      const outcome = await viaRealtime(wait, run.runId, run.publicAccessToken);
      if ("session" in outcome) return result(wait, outcome.session, "realtime");
      if (mode === "realtime") throw outcome.error;
      fallBack(wait, outcome.reason);
    }
    wait.emit({ type: "mode", mode: "poll" });
    return result(wait, await poll(wait, pollDelays(options.poll)), "poll");
  } catch (error) {
    throw stoppedError(wait, error, deadlineMs, user);
  } finally {
    clearTimeout(timer);
    user?.removeEventListener("abort", onUserAbort);
    if (!controller.signal.aborted) controller.abort(new Error("waitForIdle finished"));
  }
}

/**
 * What the public edge could not check (WAIT_OPTIONS did the types and ranges): a realtime wait
 * needs a run token, and an aborted signal stops the wait before it starts.
 */
function checkWaitOptions(options: WaitOptions): {
  mode: "auto" | "realtime" | "poll";
  deadlineMs: number;
  readTimeout: number | undefined;
} {
  const mode = options.mode ?? "auto";
  const deadlineMs = options.deadline ?? DEFAULT_WAIT_DEADLINE_MS;
  const readTimeout = options.timeout;
  if (mode === "realtime" && !hasToken(options.run)) {
    throw new PuffleError(
      'waitForIdle: mode "realtime" needs options.run with a runId and publicAccessToken (a reconciled run has none); use mode "auto" or "poll".',
    );
  }
  if (options.signal?.aborted)
    throw new APIUserAbortError("waitForIdle was aborted before it started.", {
      cause: options.signal.reason,
    });
  return { mode, deadlineMs, readTimeout };
}

/** True when the run handle carries what the run feed needs. */
function hasToken(run: RunHandle | undefined): run is RunHandle {
  return !!run && typeof run.runId === "string" && typeof run.publicAccessToken === "string";
}

function startWait(
  ctx: WaitContext,
  sessionId: string,
  options: WaitOptions,
  signal: AbortSignal,
  readTimeout: number | undefined,
): Waiting {
  const emit = (event: WaitEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's failure must not break the wait.
    }
  };
  return {
    ctx,
    sessionId,
    signal,
    readTimeout,
    handle: options.run,
    emit,
    started: Date.now(),
    requests: 0,
  };
}

function result(wait: Waiting, session: Session, how: "realtime" | "poll"): WaitResult {
  return {
    session,
    mode: how,
    fallbackReason: wait.fallback,
    requests: wait.requests,
    elapsedMs: Date.now() - wait.started,
    initial: wait.initial,
    run: wait.run,
  };
}

/**
 * Follow the run feed until the run completes, then read the session (and poll briefly if it
 * still looks busy). Any trouble with the feed is returned as a reason to poll instead.
 */
async function viaRealtime(wait: Waiting, runId: string, token: string): Promise<RealtimeOutcome> {
  let transport: RunTransport;
  try {
    transport = await loadTransport(wait.ctx.realtime.transport);
  } catch (error) {
    return { reason: redactText((error as Error).message), error };
  }
  const { ctx, signal } = wait;
  let iterator: AsyncIterator<RunUpdate>;
  try {
    // A transport refuses options it cannot use safely (a plain-http triggerBaseURL to another
    // machine would carry the token unencrypted): poll instead.
    iterator = transport({
      runId,
      publicAccessToken: token,
      triggerBaseURL: ctx.triggerBaseURL,
      signal,
      fetch: ctx.fetch,
      stallTimeoutMs: ctx.realtime.stallTimeoutMs,
      // Polling is the safety net: give up on a failing feed quickly rather than retry it long.
      maxRetries: FEED_RETRIES,
    })[Symbol.asyncIterator]();
  } catch (error) {
    return { reason: redactText((error as Error).message), error };
  }
  // Subscribe first, then read: a finish between the two is seen by one or the other.
  const pending = iterator.next();
  pending.catch(() => {});
  try {
    const first = await readAgainOnTransient(wait);
    if (first.task_status === null)
      return await endedBeforeFirstRead(wait, runId, first, pending, iterator);
    wait.initial ??= first;
    return await followFeed(wait, runId, pending, iterator);
  } finally {
    iterator.return?.().catch(() => {});
  }
}

/**
 * The run ended before the first read. A failed run leaves the session idle too, so the session
 * cannot tell how it ended; the feed (subscribed before the read) can: its answer is awaited, for
 * at most OUTCOME_WAIT_MS. Without it the outcome stays as the session says.
 */
async function endedBeforeFirstRead(
  wait: Waiting,
  runId: string,
  first: Session,
  pending: Promise<IteratorResult<RunUpdate>>,
  iterator: AsyncIterator<RunUpdate>,
): Promise<RealtimeOutcome> {
  const outcome = await runOutcome(pending, iterator);
  if (outcome) {
    wait.run = outcome;
    wait.emit({ type: "run", run: outcome });
    if (!outcome.isSuccess) throw taskFailed(wait, runId, outcome, first);
  }
  return { session: first };
}

/** Read the feed's updates until one says the run completed; a failing or ended feed is a reason. */
async function followFeed(
  wait: Waiting,
  runId: string,
  first: Promise<IteratorResult<RunUpdate>>,
  iterator: AsyncIterator<RunUpdate>,
): Promise<RealtimeOutcome> {
  let pending = first;
  for (;;) {
    let step: IteratorResult<RunUpdate>;
    try {
      step = await pending;
    } catch (error) {
      if (wait.signal.aborted) throw error;
      return { reason: `the run feed failed: ${redactText((error as Error).message)}`, error };
    }
    if (step.done) {
      const error = new PuffleError("the run feed ended before the run completed");
      return { reason: error.message, error };
    }
    const update = step.value;
    wait.run = update;
    wait.emit({ type: "run", run: update });
    if (update.isCompleted) return { session: await settle(wait, runId, update) };
    pending = iterator.next();
    pending.catch(() => {});
  }
}

/** After the run completed: read the session; a run done but a session still busy is polled briefly. */
async function settle(wait: Waiting, runId: string, update: RunUpdate): Promise<Session> {
  // A transient failure (a 503, a dropped connection) is read again, within the deadline.
  const after = await readAgainOnTransient(wait);
  if (!update.isSuccess) throw taskFailed(wait, runId, update, after);
  if (after.task_status === null) return after;
  return poll(wait, pollDelays(SETTLE_POLL), false);
}

/**
 * The completed run update of a feed, read until one says the run completed; `undefined` when the
 * feed fails, ends, or says nothing conclusive within {@link OUTCOME_WAIT_MS}.
 */
async function runOutcome(
  first: Promise<IteratorResult<RunUpdate>>,
  iterator: AsyncIterator<RunUpdate>,
): Promise<RunUpdate | undefined> {
  let expire = () => {};
  const timeout = new Promise<undefined>((resolve) => {
    expire = () => resolve(undefined);
  });
  const timer = setTimeout(() => expire(), OUTCOME_WAIT_MS);
  const read = async (): Promise<RunUpdate | undefined> => {
    let pending = first;
    for (;;) {
      const step = await pending;
      if (step.done) return undefined;
      if (step.value.isCompleted) return step.value;
      pending = iterator.next();
    }
  };
  try {
    return await Promise.race([read().catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function taskFailed(
  wait: Waiting,
  runId: string,
  update: RunUpdate,
  session: Session,
): TaskFailedError {
  return new TaskFailedError({
    sessionId: wait.sessionId,
    runId,
    runStatus: update.status,
    runError: update.error,
    session,
    run: wait.handle,
  });
}

/** The realtime path gave up: say why, then poll within the same deadline. */
function fallBack(wait: Waiting, reason: string): void {
  wait.fallback = reason;
  wait.ctx.logger.info(`waitForIdle(${wait.sessionId}): falling back to polling: ${reason}`);
  wait.emit({ type: "fallback", reason });
}

/** Read until idle on a schedule; transient read errors are retried within the deadline. */
async function poll(wait: Waiting, delays: Generator<number>, first = true): Promise<Session> {
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0 || !first) await sleep(delays.next().value as number, wait.signal);
    let session: Session;
    try {
      session = await read(wait);
    } catch (error) {
      if (wait.signal.aborted || !readWorthRetrying(error)) throw error;
      readFailed(wait, error);
      continue;
    }
    if (session.task_status === null) return session;
    wait.initial ??= session;
  }
}

/** One session read; transient errors are read again on the settle schedule, within the deadline. */
async function readAgainOnTransient(wait: Waiting): Promise<Session> {
  const delays = pollDelays(SETTLE_POLL);
  for (;;) {
    try {
      return await read(wait);
    } catch (error) {
      if (wait.signal.aborted || !readWorthRetrying(error)) throw error;
      readFailed(wait, error);
      await sleep(delays.next().value as number, wait.signal);
    }
  }
}

/** One session read, counted and reported. */
async function read(wait: Waiting): Promise<Session> {
  const session = await wait.ctx.getSession(
    wait.sessionId,
    { signal: wait.signal, timeout: wait.readTimeout },
    () => wait.requests++,
  );
  wait.last = session;
  wait.emit({ type: "session", session });
  return session;
}

function readFailed(wait: Waiting, error: unknown): void {
  wait.ctx.logger.info(
    `waitForIdle(${wait.sessionId}): session read failed, will read again: ${(error as Error).message}`,
  );
}

/** What a stopped wait throws: the deadline's WaitTimeoutError, the abort's APIUserAbortError. */
function stoppedError(
  wait: Waiting,
  error: unknown,
  deadlineMs: number,
  user: AbortSignal | undefined,
): unknown {
  if (!wait.signal.aborted) return error;
  if (wait.signal.reason === DEADLINE) {
    return new WaitTimeoutError(wait.sessionId, deadlineMs, wait.last, wait.handle);
  }
  return new APIUserAbortError(`waitForIdle(${wait.sessionId}) was aborted by its signal.`, {
    cause: user?.reason,
  });
}

/** Load a run transport; the official one only when asked for (optional peer dependency). */
async function loadTransport(kind: "electric" | "trigger-sdk"): Promise<RunTransport> {
  if (kind === "trigger-sdk") {
    const module = await import("../realtime/trigger-sdk");
    return module.subscribeToRunWithTriggerSdk;
  }
  const module = await import("../realtime/subscribe-to-run");
  return module.subscribeToRun;
}
