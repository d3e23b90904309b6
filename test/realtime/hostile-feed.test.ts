/**
 * Issue 9, case 1: a run feed that answers something unexpected (409 with a JSON error or an HTML
 * page, `200 {"not":"an array"}`, endless must-refetch) never crashes the host process, never
 * loops, and becomes a typed RealtimeError inside the iteration; `chat()` falls back to polling
 * and resolves with the turn's reply. Emulator over real HTTP, with its `status` / `body` /
 * `mustRefetch` faults on `runFeed`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PuffleClient } from "../../src/client";
import { isRealtimeError, subscribeToChat, subscribeToRun } from "../../src/realtime/index";
import type { FaultSpec } from "../../src/testing/index";
import { setup } from "../lib/wait/helpers";

type Ctx = Awaited<ReturnType<typeof setup>>;
let ctx: Ctx;
const escaped: unknown[] = [];
const onEscape = (error: unknown) => escaped.push(error);

beforeAll(async () => {
  process.on("uncaughtException", onEscape);
  process.on("unhandledRejection", onEscape);
  ctx = await setup({ taskDurationMs: 300, liveHoldMs: 1_000 });
});
afterAll(async () => {
  process.off("uncaughtException", onEscape);
  process.off("unhandledRejection", onEscape);
  await ctx.server.close();
});
afterEach(() => {
  ctx.emu.faults.clear();
});

const HOSTILE: Array<[string, Omit<FaultSpec, "operation" | "times">]> = [
  ["409 with a JSON error body", { kind: "status", status: 409 }],
  [
    "409 with an HTML page",
    {
      kind: "body",
      status: 409,
      body: "<html><body>Conflict</body></html>",
      contentType: "text/html",
    },
  ],
  [
    "200 with a JSON object instead of an array",
    { kind: "body", status: 200, body: '{"not":"an array"}' },
  ],
  ["200 with an array of numbers", { kind: "body", status: 200, body: "[1,2,3]" }],
  ["200 with an empty body", { kind: "body", status: 200, body: "" }],
  ["409 must-refetch forever", { kind: "mustRefetch" }],
  ["418", { kind: "status", status: 418 }],
];

describe.each(HOSTILE)("a run feed answering %s", (_name, fault) => {
  it("chat() falls back to polling and resolves with the reply; the feed is asked a bounded number of times", async () => {
    ctx.emu.faults.inject({ operation: "runFeed", times: Number.POSITIVE_INFINITY, ...fault });
    const feedBefore = ctx.emu.ledger.requests.runFeed;
    const message = `hello ${Math.random()}`;
    const turn = await ctx.puffle.chat(ctx.session.id, { message }, { deadline: 30_000 });
    expect(turn.wait.mode).toBe("poll");
    expect(turn.wait.fallbackReason).toMatch(/run feed/);
    expect(turn.reply).toEqual(expect.any(String));
    expect(ctx.emu.ledger.requests.runFeed - feedBefore).toBeLessThanOrEqual(12);
    expect(escaped).toEqual([]);
  });

  it("subscribeToRun ends by itself with a typed RealtimeError inside the iteration", async () => {
    const run = await ctx.puffle.runTurn(ctx.session.id, { message: `sub ${Math.random()}` });
    ctx.emu.faults.inject({ operation: "runFeed", times: Number.POSITIVE_INFINITY, ...fault });
    const feedBefore = ctx.emu.ledger.requests.runFeed;
    let caught: unknown;
    try {
      for await (const _ of subscribeToRun({
        runId: run.runId as string,
        publicAccessToken: run.publicAccessToken as string,
        triggerBaseURL: ctx.server.url,
        stallTimeoutMs: 0,
      })) {
        // drain
      }
    } catch (error) {
      caught = error;
    }
    expect(isRealtimeError(caught)).toBe(true);
    expect((caught as Error).message).not.toContain(run.publicAccessToken as string);
    expect(ctx.emu.ledger.requests.runFeed - feedBefore).toBeLessThanOrEqual(12);
    ctx.emu.faults.clear();
    await ctx.puffle.waitForIdle(ctx.session.id);
    expect(escaped).toEqual([]);
  });
});

const HOSTILE_STREAM: Array<[string, Omit<FaultSpec, "operation" | "times">]> = [
  ["409 with a JSON error body", { kind: "status", status: 409 }],
  [
    "200 with an HTML page",
    { kind: "body", status: 200, body: "<html><body>hi</body></html>", contentType: "text/html" },
  ],
  [
    "200 with garbage SSE",
    { kind: "body", status: 200, body: "data: {not json\n\nevent: ???\n\n" },
  ],
  ["418", { kind: "status", status: 418 }],
];

describe.each(HOSTILE_STREAM)("a chat stream answering %s", (_name, fault) => {
  it("subscribeToChat ends by itself, any failure a typed RealtimeError inside the iteration", async () => {
    const run = await ctx.puffle.runTurn(ctx.session.id, { message: `stream ${Math.random()}` });
    ctx.emu.faults.inject({ operation: "stream", times: Number.POSITIVE_INFINITY, ...fault });
    const streamBefore = ctx.emu.ledger.requests.stream;
    let caught: unknown;
    try {
      for await (const _ of subscribeToChat({
        runId: run.runId as string,
        publicAccessToken: run.publicAccessToken as string,
        triggerBaseURL: ctx.server.url,
        stallTimeoutMs: 5_000,
      })) {
        // drain
      }
    } catch (error) {
      caught = error;
    }
    if (caught !== undefined) expect(isRealtimeError(caught), String(caught)).toBe(true);
    expect(ctx.emu.ledger.requests.stream - streamBefore).toBeLessThanOrEqual(12);
    ctx.emu.faults.clear();
    await ctx.puffle.waitForIdle(ctx.session.id);
    expect(escaped).toEqual([]);
  }, 30_000);
});

describe.each(HOSTILE)(
  "the official transport (trigger-sdk), a run feed answering %s",
  (_name, fault) => {
    it("chat() falls back to polling and resolves with the reply, the feed asked a bounded number of times", async () => {
      const official = new PuffleClient({
        apiKey: ctx.server.apiKey,
        baseURL: ctx.server.url,
        triggerBaseURL: ctx.server.url,
        logLevel: "off",
        realtime: { transport: "trigger-sdk" },
      });
      ctx.emu.faults.inject({ operation: "runFeed", times: Number.POSITIVE_INFINITY, ...fault });
      const feedBefore = ctx.emu.ledger.requests.runFeed;
      const turn = await official.chat(
        ctx.session.id,
        { message: `official ${Math.random()}` },
        { deadline: 30_000 },
      );
      expect(turn.wait.mode).toBe("poll");
      expect(turn.reply).toEqual(expect.any(String));
      expect(ctx.emu.ledger.requests.runFeed - feedBefore).toBeLessThanOrEqual(12);
      expect(escaped).toEqual([]);
    }, 40_000);
  },
);
