/**
 * The bounded wait of the write tools and `puffle_wait_for_idle`: at most `maxWaitMs` (45 s by
 * default; MCP clients give up on a request at 60 s), progress notifications as a heartbeat, and
 * `running` rather than an error when Puffle is not done yet. The client's cancellation ends the
 * wait only: the task goes on at Puffle.
 *
 * @internal
 * @module
 */
import { APIUserAbortError, WaitTimeoutError } from "../core/errors";
import type { RunHandle, Session } from "../core/types";
import type { ToolContext } from "./tool";

/** How a bounded wait ended. */
export interface WaitEnd {
  state: "idle" | "running";
  /** The last session seen (idle when `state` is "idle"). */
  session: Session | undefined;
  /** Whether the run was seen to succeed (realtime only). */
  runSucceeded: boolean;
  waitedMs: number;
}

/** Wait until the session is idle, at most what is left of `maxWaitMs` since `started`. */
export async function boundedWait(
  ctx: ToolContext,
  sessionId: string,
  run: RunHandle | undefined,
  started: number,
): Promise<WaitEnd> {
  const budget = Math.max(1, ctx.settings.maxWaitMs - (Date.now() - started));
  const waitStart = Date.now();
  const beat = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    void ctx.progress(`Puffle is still working (${seconds} s).`).catch(() => {});
  }, ctx.settings.progressIntervalMs);
  const waited = () => Date.now() - waitStart;
  try {
    const result = await ctx.client.waitForIdleDetailed(sessionId, {
      ...(run ? { run } : {}),
      deadline: budget,
      signal: ctx.signal,
    });
    const runSucceeded = result.run?.isCompleted === true && result.run.isSuccess === true;
    return { state: "idle", session: result.session, runSucceeded, waitedMs: waited() };
  } catch (error) {
    if (error instanceof WaitTimeoutError)
      return { state: "running", session: error.session, runSucceeded: false, waitedMs: waited() };
    // The client cancelled or went away: nobody reads this answer, and the task runs on.
    if (error instanceof APIUserAbortError && ctx.signal.aborted)
      return { state: "running", session: undefined, runSucceeded: false, waitedMs: waited() };
    throw error;
  } finally {
    clearInterval(beat);
  }
}

/**
 * Keep a dispatch inside the client's patience: its sends, and the busy watch of a reconcile, end
 * by `maxWaitMs` (a lost answer is still reconciled for `reconcileTimeout`, 10 s: the outcome must
 * be known, not guessed).
 */
export function dispatchBounds(ctx: ToolContext): { deadline: number; busyTimeout: number } {
  return { deadline: ctx.settings.maxWaitMs, busyTimeout: ctx.settings.maxWaitMs };
}
