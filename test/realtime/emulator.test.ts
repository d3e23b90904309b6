/**
 * Both transports and subscribeToChat against the project's emulator (src/testing) over real HTTP.
 */

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type ChatStreamEvent,
  isRealtimeError,
  type RunTransport,
  type RunUpdate,
  subscribeToChat,
  subscribeToRun,
} from "../../src/realtime/index";
import { subscribeToRunWithTriggerSdk } from "../../src/realtime/trigger-sdk";
import { expectStatusesInLifecycleOrder } from "../support/lifecycle";
import {
  createSession,
  type EmulatorHarness,
  postExamples,
  postTurn,
  startEmulator,
  waitIdle,
} from "./fixtures/emulator-helpers";
import { collectError, serialise } from "./fixtures/run-conformance";

const TRANSPORTS: [string, RunTransport][] = [
  ["light (Electric)", subscribeToRun],
  ["trigger-sdk (official ApiClient)", subscribeToRunWithTriggerSdk],
];

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startEmulator();
});
afterEach(() => {
  h.emu.faults.clear();
});
afterAll(async () => {
  await h.close();
});

async function updates(iterable: AsyncIterable<RunUpdate>): Promise<RunUpdate[]> {
  const seen: RunUpdate[] = [];
  for await (const update of iterable) seen.push(update);
  return seen;
}

async function events(iterable: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const seen: ChatStreamEvent[] = [];
  for await (const event of iterable) seen.push(event);
  return seen;
}

const replyOf = (list: ChatStreamEvent[]) =>
  list.map((e) => (e.type === "delta" ? e.text : "")).join("");

