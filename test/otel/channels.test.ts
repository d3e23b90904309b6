/**
 * Issue 23: the tracing channels themselves, as a user of `node:diagnostics_channel` sees them
 * (their names and message shapes are public API), and their cost when nothing subscribes.
 */
import { tracingChannel } from "node:diagnostics_channel";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PuffleClient } from "../../src/client";
import {
  type MethodTraceMessage,
  PUFFLE_CHANNELS,
  type RequestTraceMessage,
  type WaitTraceMessage,
} from "../../src/core/trace-types";
import { traced } from "../../src/internal/trace";
import { createEmulator, type ListeningEmulator } from "../../src/testing/index";

let server: ListeningEmulator;
beforeAll(async () => {
  server = await createEmulator({ taskDurationMs: 100 }).listen();
});
afterAll(async () => {
  await server.close();
});

const client = () =>
  new PuffleClient({
    apiKey: server.apiKey,
    baseURL: server.url,
    triggerBaseURL: server.url,
    logLevel: "off",
  });

/** Record every event of a channel until `stop()`. */
function record<M extends object>(name: string) {
  const events: Array<{ event: string; message: M }> = [];
  const on = (event: string) => (message: M) => events.push({ event, message });
  const handlers = {
    start: on("start"),
    end: on("end"),
    asyncStart: on("asyncStart"),
    asyncEnd: on("asyncEnd"),
    error: on("error"),
  };
  const channel = tracingChannel<M, M>(name);
  channel.subscribe(handlers);
  return { events, stop: () => channel.unsubscribe(handlers) };
}

describe("the channels' messages", () => {
  it("method, request and wait messages for a chat, with result set at asyncEnd", async () => {
    const puffle = client();
    const emu = server.emulator;
    const session = await puffle.getOrCreateSession({
      campaign_id: emu.demo.campaignId,
      node_id: emu.demo.nodeId,
    });
    const methods = record<MethodTraceMessage>(PUFFLE_CHANNELS.method);
    const requests = record<RequestTraceMessage>(PUFFLE_CHANNELS.request);
    const waits = record<WaitTraceMessage>(PUFFLE_CHANNELS.wait);
    try {
      const result = await puffle.chat(session.id, { message: "Hello" });
      const chat = methods.events.filter((e) => e.event === "asyncEnd");
      expect(chat.map((e) => e.message.method)).toEqual(["chat"]);
      expect(chat[0]?.message).toMatchObject({
        sessionId: session.id,
        message: "Hello",
        result,
      });
      const sent = requests.events.filter((e) => e.event === "start").map((e) => e.message);
      expect(sent[0]).toMatchObject({
        operation: "runTurn",
        method: "POST",
        urlTemplate: "/api/campaigns/ai-chat-sessions/{sessionId}/turn",
        url: `${server.url}/api/campaigns/ai-chat-sessions/${session.id}/turn`,
        resendCount: 0,
      });
      const waited = waits.events.find((e) => e.event === "asyncEnd")?.message;
      expect(waited).toMatchObject({ sessionId: session.id, mode: "realtime" });
      expect(waited?.requests).toBeGreaterThan(0);
    } finally {
      methods.stop();
      requests.stop();
      waits.stop();
    }
  });

  it("an error: `error` is published with the SDK's error, then asyncEnd", async () => {
    const methods = record<MethodTraceMessage>(PUFFLE_CHANNELS.method);
    try {
      await client()
        .getSession("not-a-uuid")
        .catch(() => undefined);
      expect(methods.events.map((e) => e.event)).toEqual([
        "start",
        "end",
        "error",
        "asyncStart",
        "asyncEnd",
      ]);
      const error = methods.events[2]?.message.error as Error;
      expect(error.name).toBe("RequestValidationError");
    } finally {
      methods.stop();
    }
  });
});

describe("when nothing subscribes", () => {
  it("builds no message and publishes nothing", async () => {
    expect(tracingChannel(PUFFLE_CHANNELS.method).hasSubscribers).toBe(false);
    let built = 0;
    const value = await traced(
      "method",
      () => {
        built += 1;
        return { method: "x" };
      },
      async (m) => (m === undefined ? "untraced" : "traced"),
    );
    expect(value).toBe("untraced");
    expect(built).toBe(0);
    // With a subscriber the same call is traced (so the check above can fail).
    const methods = record<MethodTraceMessage>(PUFFLE_CHANNELS.method);
    try {
      const again = await traced(
        "method",
        () => ({ method: "x" }),
        async (m) => m?.method,
      );
      expect(again).toBe("x");
    } finally {
      methods.stop();
    }
  });
});
