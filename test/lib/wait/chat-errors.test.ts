/**
 * Issue 17, item 9: whatever ends the wait of `chat` / `generateExamplesAndWait` after the task was
 * dispatched (an abort, the deadline, a failed run, a realtime failure in `mode: "realtime"`), the
 * error says the task goes on running on Puffle's side, carries `dispatch: "sent"` and the `run`
 * the server handed out, and that `run` resumes the wait.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  APIUserAbortError,
  isPuffleError,
  type RunHandle,
  TaskFailedError,
  WaitTimeoutError,
} from "../../../src/index";
import { isRealtimeError } from "../../../src/realtime/index";
import { setup } from "./helpers";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});
async function env(...args: Parameters<typeof setup>) {
  const ctx = await setup(...args);
  cleanups.push(() => ctx.server.close());
  return ctx;
}

/** The run the emulator really started for `message` (its ledger). */
function ledgerRun(ctx: Awaited<ReturnType<typeof env>>, message: string): string | null {
  const found = ctx.emu.ledger.dispatches.filter((d) => d.message === message);
  expect(found).toHaveLength(1);
  return found[0]?.runId ?? null;
}

describe("the errors of chat's wait carry the run", () => {
  it("an abort mid-wait: APIUserAbortError that says the turn goes on running, with its run; resuming works", async () => {
    const ctx = await env({ taskDurationMs: 1_500 });
    const controller = new AbortController();
    const error = await ctx.puffle
      .chat(
        ctx.session.id,
        { message: "abort me" },
        {
          signal: controller.signal,
          // The first session read of the wait: the turn is dispatched and running.
          onEvent: (event) => {
            if (event.type === "session") controller.abort(new Error("user left"));
          },
        },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    const aborted = error as APIUserAbortError;
    expect(aborted.message).toMatch(/goes on running on Puffle's side/);
    expect(aborted.message).toMatch(/waitForIdle\(sessionId, \{ run: error\.run \}\)/);
    expect(aborted.dispatch).toBe("sent");
    expect(aborted.run?.runId).toBe(ledgerRun(ctx, "abort me"));
    const idle = await ctx.puffle.waitForIdle(ctx.session.id, { run: aborted.run as RunHandle });
    expect(idle.messages?.at(-1)?.role).toBe("assistant");
  });

  it("an abort of generateExamplesAndWait says the example run goes on, with its run", async () => {
    const ctx = await env({ taskDurationMs: 1_500 });
    await ctx.puffle.chat(ctx.session.id, { message: "Intro for VPs of Sales" });
    await ctx.puffle.chat(ctx.session.id, { message: "Time to ROI, short, mention SOC 2" });
    const controller = new AbortController();
    const error = await ctx.puffle
      .generateExamplesAndWait(
        ctx.session.id,
        { leads: [{ first_name: "Ada" }] },
        {
          signal: controller.signal,
          onEvent: (event) => {
            if (event.type === "session") controller.abort();
          },
        },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect((error as Error).message).toMatch(/example run was dispatched and goes on running/);
    expect((error as APIUserAbortError).run?.runId).toMatch(/^run_/);
  });

  it("the deadline: WaitTimeoutError with the run", async () => {
    const ctx = await env({ taskDurationMs: 3_000 });
    const error = await ctx.puffle
      .chat(ctx.session.id, { message: "slow" }, { deadline: 800 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as WaitTimeoutError).run?.runId).toBe(ledgerRun(ctx, "slow"));
    expect((error as WaitTimeoutError).dispatch).toBe("sent");
  });

  it("a failed run: TaskFailedError with the run", async () => {
    const ctx = await env();
    ctx.emu.faults.inject({ operation: "turn", kind: "runFails", failureStatus: "CRASHED" });
    const error = await ctx.puffle
      .chat(ctx.session.id, { message: "crash" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    expect((error as TaskFailedError).run?.runId).toBe(ledgerRun(ctx, "crash"));
  });

  it('mode "realtime" and a feed that answers 401: the RealtimeError carries the run and "sent"', async () => {
    const ctx = await env({ taskDurationMs: 1_000 });
    ctx.emu.faults.inject({ operation: "runFeed", kind: "status", status: 401, times: 5 });
    const error = await ctx.puffle
      .chat(ctx.session.id, { message: "feed" }, { mode: "realtime" })
      .catch((e: unknown) => e);
    expect(isRealtimeError(error)).toBe(true);
    expect(isPuffleError(error) && error.dispatch).toBe("sent");
    expect(isPuffleError(error) && error.run?.runId).toBe(ledgerRun(ctx, "feed"));
  });
});
