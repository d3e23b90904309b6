import { afterEach, describe, expect, it } from "vitest";
import { PuffleClient } from "../../../src/client";
import type { WaitEvent } from "../../../src/core/options";
import {
  APIUserAbortError,
  SessionBusyError,
  TaskFailedError,
  WaitTimeoutError,
} from "../../../src/index";
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

describe.each(["electric", "trigger-sdk"] as const)(
  "waitForIdle realtime (%s transport)",
  (transport) => {
    it("resolves with the idle session after the run completes, within 3 API requests per turn", async () => {
      const { puffle, session, requests } = await env({}, { realtime: { transport } });
      const events: WaitEvent[] = [];
      const run = await puffle.runTurn(session.id, { message: "Intro email for VPs of Sales" });
      expect(run.runId).toMatch(/^run_/);
      const result = await puffle.waitForIdleDetailed(session.id, {
        run,
        onEvent: (e) => events.push(e),
      });
      expect(result.mode).toBe("realtime");
      expect(result.fallbackReason).toBeUndefined();
      expect(result.session.task_status).toBeNull();
      expect(result.session.messages?.at(-1)?.role).toBe("assistant");
      expect(requests.length).toBeLessThanOrEqual(3); // dispatch + reads
      expect(requests[0]).toBe(`POST /api/campaigns/ai-chat-sessions/${session.id}/turn`);
      const runEvents = events.filter((e) => e.type === "run");
      expect(runEvents.at(-1)).toMatchObject({ run: { isCompleted: true, isSuccess: true } });
    });

    it("a run that failed before the first read is a TaskFailedError, not an idle success", async () => {
      const { puffle, session, emu } = await env({}, { realtime: { transport } });
      emu.faults.inject({ operation: "turn", kind: "runFails", errorMessage: "boom" });
      const run = await puffle.runTurn(session.id, { message: "Hello" });
      await emu.finishTasks(); // the run is over (failed) before the wait reads the session
      expect((await puffle.getSession(session.id)).task_status).toBeNull();
      const error = await puffle.waitForIdle(session.id, { run }).catch((e: unknown) => e);
      expect(error instanceof TaskFailedError).toBe(true);
      expect((error as TaskFailedError).runError?.message).toContain("boom");
    });
  },
);

