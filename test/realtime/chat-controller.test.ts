/**
 * The chat controller's state machine, over the real chat route (puffle-chat/server) and the real
 * subscribeToChat against the emulator over loopback HTTP. A recording `subscribe` wrapper shows
 * what the controller asked for; nothing is faked but the app's `authorize`.
 */

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PuffleClient } from "../../src/index";
import {
  ChatController,
  ChatControllerError,
  type ChatState,
  createChatController,
  isPuffleError,
  type SubscribeToChatOptions,
  subscribeToChat,
} from "../../src/realtime/index";
import { createChatRoute } from "../../src/server/index";
import { createEmulator, type ListeningEmulator } from "../../src/testing/index";

let emu: ListeningEmulator;
let client: PuffleClient;
let signedIn = true;
let handler: (request: Request) => Promise<Response>;

beforeAll(async () => {
  emu = await createEmulator({ taskDurationMs: 400, liveHoldMs: 200 }).listen();
  client = new PuffleClient({
    apiKey: emu.apiKey,
    baseURL: emu.url,
    triggerBaseURL: emu.url,
    maxRetries: 1,
  });
  handler = createChatRoute({
    client,
    authorize: () => (signedIn ? true : { status: 401 }),
    leads: () => emu.emulator.demo.leads.slice(0, 2),
  });
});
afterAll(async () => {
  await emu?.close();
});
afterEach(async () => {
  signedIn = true;
  emu.emulator.faults.clear();
  await emu.emulator.finishTasks();
});

/** A fresh session on a new ai node of the demo campaign. */
async function newSession(): Promise<string> {
  const { campaignId } = emu.emulator.demo;
  const nodeId = emu.emulator.addNode(campaignId, { type: "ai" });
  return (await client.createSession({ campaign_id: campaignId, node_id: nodeId })).id;
}

const routeFetch: typeof fetch = (input, init) =>
  handler(new Request(new URL(String(input), "http://app.test"), init));

function setup(sessionId: string, extra: Partial<Parameters<typeof createChatController>[0]> = {}) {
  const subscriptions: SubscribeToChatOptions[] = [];
  const controller = createChatController({
    api: "/api/chat",
    sessionId,
    fetch: routeFetch,
    pollIntervalMs: 500, // the smallest allowed
    subscribe: (options) => {
      subscriptions.push(options);
      return subscribeToChat(options);
    },
    ...extra,
  });
  const states: ChatState[] = [];
  controller.subscribe(() => states.push(controller.getState()));
  const until = (predicate: (s: ChatState) => boolean) =>
    new Promise<ChatState>((resolve) => {
      if (predicate(controller.getState())) return resolve(controller.getState());
      const off = controller.subscribe(() => {
        if (predicate(controller.getState())) {
          off();
          resolve(controller.getState());
        }
      });
    });
  return { controller, states, subscriptions, until };
}

