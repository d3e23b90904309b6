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
import { isAPIConnectionError } from "../core/errors/api-connection-error";
import { APIUserAbortError } from "../core/errors/api-user-abort-error";
import { isInternalServerError } from "../core/errors/internal-server-error";
import { isRateLimitError } from "../core/errors/rate-limit-error";
import { isResponseValidationError } from "../core/errors/response-validation-error";
import { TaskFailedError } from "../core/errors/task-failed-error";
import { WaitTimeoutError } from "../core/errors/wait-timeout-error";
import type { RequestOptions } from "../core/options";
import { DEFAULT_WAIT_DEADLINE_MS, type WaitEvent, type WaitOptions } from "../core/options";
import type { Session, WaitResult } from "../core/types";
import type { SdkLogger } from "../internal/log";
import { checkDuration } from "../internal/options";
import { sleep } from "../realtime/internal";
import type { RunTransport } from "../realtime/options";
import type { RunUpdate } from "../realtime/run-update";
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

/** The implementation behind `PuffleClient.waitForIdle` and `waitForIdleDetailed`. */
export async function waitForIdleDetailed(
  ctx: WaitContext,
  sessionId: string,
  options: WaitOptions = {},
): Promise<WaitResult> {
  const mode = options.mode ?? "auto";
  if (mode !== "auto" && mode !== "realtime" && mode !== "poll") {
    throw new PuffleError(
      `waitForIdle: mode must be "auto", "realtime" or "poll" (got ${String(mode)}).`,
    );
  }
  const deadlineMs = checkDuration("deadline", options.deadline, DEFAULT_WAIT_DEADLINE_MS);
  const readTimeout =
    options.timeout === undefined ? undefined : checkDuration("timeout", options.timeout, 0);
  const run = options.run;
  const hasToken =
    !!run && typeof run.runId === "string" && typeof run.publicAccessToken === "string";
  if (mode === "realtime" && !hasToken) {
    throw new PuffleError(
      'waitForIdle: mode "realtime" needs options.run with a runId and publicAccessToken (a reconciled run has none); use mode "auto" or "poll".',
    );
  }
  const user = options.signal;
  if (user?.aborted)
    throw new APIUserAbortError("waitForIdle was aborted before it started.", {
      cause: user.reason,
    });

  const started = Date.now();
  const controller = new AbortController();
  const onUserAbort = () => controller.abort(user?.reason);
  user?.addEventListener("abort", onUserAbort, { once: true });
  const timer = setTimeout(() => controller.abort(DEADLINE), deadlineMs);
  const log = ctx.logger;
  const state: {
    requests: number;
    last?: Session;
    initial?: Session;
    run?: RunUpdate;
    fallback?: string;
  } = {
    requests: 0,
  };
  const emit = (event: WaitEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's failure must not break the wait.
    }
  };
  const read = async (): Promise<Session> => {
    const session = await ctx.getSession(
      sessionId,
      { signal: controller.signal, timeout: readTimeout },
      () => state.requests++,
    );
    state.last = session;
    emit({ type: "session", session });
    return session;
  };
  const finish = (session: Session, how: "realtime" | "poll"): WaitResult => ({
    session,
    mode: how,
    fallbackReason: state.fallback,
    requests: state.requests,
    elapsedMs: Date.now() - started,
    initial: state.initial,
    run: state.run,
  });

  try {
    if (mode !== "poll" && hasToken && run?.runId && run.publicAccessToken) {
      emit({ type: "mode", mode: "realtime" });
      const outcome = await viaRealtime(run.runId, run.publicAccessToken);
      if ("session" in outcome) return finish(outcome.session, "realtime");
      if (mode === "realtime") throw outcome.error;
      state.fallback = outcome.reason;
      log.info(`waitForIdle(${sessionId}): falling back to polling: ${outcome.reason}`);
      emit({ type: "fallback", reason: outcome.reason });
    }
    emit({ type: "mode", mode: "poll" });
    return finish(await poll(pollDelays(options.poll)), "poll");
  } catch (error) {
    if (controller.signal.aborted) {
      if (controller.signal.reason === DEADLINE) {
        throw new WaitTimeoutError(sessionId, deadlineMs, state.last, run);
      }
      throw new APIUserAbortError(`waitForIdle(${sessionId}) was aborted by its signal.`, {
        cause: user?.reason,
      });
    }
    throw error;
  } finally {
    clearTimeout(timer);
    user?.removeEventListener("abort", onUserAbort);
    if (!controller.signal.aborted) controller.abort(new Error("waitForIdle finished"));
  }

  /** One session read; transient errors are read again on the settle schedule, within the deadline. */
  async function readAgainOnTransient(): Promise<Session> {
    const delays = pollDelays(SETTLE_POLL);
    for (;;) {
      try {
        return await read();
      } catch (error) {
        if (controller.signal.aborted || !isTransient(error)) throw error;
        log.info(
          `waitForIdle(${sessionId}): session read failed, will read again: ${(error as Error).message}`,
        );
        await sleep(delays.next().value as number, controller.signal);
      }
    }
  }

  /** Read until idle on a schedule; transient read errors are retried within the deadline. */
  async function poll(delays: Generator<number>, first = true): Promise<Session> {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0 || !first) await sleep(delays.next().value as number, controller.signal);
      let session: Session;
      try {
        session = await read();
      } catch (error) {
        if (controller.signal.aborted || !isTransient(error)) throw error;
        log.info(
          `waitForIdle(${sessionId}): session read failed, will read again: ${(error as Error).message}`,
        );
        continue;
      }
      if (session.task_status === null) return session;
      state.initial ??= session;
    }
  }

  async function viaRealtime(
    runId: string,
    token: string,
  ): Promise<{ session: Session } | { reason: string; error: unknown }> {
    let transport: RunTransport;
    try {
      transport = await loadTransport(ctx.realtime.transport);
    } catch (error) {
      return { reason: redactText((error as Error).message), error };
    }
    const iterator = transport({
      runId,
      publicAccessToken: token,
      triggerBaseURL: ctx.triggerBaseURL,
      signal: controller.signal,
      fetch: ctx.fetch,
      stallTimeoutMs: ctx.realtime.stallTimeoutMs,
      // Polling is the safety net: give up on a failing feed quickly rather than retry it long.
      maxRetries: FEED_RETRIES,
    })[Symbol.asyncIterator]();
    // Subscribe first, then read: a finish between the two is seen by one or the other.
    let pending = iterator.next();
    pending.catch(() => {});
    try {
      const first = await readAgainOnTransient();
      if (first.task_status === null) {
        // The run ended before this first read. A failed run leaves the session idle too, so the
        // session cannot tell how it ended; the feed (subscribed before the read) can: its answer
        // is awaited, for at most OUTCOME_WAIT_MS. Without it the outcome stays as the session says.
        const outcome = await runOutcome(pending, iterator);
        if (outcome) {
          state.run = outcome;
          emit({ type: "run", run: outcome });
          if (!outcome.isSuccess) {
            throw new TaskFailedError({
              sessionId,
              runId,
              runStatus: outcome.status,
              runError: outcome.error,
              session: first,
              run,
            });
          }
        }
        return { session: first };
      }
      state.initial ??= first;
      for (;;) {
        let step: IteratorResult<RunUpdate>;
        try {
          step = await pending;
        } catch (error) {
          if (controller.signal.aborted) throw error;
          return { reason: `the run feed failed: ${redactText((error as Error).message)}`, error };
        }
        if (step.done) {
          const error = new PuffleError("the run feed ended before the run completed");
          return { reason: error.message, error };
        }
        const update = step.value;
        state.run = update;
        emit({ type: "run", run: update });
        if (update.isCompleted) {
          // A transient failure (a 503, a dropped connection) is read again, within the deadline.
          const after = await readAgainOnTransient();
          if (!update.isSuccess) {
            throw new TaskFailedError({
              sessionId,
              runId,
              runStatus: update.status,
              runError: update.error,
              session: after,
              run,
            });
          }
          if (after.task_status === null) return { session: after };
          // The run is done but the session still looks busy for a moment: poll briefly.
          return { session: await poll(pollDelays(SETTLE_POLL), false) };
        }
        pending = iterator.next();
        pending.catch(() => {});
      }
    } finally {
      iterator.return?.().catch(() => {});
    }
  }
}

/** Errors worth another read: connection trouble, rate limits, 5xx, a garbled answer. */
function isTransient(error: unknown): boolean {
  return (
    isAPIConnectionError(error) ||
    isRateLimitError(error) ||
    isInternalServerError(error) ||
    isResponseValidationError(error)
  );
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