describe("waitForIdle", () => {
  it("polls when no run handle is given, and reports the requests it made", async () => {
    const { puffle, session } = await env({ taskDurationMs: 300 });
    await puffle.runTurn(session.id, { message: "Hello" });
    const result = await puffle.waitForIdleDetailed(session.id, {
      poll: { initialDelayMs: 50, maxDelayMs: 100 },
    });
    expect(result.mode).toBe("poll");
    expect(result.session.task_status).toBeNull();
    expect(result.requests).toBeGreaterThanOrEqual(2);
    expect(result.initial?.task_status).toBe("chat_processing");
  });

  it("does not miss a finish that happens between subscribing and the first read", async () => {
    const { puffle, session, emu, server } = await env({ taskDurationMs: 100 });
    const run = await puffle.runTurn(session.id, { message: "Hello" });
    // Hold the first session read until the run has completed on the server.
    let held = false;
    const slow = new PuffleClient({
      apiKey: server.apiKey,
      baseURL: server.url,
      triggerBaseURL: server.url,
      logLevel: "off",
      fetch: async (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        if (!held && url.includes(`/ai-chat-sessions/${session.id}`)) {
          held = true;
          while (run.runId && !emu.getRun(run.runId)?.completed)
            await new Promise((r) => setTimeout(r, 10));
        }
        return globalThis.fetch(input, init);
      },
    });
    const result = await slow.waitForIdleDetailed(session.id, { run, deadline: 10_000 });
    expect(held).toBe(true);
    expect(result.session.task_status).toBeNull();
    expect(result.session.messages?.length).toBe(2);
  });

  it.each([
    ["run feed 401", { operation: "runFeed", kind: "status", status: 401 }],
    ["run feed 403", { operation: "runFeed", kind: "status", status: 403 }],
    ["run feed 404", { operation: "runFeed", kind: "status", status: 404 }],
    ["expired token", { operation: "runFeed", kind: "expiredToken" }],
  ] as const)("falls back to polling on %s, within the deadline", async (_name, fault) => {
    const { puffle, session, emu } = await env({ taskDurationMs: 300 });
    const run = await puffle.runTurn(session.id, { message: "Hello" });
    emu.faults.inject({ ...fault, times: Number.POSITIVE_INFINITY });
    const events: WaitEvent[] = [];
    const result = await puffle.waitForIdleDetailed(session.id, {
      run,
      deadline: 10_000,
      poll: { initialDelayMs: 50, maxDelayMs: 100 },
      onEvent: (e) => events.push(e),
    });
    expect(result.mode).toBe("poll");
    expect(result.fallbackReason).toMatch(/run feed/);
    expect(result.fallbackReason).not.toContain(run.publicAccessToken ?? "never");
    expect(events.some((e) => e.type === "fallback")).toBe(true);
    expect(result.session.task_status).toBeNull();
  });

  it("falls back to polling when the feed is unreachable", async () => {
    const { puffle, session, server } = await env({ taskDurationMs: 300 });
    const run = await puffle.runTurn(session.id, { message: "Hello" });
    const unreachable = new PuffleClient({
      apiKey: server.apiKey,
      baseURL: server.url,
      triggerBaseURL: "http://127.0.0.1:9", // discard port: connection refused
      logLevel: "off",
    });
    const result = await unreachable.waitForIdleDetailed(session.id, {
      run,
      deadline: 30_000,
      poll: { initialDelayMs: 50, maxDelayMs: 100 },
    });
    expect(result.mode).toBe("poll");
    expect(result.session.task_status).toBeNull();
  });

  it("falls back to polling when the feed stalls", async () => {
    const { puffle, session, emu, server } = await env({ taskDurationMs: 800 });
    const run = await puffle.runTurn(session.id, { message: "Hello" });
    emu.faults.inject({
      operation: "runFeed",
      kind: "delay",
      delayMs: 30_000,
      times: Number.POSITIVE_INFINITY,
    });
    const stalling = new PuffleClient({
      apiKey: server.apiKey,
      baseURL: server.url,
      triggerBaseURL: server.url,
      logLevel: "off",
      realtime: { stallTimeoutMs: 200 },
    });
    const result = await stalling.waitForIdleDetailed(session.id, {
      run,
      deadline: 10_000,
      poll: { initialDelayMs: 50, maxDelayMs: 100 },
    });
    expect(result.mode).toBe("poll");
    expect(result.fallbackReason).toBeDefined();
  });

  it("polls a reconciled run (no token)", async () => {
    const { puffle, session } = await env({ taskDurationMs: 200 });
    await puffle.runTurn(session.id, { message: "Hello" });
    const result = await puffle.waitForIdleDetailed(session.id, {
      run: { runId: null, publicAccessToken: null, reconciled: true },
      poll: { initialDelayMs: 50 },
    });
    expect(result.mode).toBe("poll");
    expect(result.session.task_status).toBeNull();
  });

  it("throws WaitTimeoutError with the last session when task_status never clears", async () => {
    const { puffle, session, emu } = await env({ taskDurationMs: 50 });
    emu.faults.inject({ operation: "turn", kind: "stuckTaskStatus" });
    const run = await puffle.runTurn(session.id, { message: "Hello" });
    const error = await puffle
      .waitForIdle(session.id, {
        run,
        deadline: 600,
        poll: { initialDelayMs: 50, maxDelayMs: 100 },
      })
      .catch((e: unknown) => e);
    expect(error instanceof WaitTimeoutError).toBe(true);
    const timeout = error as WaitTimeoutError;
    expect(timeout.session?.task_status).toBe("chat_processing");
    expect(timeout.message).toMatch(/task_status: null/);
    // It carries what is needed to resume.
    expect(timeout.run).toEqual(run);
    expect(timeout.dispatched).toBe(true);
    expect(timeout.deadlineMs).toBe(600);
    // The documented way out works.
    const cleared = await puffle.updateSession(session.id, { task_status: null });
    expect(cleared.task_status).toBeNull();
  });

  it("throws TaskFailedError with the run's error when the run fails", async () => {
    const { puffle, session, emu } = await env({ taskDurationMs: 100 });
    emu.faults.inject({
      operation: "turn",
      kind: "runFails",
      failureStatus: "CRASHED",
      errorMessage: "boom",
    });
    const run = await puffle.runTurn(session.id, { message: "Hello" });
    const error = await puffle
      .waitForIdle(session.id, { run, deadline: 10_000 })
      .catch((e: unknown) => e);
    expect(error instanceof TaskFailedError).toBe(true);
    const failed = error as TaskFailedError;
    expect(failed.runStatus).toBe("CRASHED");
    expect(failed.runError?.message).toContain("boom");
    expect(failed.runId).toBe(run.runId);
    expect(failed.run).toEqual(run); // the handle travels with the error
  });

  it("stops at once on abort, in realtime and in poll mode", async () => {
    const { puffle, session } = await env({ taskDurationMs: 5_000 });
    const run = await puffle.runTurn(session.id, { message: "Hello" });
    for (const mode of ["auto", "poll"] as const) {
      const controller = new AbortController();
      const pending = puffle.waitForIdle(session.id, { run, mode, signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      const error = await pending.catch((e: unknown) => e);
      expect(error instanceof APIUserAbortError).toBe(true);
    }
  });

  it("refuses mode realtime without a token, before sending anything", async () => {
    const { puffle, session, requests } = await env();
    await expect(puffle.waitForIdle(session.id, { mode: "realtime" })).rejects.toThrow(
      /needs options.run/,
    );
    expect(requests).toHaveLength(0);
  });
});

describe("onBusy", () => {
  it("throws SessionBusyError by default and waits then sends with onBusy: wait", async () => {
    const { puffle, session, emu } = await env({ taskDurationMs: 300 });
    await puffle.runTurn(session.id, { message: "First" });
    const busy = await puffle.runTurn(session.id, { message: "Second" }).catch((e: unknown) => e);
    expect(busy instanceof SessionBusyError).toBe(true);
    const run = await puffle.runTurn(session.id, { message: "Second" }, { onBusy: "wait" });
    expect(run.runId).toMatch(/^run_/);
    await puffle.waitForIdle(session.id, { run });
    expect(emu.ledger.turns(session.id)).toBe(2);
    const final = await puffle.getSession(session.id);
    expect(final.messages?.filter((m) => m.role === "user").map((m) => m.content)).toEqual([
      "First",
      "Second",
    ]);
  });
});

describe("chat()", () => {
  it("returns the reply this turn wrote, whether the skeleton changed, and how the wait went", async () => {
    const { puffle, session } = await env({ taskDurationMs: 150 });
    const first = await puffle.chat(session.id, { message: "Write an intro for VPs of Sales" });
    expect(first.reply).toBeTruthy();
    expect(first.session.skeleton).toBeNull();
    expect(first.skeletonChanged).toBe(false);
    expect(first.wait.mode).toBe("realtime");
    expect(first.wait.requests).toBeLessThanOrEqual(3);
    const second = await puffle.chat(session.id, {
      message: "Focus on time to ROI, keep it short",
    });
    expect(second.session.skeleton).not.toBeNull();
    expect(second.skeletonChanged).toBe(true);
    expect(second.reply).not.toBe(first.reply);
    expect(second.session.draft_body).not.toContain("\u2014");
  });

  it("generateExamplesAndWait resolves with the examples", async () => {
    const { puffle, session, emu } = await env({ taskDurationMs: 100 });
    await puffle.chat(session.id, { message: "Intro for VPs of Sales" });
    await puffle.chat(session.id, { message: "Time to ROI, short" });
    const leads = emu.demo.leads.slice(0, 3).map(({ id: _id, campaign_id: _c, ...lead }) => lead);
    const done = await puffle.generateExamplesAndWait(session.id, { leads });
    expect(done.generated_examples).toHaveLength(3);
  });
});