describe("createChatController", () => {
  it("refuses bad options with a clear error, and does nothing until asked", async () => {
    // @ts-expect-error api is required
    expect(() => createChatController({ sessionId: "x" })).toThrow(/api is required/);
    // @ts-expect-error sessionId is required
    expect(() => createChatController({ api: "/api/chat" })).toThrow(/sessionId/);
    // @ts-expect-error bad whileBusy
    expect(() => createChatController({ api: "/a", sessionId: "x", whileBusy: "drop" })).toThrow(
      /whileBusy must be "refuse" or "queue"/,
    );
    let calls = 0;
    const c = createChatController({
      api: "/api/chat",
      sessionId: "x",
      fetch: () => {
        calls += 1;
        return Promise.reject(new Error("no"));
      },
    });
    expect(c.getState()).toMatchObject({ status: "idle", loaded: false, messages: [], reply: "" });
    expect(calls).toBe(0);
    expect(c).toBeInstanceOf(ChatController);
    expect(() => new ChatController({ api: "", sessionId: "x" })).toThrow(
      expect.objectContaining({ name: "RealtimeOptionsError" }),
    );
  });

  it("its public members are bound: destructured, they act on the same controller", async () => {
    const sessionId = await newSession();
    const { controller } = setup(sessionId);
    const { getState, subscribe, load, send } = controller;
    let changes = 0;
    const off = subscribe(() => {
      changes += 1;
    });
    await load();
    expect(getState()).toBe(controller.getState());
    expect(getState().loaded).toBe(true);
    expect(await send("Hello")).toBe(true);
    expect(getState().messages).toHaveLength(2);
    off();
    const seen = changes;
    await load();
    expect(changes).toBe(seen);
  });

  it("idle → sending → streaming → idle: the reply grows token by token, then the session is the truth", async () => {
    const sessionId = await newSession();
    const { controller, states, subscriptions } = setup(sessionId);
    await controller.load();
    expect(controller.getState()).toMatchObject({ loaded: true, status: "idle", messages: [] });
    states.length = 0;
    expect(await controller.send("Intro email for VPs of Sales")).toBe(true);
    const statuses = states.map((s) => s.status).filter((s, i, a) => s !== a[i - 1]);
    expect(statuses).toEqual(["sending", "streaming", "idle"]);
    const sending = states.find((s) => s.status === "sending");
    expect(sending?.messages.at(-1)).toEqual({
      role: "user",
      content: "Intro email for VPs of Sales",
    });
    expect(sending?.task).toBe("turn");
    const replies = [...new Set(states.map((s) => s.reply).filter(Boolean))];
    const final = controller.getState();
    const answer = final.messages.at(-1)?.content ?? "";
    expect(replies.length).toBeGreaterThanOrEqual(3); // several partial states
    for (const partial of replies) expect(answer.startsWith(partial)).toBe(true);
    expect(replies.at(-1)).toBe(answer);
    expect(final).toMatchObject({ status: "idle", reply: "", task: null, error: null });
    expect(final.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0]?.triggerBaseURL).toBe(emu.url);
  });

  it("the second turn writes a draft and the route's lint report arrives with it", async () => {
    const sessionId = await newSession();
    const { controller } = setup(sessionId);
    await controller.send("Intro email for VPs of Sales");
    await controller.send("Focus on time to ROI");
    const s = controller.getState();
    expect(s.draft?.body).toEqual(expect.any(String));
    expect(s.skeleton).not.toBeNull();
    expect(s.lint).toMatchObject({ ok: expect.any(Boolean), issues: expect.any(Array) });
    expect(s.messages).toHaveLength(4);
  });

  it("one turn at a time: a send while busy is refused, and only one turn is dispatched", async () => {
    const sessionId = await newSession();
    const { controller } = setup(sessionId);
    const first = controller.send("Hello");
    expect(controller.getState().status).toBe("sending");
    expect(await controller.send("Hello again")).toBe(false);
    await first;
    expect(emu.emulator.ledger.turns(sessionId)).toBe(1);
    expect(controller.getState().messages.filter((m) => m.role === "user")).toHaveLength(1);
  });

  it('whileBusy: "queue" sends queued messages one after the other, never interleaved', async () => {
    const sessionId = await newSession();
    const { controller, until } = setup(sessionId, { whileBusy: "queue" });
    void controller.send("First");
    expect(await controller.send("Second")).toBe(true);
    expect(controller.getState().queued).toEqual(["Second"]);
    await until((s) => s.status === "idle" && s.queued.length === 0 && s.messages.length === 4);
    expect(emu.emulator.ledger.turns(sessionId)).toBe(2);
    const session = emu.emulator.getSession(sessionId);
    expect(session?.messages?.map((m) => m.role)).toEqual([
      "user",
      "assistant",
      "user",
      "assistant",
    ]);
    expect(controller.getState().messages.map((m) => m.content)).toEqual(
      session?.messages?.map((m) => m.content),
    );
  });

  it("a refused dispatch (401) → error, the message is taken back, retry sends it once it is allowed", async () => {
    const sessionId = await newSession();
    const { controller } = setup(sessionId);
    signedIn = false;
    expect(await controller.send("Hello")).toBe(false);
    expect(controller.getState()).toMatchObject({
      status: "error",
      messages: [],
      error: { code: "unauthorized", status: 401, dispatched: false },
    });
    expect(emu.emulator.ledger.turns(sessionId)).toBe(0);
    signedIn = true;
    expect(await controller.retry()).toBe(true);
    expect(controller.getState().status).toBe("idle");
    expect(emu.emulator.ledger.turns(sessionId)).toBe(1);
    expect(controller.getState().messages).toHaveLength(2);
  });

  it("stop() mid-stream: idle at once, the stream is closed, nothing changes afterwards", async () => {
    const sessionId = await newSession();
    const { controller, until, subscriptions } = setup(sessionId);
    emu.emulator.settings.taskDurationMs = 3_000;
    try {
      const sent = controller.send("Hello");
      await until((s) => s.reply !== "");
      controller.stop();
      const stopped = controller.getState();
      expect(stopped).toMatchObject({ status: "idle", stopped: true, reply: "", task: null });
      expect(stopped.messages.at(-1)).toMatchObject({ role: "assistant", stopped: true });
      expect(subscriptions[0]?.signal?.aborted).toBe(true);
      await sent;
      expect(controller.getState()).toBe(stopped);
      // The task goes on on the server: a send now is refused there (409), shown as an error.
      expect(await controller.send("Again")).toBe(false);
      expect(controller.getState().error?.code).toBe("session_busy");
      await emu.emulator.finishTasks();
      expect(await controller.retry()).toBe(true);
      expect(controller.getState().status).toBe("idle");
      expect(emu.emulator.ledger.turns(sessionId)).toBe(2);
    } finally {
      emu.emulator.settings.taskDurationMs = 400;
    }
  });

  it("a failed run → error (dispatched); retry reads the session and never sends the turn again", async () => {
    const sessionId = await newSession();
    const { controller } = setup(sessionId);
    emu.emulator.faults.inject({
      operation: "turn",
      kind: "runFails",
      errorMessage: "model overloaded",
    });
    expect(await controller.send("Hello")).toBe(true); // dispatched, then failed
    expect(controller.getState()).toMatchObject({
      status: "error",
      error: { code: "run_failed", dispatched: true },
    });
    expect(controller.getState().error?.message).toMatch(/model overloaded/);
    expect(controller.getState().error).toBeInstanceOf(ChatControllerError);
    expect(controller.getState().error?.dispatch).toBe("sent");
    expect(await controller.retry()).toBe(true);
    expect(controller.getState()).toMatchObject({ status: "idle", error: null });
    expect(emu.emulator.ledger.turns(sessionId)).toBe(1);
  });

  it("a realtime failure (token refused) → error (dispatched); retry does not send again", async () => {
    const sessionId = await newSession();
    const { controller } = setup(sessionId);
    emu.emulator.faults.inject({ operation: "runFeed", kind: "status", status: 401, times: 5 });
    await controller.send("Hello");
    expect(controller.getState().error).toMatchObject({ code: "realtime", dispatched: true });
    expect(controller.getState().error?.cause).toMatchObject({ kind: "unauthorized" });
    await emu.emulator.finishTasks();
    await controller.retry();
    expect(controller.getState().status).toBe("idle");
    expect(controller.getState().messages).toHaveLength(2);
    expect(emu.emulator.ledger.turns(sessionId)).toBe(1);
  });

  it("a lost dispatch answer the SDK reconciled: the controller follows the session until idle", async () => {
    const sessionId = await newSession();
    const { controller, subscriptions } = setup(sessionId);
    emu.emulator.faults.inject({ operation: "turn", kind: "dropAfter" });
    await controller.send("Hello");
    expect(subscriptions).toHaveLength(0);
    expect(controller.getState()).toMatchObject({ status: "idle", error: null });
    expect(controller.getState().messages).toHaveLength(2);
    expect(emu.emulator.ledger.turns(sessionId)).toBe(1);
  });

  it("a reconciled dispatch that outlives followTimeoutMs → a timeout error (dispatched); retry only reads", async () => {
    const sessionId = await newSession();
    const { controller } = setup(sessionId, { followTimeoutMs: 100 });
    emu.emulator.faults.inject({ operation: "turn", kind: "dropAfter" });
    emu.emulator.settings.taskDurationMs = 3_000;
    try {
      expect(await controller.send("Hello")).toBe(true);
      const { error } = controller.getState();
      expect(error).toBeInstanceOf(ChatControllerError);
      expect(error).toMatchObject({ code: "timeout", dispatched: true });
      await emu.emulator.finishTasks();
      expect(await controller.retry()).toBe(true);
      expect(controller.getState()).toMatchObject({ status: "idle", error: null });
      expect(emu.emulator.ledger.turns(sessionId)).toBe(1);
    } finally {
      emu.emulator.settings.taskDurationMs = 400;
    }
  });

  it("the route unreachable → network error, nothing dispatched", async () => {
    const c = createChatController({
      api: "/api/chat",
      sessionId: await newSession(),
      fetch: () => Promise.reject(new TypeError("Failed to fetch")),
    });
    expect(await c.send("Hello")).toBe(false);
    expect(c.getState()).toMatchObject({
      status: "error",
      messages: [],
      error: { code: "network", dispatched: false },
    });
    // A PuffleError, never a plain object: the cause is kept, and it serialises without secrets.
    const error = c.getState().error;
    expect(error).toBeInstanceOf(ChatControllerError);
    expect(isPuffleError(error)).toBe(true);
    expect(error).toMatchObject({ name: "ChatControllerError", dispatch: "not_sent" });
    expect(error?.cause).toMatchObject({ name: "TypeError", message: "Failed to fetch" });
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: "ChatControllerError",
      code: "network",
      dispatched: false,
    });
  });

  it("examples: an example run fills the examples; dispose() mid-stream goes idle and closes it", async () => {
    const sessionId = await newSession();
    const { controller, until, subscriptions } = setup(sessionId);
    await controller.send("Intro email");
    await controller.send("Shorter");
    expect(await controller.generateExamples()).toBe(true);
    expect(controller.getState().examples).toHaveLength(2);
    expect(controller.getState().task).toBeNull();
    emu.emulator.settings.taskDurationMs = 3_000;
    try {
      void controller.send("Even shorter");
      await until((s) => s.status === "streaming");
      controller.dispose();
      expect(controller.getState().status).toBe("idle");
      expect(subscriptions.at(-1)?.signal?.aborted).toBe(true);
    } finally {
      emu.emulator.settings.taskDurationMs = 400;
    }
  });
});