describe.each(TRANSPORTS)("%s against the emulator", (_name, transport) => {
  const options = (handle: { runId: string; publicAccessToken: string }) => ({
    ...handle,
    triggerBaseURL: h.url,
  });

  it("follows a turn's run to COMPLETED in lifecycle order, decodes its output, then ends", async () => {
    const session = await createSession(h);
    const handle = await postTurn(h, session, "Intro email for VPs of Sales at fintechs", {
      durationMs: 1_200,
    });
    const seen = await updates(transport(options(handle)));
    // A subscriber is promised the current state first, then every later change: under load it
    // may arrive after EXECUTING, so only the order and the end are asserted.
    expectStatusesInLifecycleOrder(
      seen.map((u) => u.status),
      "COMPLETED",
      { distinct: false },
    );
    expect(seen.filter((u) => u.isCompleted)).toHaveLength(1);
    const last = seen.at(-1) as RunUpdate;
    expect(last.id).toBe(handle.runId);
    expect(last.isSuccess).toBe(true);
    expect(last.finishedAt).toBeInstanceOf(Date);
    expect(last.taskIdentifier).toBe("framework-chat-turn");
    const run = h.emu.getRun(handle.runId);
    expect(last.output).toEqual(run?.output);
    expect(last.output).toMatchObject({ kind: "turn", session_id: session });
    expect(last.metadata?.$$streams).toEqual(["chat"]);
  });

  it("reports a failed run (runFails fault) with its error", async () => {
    h.emu.faults.inject({ operation: "turn", kind: "runFails", errorMessage: "LLM overloaded" });
    const session = await createSession(h);
    const handle = await postTurn(h, session, "Anything");
    const seen = await updates(transport(options(handle)));
    const last = seen.at(-1) as RunUpdate;
    expect(last.status).toBe("FAILED");
    expect(last.isFailed).toBe(true);
    expect(last.isCompleted).toBe(true);
    expect(last.error?.message).toBe("LLM overloaded");
  });

  it("throws a typed unauthorized error for an expired token instead of hanging", async () => {
    const session = await createSession(h);
    const handle = await postTurn(h, session, "Hello");
    h.emu.expireTokens(handle.runId);
    const error = await collectError(transport(options(handle)));
    expect(isRealtimeError(error, "unauthorized")).toBe(true);
    expect((error as Error).message).toMatch(/expired or not for this run/);
    expect(serialise(error)).not.toContain(handle.publicAccessToken);
  });

  it("throws unauthorized for a token minted already expired (expiredToken fault on turn)", async () => {
    h.emu.faults.inject({ operation: "turn", kind: "expiredToken" });
    const session = await createSession(h);
    const handle = await postTurn(h, session, "Hello");
    const error = await collectError(transport(options(handle)));
    expect(isRealtimeError(error, "unauthorized")).toBe(true);
  });

  it("throws a typed not_found error when the feed answers 404 for the run", async () => {
    const session = await createSession(h);
    const handle = await postTurn(h, session, "Hello");
    h.emu.faults.inject({ operation: "runFeed", kind: "status", status: 404 });
    const error = await collectError(transport(options(handle)));
    expect(isRealtimeError(error, "not_found")).toBe(true);
    expect((error as { runId: string }).runId).toBe(handle.runId);
  });

  it("recovers from feed 500s and from a 409 must-refetch", async () => {
    const session = await createSession(h);
    const handle = await postTurn(h, session, "Hello");
    h.emu.faults.inject({ operation: "runFeed", kind: "status", status: 500, times: 2 });
    h.emu.faults.inject({ operation: "runFeed", kind: "mustRefetch" });
    const seen = await updates(transport(options(handle)));
    expect(seen.at(-1)?.status).toBe("COMPLETED");
  });

  it("gives up with a typed unreachable error when the feed keeps answering 500", async () => {
    const session = await createSession(h);
    const handle = await postTurn(h, session, "Hello");
    h.emu.faults.inject({ operation: "runFeed", kind: "status", status: 500, times: Infinity });
    const error = await collectError(transport({ ...options(handle), maxRetries: 1 }));
    expect(isRealtimeError(error, "unreachable")).toBe(true);
  });

  it("ends at once when aborted, rejecting with an AbortError", async () => {
    const session = await createSession(h);
    const handle = await postTurn(h, session, "Hello", { durationMs: 5_000 });
    const controller = new AbortController();
    const iterator = transport({ ...options(handle), signal: controller.signal })[
      Symbol.asyncIterator
    ]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    const pending = iterator.next();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    await h.emu.finishTasks();
  });

  it("drives subscribeToChat as its runTransport", async () => {
    const session = await createSession(h);
    const handle = await postTurn(h, session, "Intro email for CFOs");
    const list = await events(subscribeToChat({ ...options(handle), runTransport: transport }));
    const output = h.emu.getRun(handle.runId)?.output as { reply: string };
    expect(replyOf(list)).toBe(output.reply);
    expect(list.at(-1)).toEqual({ type: "completed", output });
  });
});

