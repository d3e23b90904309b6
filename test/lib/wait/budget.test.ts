/**
 * One deadline model: `deadline` bounds a whole call (retries included) or a whole wait; a chat's
 * busy wait never spends the budget its own turn needs, and a wait that runs out carries the run.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { PuffleClient } from "../../../src/client";
import { APIConnectionTimeoutError, WaitTimeoutError } from "../../../src/index";
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

/** A server on loopback that accepts every request and never answers. */
async function silentServer(): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const open = new Set<import("node:net").Socket>();
  const server: Server = createServer(() => {
    hits++; // never answered
  });
  server.on("connection", (socket) => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(async () => {
    for (const socket of open) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

describe("deadline", () => {
  it("getSession(id, { deadline: 200 }) rejects within the deadline against a server that never answers, with retries left", async () => {
    const silent = await silentServer();
    const puffle = new PuffleClient({
      apiKey: "pk_test_deadline_0123456789",
      baseURL: silent.url,
      logLevel: "off",
    });
    const started = performance.now();
    const error = await puffle
      .getSession("3c90c3cc-0d44-4b50-8888-8dd25736052a", { deadline: 200 })
      .catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error instanceof APIConnectionTimeoutError).toBe(true);
    const timeout = error as APIConnectionTimeoutError;
    expect(timeout.deadlineMs).toBe(200);
    expect(timeout.message).toMatch(/deadline of 200 ms \(0 retries made, 2 left\)/);
    // The per-attempt timeout (60 s by default) never came into play: the deadline ended it.
    expect(elapsed).toBeLessThan(200 + 800);
    expect(silent.hits()).toBe(1);
  });

  it("timeout stays per attempt: each attempt gets its own, and retries follow", async () => {
    const silent = await silentServer();
    // Attempts counted where they are made: under CPU load a 50 ms attempt can time out before
    // the server has even parsed its request, so the server's count may lag behind.
    let attempts = 0;
    const puffle = new PuffleClient({
      apiKey: "pk_test_deadline_0123456789",
      baseURL: silent.url,
      logLevel: "off",
      retryDelay: 1,
      retryMaxDelay: 1,
      fetch: (input, init) => {
        attempts++;
        return fetch(input, init);
      },
    });
    const error = await puffle
      .getSession("3c90c3cc-0d44-4b50-8888-8dd25736052a", { timeout: 50, maxRetries: 1 })
      .catch((e: unknown) => e);
    expect(error instanceof APIConnectionTimeoutError).toBe(true);
    expect((error as APIConnectionTimeoutError).timeoutMs).toBe(50);
    expect(attempts).toBe(2);
    expect(silent.hits()).toBeLessThanOrEqual(2);
  });
});

describe('chat with onBusy: "wait" within one budget', () => {
  it("a session that stays busy through half the budget: nothing is sent, the error says so", async () => {
    const { puffle, session, emu, requests } = await env({ taskDurationMs: 50 });
    emu.faults.inject({ operation: "turn", kind: "stuckTaskStatus" });
    await puffle.runTurn(session.id, { message: "First" }); // its task_status never clears
    requests.length = 0;
    const error = await puffle
      .chat(
        session.id,
        { message: "Second" },
        { onBusy: "wait", deadline: 1_000, poll: { initialDelayMs: 20, maxDelayMs: 50 } },
      )
      .catch((e: unknown) => e);
    expect(error instanceof WaitTimeoutError).toBe(true);
    const timeout = error as WaitTimeoutError;
    expect(timeout.dispatched).toBe(false);
    expect(timeout.run).toBeUndefined();
    expect(timeout.session?.task_status).toBe("chat_processing");
    expect(timeout.message).toMatch(/nothing was sent/);
    // One refused POST (409), no paid turn.
    expect(requests.filter((r) => r.startsWith("POST"))).toHaveLength(1);
    expect(emu.ledger.turns(session.id)).toBe(1);
  });

  it("a turn dispatched after the busy wait whose own wait runs out: WaitTimeoutError carries the run", async () => {
    let posts = 0;
    const ctx = await env(
      { taskDurationMs: 200 },
      {
        fetch: (input, init) => {
          const request = new Request(input, init);
          if (request.method === "POST" && request.url.endsWith("/turn")) {
            posts++;
            // The turn sent after the busy wait never finishes.
            if (posts === 3) ctx.emu.faults.inject({ operation: "turn", kind: "stuckTaskStatus" });
          }
          return globalThis.fetch(request);
        },
      },
    );
    const { puffle, session, emu } = ctx;
    await puffle.runTurn(session.id, { message: "First" }); // POST 1
    const error = await puffle
      .chat(
        session.id,
        { message: "Second" },
        { onBusy: "wait", deadline: 2_000, poll: { initialDelayMs: 20, maxDelayMs: 40 } },
      )
      .catch((e: unknown) => e);
    expect(error instanceof WaitTimeoutError).toBe(true);
    const timeout = error as WaitTimeoutError;
    expect(timeout.dispatched).toBe(true);
    expect(timeout.run?.runId).toMatch(/^run_/);
    expect(timeout.session?.task_status).toBe("chat_processing");
    expect(timeout.deadlineMs).toBe(2_000);
    expect(emu.ledger.turns(session.id)).toBe(2);
    // Resuming with the carried run works once the stuck flag is cleared.
    await puffle.updateSession(session.id, { task_status: null });
    const idle = await puffle.waitForIdle(session.id, { run: timeout.run, deadline: 5_000 });
    expect(idle.task_status).toBeNull();
  });

  it("the busy wait polls on the caller's schedule", async () => {
    const { puffle, session, requests } = await env({ taskDurationMs: 400 });
    await puffle.runTurn(session.id, { message: "First" });
    requests.length = 0;
    const turn = await puffle.chat(
      session.id,
      { message: "Second" },
      { onBusy: "wait", poll: { initialDelayMs: 20, maxDelayMs: 20, jitter: 0 } },
    );
    expect(turn.session.task_status).toBeNull();
    const firstDispatched = requests.findLastIndex((r) => r.startsWith("POST"));
    const busyReads = requests.slice(0, firstDispatched).filter((r) => r.startsWith("GET"));
    // With the default schedule (first read after 2 s) there would be at most one or two.
    expect(busyReads.length).toBeGreaterThanOrEqual(3);
  });
});

describe("transient reads inside a wait", () => {
  it("a 503 on the session read after the run completed is read again (realtime path)", async () => {
    let failedOnce = false;
    let runId: string | null = null;
    const ctx = await env(
      { taskDurationMs: 100 },
      {
        maxRetries: 0, // the SDK's own retries would hide the 503 from the wait
        fetch: (input, init) => {
          const request = new Request(input, init);
          const completed = runId !== null && ctx.emu.getRun(runId)?.completed;
          if (
            !failedOnce &&
            completed &&
            request.method === "GET" &&
            request.url.includes("/ai-chat-sessions/")
          ) {
            failedOnce = true;
            return Promise.resolve(
              new Response(JSON.stringify({ error: "upstream unavailable" }), { status: 503 }),
            );
          }
          return globalThis.fetch(request);
        },
      },
    );
    const { puffle, session } = ctx;
    const run = await puffle.runTurn(session.id, { message: "Hello" });
    runId = run.runId;
    const result = await puffle.waitForIdleDetailed(session.id, { run, deadline: 10_000 });
    expect(failedOnce).toBe(true);
    expect(result.mode).toBe("realtime");
    expect(result.session.task_status).toBeNull();
  });
});
