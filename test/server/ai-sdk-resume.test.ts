/**
 * protocol "ai-sdk": resume (`GET {route}/{id}/stream`) and stop, with the stock `Chat` of each AI
 * SDK line over the route (fetch wired to the handler) and the emulator over real HTTP. A stop ends
 * the stream only: the turn goes on at Puffle (the ledger and the session say so), and a resume
 * replays it to its end, in realtime on the server that dispatched it, by polling on another.
 */

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { PuffleClient } from "../../src/index";
import { createChatRoute } from "../../src/server/index";
import type { ListeningEmulator } from "../../src/testing/index";
import { type ChatLike, LINES } from "./ai-sdk-lines";
import { emulatedPuffle } from "./helpers";

type Part = { type: string; text?: string; data?: Record<string, unknown> };
type Message = ChatLike["messages"][number];

const lastParts = (messages: readonly Message[]): Part[] => {
  const last = messages.at(-1);
  expect(last?.role).toBe("assistant");
  return (last?.parts ?? []) as Part[];
};
const textOf = (messages: readonly Message[]) =>
  lastParts(messages)
    .filter((p) => p.type === "text")
    .map((p) => p.text)
    .join("");
const runPart = (messages: readonly Message[]) =>
  lastParts(messages).find((p) => p.type === "data-run")?.data;

/**
 * The route's realtime requests (run feed, chat stream) that are still open: counted through
 * `globalThis.fetch`, which the route's realtime reads use, from the request until its body ends,
 * fails or is cancelled.
 */
const openFeeds = new Set<object>();
const realFetch = globalThis.fetch;
async function trackingFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = input instanceof Request ? input.url : String(input);
  if (!url.includes("/realtime/v1/")) return realFetch(input, init);
  const token = {};
  openFeeds.add(token);
  try {
    const response = await realFetch(input, init);
    if (!response.body) {
      openFeeds.delete(token);
      return response;
    }
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            openFeeds.delete(token);
            controller.close();
          } else controller.enqueue(value);
        } catch (error) {
          openFeeds.delete(token);
          controller.error(error);
        }
      },
      cancel(reason) {
        openFeeds.delete(token);
        return reader.cancel(reason);
      },
    });
    return new Response(body, response);
  } catch (error) {
    openFeeds.delete(token);
    throw error;
  }
}
beforeAll(() => {
  globalThis.fetch = trackingFetch;
});
afterAll(() => {
  globalThis.fetch = realFetch;
});

describe.each(LINES)("resume and stop with the stock Chat of $line", ({ chat: chatOf }) => {
  let server: ListeningEmulator;
  let client: PuffleClient;
  let sessionId: string;
  const requests: string[] = [];

  beforeAll(async () => {
    // Long enough turns to stop and reload in the middle of one.
    ({ server, client, sessionId } = await emulatedPuffle({
      taskDurationMs: 4_000,
      liveHoldMs: 200,
    }));
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(async () => {
    await server.emulator.finishTasks();
  });

  const routeOf = () => createChatRoute({ client, authorize: () => true, protocol: "ai-sdk" });
  const chatOver = (handler: (request: Request) => Promise<Response>) =>
    chatOf(sessionId, (url, init) => {
      requests.push(`${init?.method ?? "GET"} ${String(url)}`);
      return handler(new Request(url, init));
    });

  it("answers 204 when the session is idle: nothing to resume", async () => {
    const chat = chatOver(routeOf());
    await chat.resumeStream();
    expect(chat.status).toBe("ready");
    expect(chat.messages).toHaveLength(0);
    expect(requests.at(-1)).toBe(`GET http://app.test/api/chat/${sessionId}/stream`);
  });

  it("stop ends the stream, not the turn; a resume on the same route replays it in realtime", async () => {
    const route = routeOf();
    const first = chatOver(route);
    const sending = first.sendMessage({ text: "We sell payroll software to clinics." });
    await vi.waitFor(() => expect(textOf(first.messages)).not.toBe(""), { timeout: 20_000 });
    expect(runPart(first.messages)).toMatchObject({ onStop: "continues" });
    expect(String(runPart(first.messages)?.notice)).toMatch(/does not stop the turn/);
    expect(openFeeds.size).toBeGreaterThan(0); // the route follows the run
    await first.stop();
    await sending;
    expect(first.status).toBe("ready");
    // The route dropped its subscription; the turn goes on at Puffle's side.
    await expect.poll(() => openFeeds.size, { timeout: 10_000 }).toBe(0);
    expect((await client.getSession(sessionId)).task_status).toBe("chat_processing");

    const reloaded = chatOver(route); // a reload: a new page, no messages
    await reloaded.resumeStream();
    expect(reloaded.status).toBe("ready");
    const session = await client.getSession(sessionId);
    expect(session.task_status).toBeNull();
    expect(textOf(reloaded.messages)).toBe(session.messages?.at(-1)?.content);
    expect(runPart(reloaded.messages)).toMatchObject({ status: "idle", via: "realtime" });
    expect(server.emulator.ledger.turns(sessionId)).toBe(1);
  });

  it("a resume on another server instance (no run remembered) polls the session to the end", async () => {
    const first = chatOver(routeOf());
    const sending = first.sendMessage({ text: "Mention the clinic's payroll errors." });
    await vi.waitFor(() => expect(runPart(first.messages)).toBeDefined(), { timeout: 20_000 });
    await first.stop();
    await sending;

    const elsewhere = chatOver(routeOf());
    await elsewhere.resumeStream();
    expect(elsewhere.error).toBeUndefined();
    const session = await client.getSession(sessionId);
    expect(textOf(elsewhere.messages)).toBe(session.messages?.at(-1)?.content);
    expect(runPart(elsewhere.messages)).toMatchObject({ status: "idle", via: "poll", runId: null });
    const draft = lastParts(elsewhere.messages).find((p) => p.type === "data-draft")?.data;
    expect(draft).toMatchObject({ subject: session.draft_subject, body: session.draft_body });
    expect(server.emulator.ledger.turns(sessionId)).toBe(2);
  });

  it("never follows a stale run: a turn sent elsewhere after a stop is polled, with its own reply", async () => {
    const route = routeOf();
    const first = chatOver(route);
    const sending = first.sendMessage({ text: "A turn this route remembers." });
    await vi.waitFor(() => expect(runPart(first.messages)).toBeDefined(), { timeout: 20_000 });
    await first.stop();
    await sending;
    await server.emulator.finishTasks(); // that turn ends unseen by the route
    await client.runTurn(sessionId, { message: "A turn sent from another tab." });

    const reloaded = chatOver(route);
    await reloaded.resumeStream();
    expect(reloaded.error).toBeUndefined();
    const session = await client.getSession(sessionId);
    expect(session.messages?.at(-2)?.content).toBe("A turn sent from another tab.");
    expect(textOf(reloaded.messages)).toBe(session.messages?.at(-1)?.content);
    expect(runPart(reloaded.messages)).toMatchObject({ status: "idle", via: "poll" });
  });
});