describe("subscribeToChat against the emulator", () => {
  for (const framing of ["v1", "v2"] as const) {
    it(`yields a real turn's events in order (${framing}); the deltas concatenate to the reply`, async () => {
      const session = await createSession(h);
      const first = await postTurn(h, session, "Intro email for VPs of Sales", {
        streamVersion: framing,
      });
      const turn1 = await events(subscribeToChat({ ...first, triggerBaseURL: h.url }));
      const run1 = h.emu.getRun(first.runId);
      expect(run1?.streamVersion).toBe(framing);
      const output1 = run1?.output as { reply: string };
      expect(replyOf(turn1)).toBe(output1.reply);
      expect(replyOf(turn1).length).toBeGreaterThan(20);
      expect(turn1[0]?.type).toBe("status");
      expect(turn1.at(-1)).toEqual({ type: "completed", output: output1 });
      const statuses = turn1.flatMap((e) => (e.type === "status" ? [e.status] : []));
      // A late subscriber may see only COMPLETED: the order is promised, EXECUTING is not.
      expectStatusesInLifecycleOrder(statuses, "COMPLETED");
      const types = turn1.map((e) => e.type);
      expect(types.indexOf("delta")).toBeGreaterThan(types.indexOf("status"));
      expect(types.lastIndexOf("delta")).toBeLessThan(types.indexOf("completed"));
      // every chunk the emulator streamed, in the same order (status duplicates folded)
      const streamed = (run1?.chunks ?? []).filter((c) => c.type === "delta").map((c) => c);
      expect(turn1.filter((e) => e.type === "delta")).toEqual(streamed);
      await waitIdle(h, session);

      const second = await postTurn(h, session, "Mention SOC 2 and keep it short", {
        streamVersion: framing,
      });
      const turn2 = await events(subscribeToChat({ ...second, triggerBaseURL: h.url }));
      const stored = h.emu.getSession(session);
      const skeleton = turn2.find((e) => e.type === "skeleton");
      const draft = turn2.find((e) => e.type === "draft");
      expect(skeleton).toEqual({
        type: "skeleton",
        skeleton: stored?.skeleton,
        framework_version: stored?.framework_version,
      });
      expect(draft).toEqual({
        type: "draft",
        subject: stored?.draft_subject,
        body: stored?.draft_body,
      });
      expect(turn2.map((e) => e.type).indexOf("draft")).toBeLessThan(turn2.length - 1);
      const output2 = h.emu.getRun(second.runId)?.output as { reply: string };
      expect(replyOf(turn2)).toBe(output2.reply);
    });
  }

  it("yields example events for an examples run", async () => {
    const session = await createSession(h);
    const t1 = await postTurn(h, session, "Intro email for VPs of Sales", { durationMs: 50 });
    await events(subscribeToChat({ ...t1, triggerBaseURL: h.url }));
    await waitIdle(h, session);
    const t2 = await postTurn(h, session, "Make it about pipeline", { durationMs: 50 });
    await events(subscribeToChat({ ...t2, triggerBaseURL: h.url }));
    await waitIdle(h, session);
    const run = await postExamples(h, session);
    const list = await events(subscribeToChat({ ...run, triggerBaseURL: h.url }));
    const examples = list.filter((e) => e.type === "example");
    expect(examples).toHaveLength(2);
    expect(list.at(-1)?.type).toBe("completed");
  });

  it("ends with one failed event carrying the run's error when the run fails", async () => {
    h.emu.faults.inject({
      operation: "turn",
      kind: "runFails",
      failureStatus: "CRASHED",
      errorMessage: "worker crashed",
    });
    const session = await createSession(h);
    const handle = await postTurn(h, session, "Hello");
    const list = await events(subscribeToChat({ ...handle, triggerBaseURL: h.url }));
    expect(list.filter((e) => e.type === "failed" || e.type === "completed")).toHaveLength(1);
    expect(list.at(-1)).toMatchObject({
      type: "failed",
      status: "CRASHED",
      error: { message: "worker crashed" },
    });
  });

  it("throws a typed unauthorized error for an expired token", async () => {
    const session = await createSession(h);
    const handle = await postTurn(h, session, "Hello");
    h.emu.expireTokens(handle.runId);
    const error = await collectError(subscribeToChat({ ...handle, triggerBaseURL: h.url }));
    expect(isRealtimeError(error, "unauthorized")).toBe(true);
    expect(serialise(error)).not.toContain(handle.publicAccessToken);
  });

  it("throws a typed unauthorized error when only the stream refuses the token", async () => {
    h.emu.faults.inject({ operation: "stream", kind: "expiredToken", times: Infinity });
    const session = await createSession(h);
    const handle = await postTurn(h, session, "Hello");
    const error = await collectError(subscribeToChat({ ...handle, triggerBaseURL: h.url }));
    expect(isRealtimeError(error, "unauthorized")).toBe(true);
    expect((error as Error).message).toContain('realtime stream "chat"');
  });

  it("ends at once when aborted mid-stream", async () => {
    const session = await createSession(h);
    const handle = await postTurn(h, session, "Hello", { durationMs: 3_000 });
    const controller = new AbortController();
    const iterator = subscribeToChat({
      ...handle,
      triggerBaseURL: h.url,
      signal: controller.signal,
    })[Symbol.asyncIterator]();
    for (;;) {
      const next = await iterator.next();
      expect(next.done).toBe(false);
      if (!next.done && next.value.type === "delta") break;
    }
    const pending = iterator.next();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    await h.emu.finishTasks();
  });
});