/** The route, with the first GET's answer held back until `release()`: a slow network on a reload. */
function heldFirstRead() {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let gets = 0;
  const slowFirstRead: typeof fetch = async (input, init) => {
    const response = await routeFetch(input, init);
    if ((init?.method ?? "GET") === "GET" && gets++ === 0) await held;
    return response;
  };
  return { slowFirstRead, release: () => release() };
}

describe("stale reads (issue 18: stale messages after Stop and a reload)", () => {
  it("a slow read answered after a newer one never overwrites the newer state", async () => {
    const sessionId = await newSession();
    const { slowFirstRead, release } = heldFirstRead();
    const { controller, until } = setup(sessionId, { fetch: slowFirstRead });
    const slow = controller.load(); // read while the session is empty, answered last
    expect(await controller.send("Intro email for VPs of Sales")).toBe(true);
    await until((s) => s.status === "idle" && s.messages.length === 2);
    const fresh = controller.getState();
    release();
    await slow;
    expect(controller.getState().messages).toEqual(fresh.messages);
    expect(controller.getState().messages.map((m) => m.role)).toEqual(["user", "assistant"]);
  });

  it("a read started before a turn does not take the turn's message back out while it runs", async () => {
    const sessionId = await newSession();
    const { slowFirstRead, release } = heldFirstRead();
    const { controller, until } = setup(sessionId, { fetch: slowFirstRead });
    const slow = controller.load();
    const sent = controller.send("Intro email for VPs of Sales");
    await until((s) => s.status === "streaming");
    release();
    await slow;
    expect(controller.getState().messages).toEqual([
      { role: "user", content: "Intro email for VPs of Sales" },
    ]);
    controller.stop();
    await sent;
  });
});
