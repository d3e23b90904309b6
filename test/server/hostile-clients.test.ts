/**
 * Issue 17, item 8: the chat route under hostile clients, over real HTTP (the route behind
 * `toNodeHandler` on a loopback node:http server, talking to the emulator) and by direct calls.
 *
 * - A 60 kB body nested 30 000 deep answers 400 before `authorize`, with no log line (it answered
 *   500 with an error line: anonymous log flooding).
 * - A browser that disconnects mid-upload is not reported to `onError` (it was, once per upload).
 * - A body that never ends answers 408 after `bodyTimeoutMs` (a direct call used to hang), and an
 *   aborted `request.signal` ends the read at once.
 */

import { createServer, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { PuffleClient } from "../../src/index";
import { type ChatRouteOptions, createChatRoute, toNodeHandler } from "../../src/server/index";
import { createEmulator, type ListeningEmulator } from "../../src/testing/index";

let emulator: ListeningEmulator;
let client: PuffleClient;
let sessionId: string;

beforeAll(async () => {
  emulator = await createEmulator({ taskDurationMs: 200, liveHoldMs: 200 }).listen();
  client = new PuffleClient({
    apiKey: emulator.apiKey,
    baseURL: emulator.url,
    triggerBaseURL: emulator.url,
    maxRetries: 0,
  });
  const { campaignId, nodeId } = emulator.emulator.demo;
  sessionId = (await client.getOrCreateSession({ campaign_id: campaignId, node_id: nodeId })).id;
});
afterAll(async () => {
  await emulator?.close();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await emulator.emulator.finishTasks();
});

/** A route whose `authorize` and `onError` calls are counted; `console.error` is watched too. */
function watchedRoute(extra: Partial<ChatRouteOptions> = {}) {
  const seen = { authorize: 0, onError: [] as unknown[], answers: [] as number[] };
  const consoleError = vi.spyOn(console, "error");
  const handler = createChatRoute({
    client,
    authorize: () => {
      seen.authorize += 1;
      return true;
    },
    onError: (error) => {
      seen.onError.push(error);
      console.error("onError", error);
    },
    ...extra,
  });
  const counted = async (request: Request) => {
    const response = await handler(request);
    seen.answers.push(response.status);
    return response;
  };
  return { handler: counted, seen, consoleError };
}

/** Serve `handler` through toNodeHandler on loopback; resolves with the URL and a closer. */
async function serve(handler: (r: Request) => Promise<Response>) {
  const server: Server = createServer(toNodeHandler(handler));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/chat`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const deep = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

describe("a body nested 30 000 deep", () => {
  const bodies: Array<[string, () => string]> = [
    ["as the whole body", () => deep(30_000)],
    ["as the action", () => `{"action":${deep(30_000)}}`],
    [
      "inside a lead",
      () => `{"action":"examples","sessionId":"${sessionId}","leads":[{"x":${deep(29_990)}}]}`,
    ],
  ];
  for (const [name, body] of bodies) {
    it(`${name}: 400 over real HTTP, before authorize, with no log line`, async () => {
      const { handler, seen, consoleError } = watchedRoute();
      const app = await serve(handler);
      try {
        const text = body();
        expect(text.length).toBeGreaterThan(59_000);
        expect(text.length).toBeLessThan(65_536);
        const res = await fetch(app.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: text,
        });
        const answer = (await res.json()) as { error: { code: string; message: string } };
        expect(res.status).toBe(400);
        expect(answer.error.code).toBe("invalid_request");
        expect(answer.error.message).toMatch(/deeper than 20 levels/);
        expect(seen.authorize).toBe(0);
        expect(seen.onError).toEqual([]);
        expect(consoleError).not.toHaveBeenCalled();
        expect(emulator.emulator.ledger.turns(sessionId)).toBe(0);
      } finally {
        await app.close();
      }
    });
  }

  it("a body nested 20 deep is still read (the limit is not off by one)", async () => {
    const { handler } = watchedRoute();
    const leads = `[{"a":${"[".repeat(17)}1${"]".repeat(17)}}]`; // body 1 + leads 1 + lead 1 + 17
    const res = await handler(
      new Request("http://app.test/api/chat", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: `{"action":"examples","sessionId":"${sessionId}","isFirstBatch":"no","leads":${leads}}`,
      }),
    );
    const answer = (await res.json()) as { error: { message: string } };
    expect(res.status).toBe(400);
    expect(answer.error.message).toMatch(/isFirstBatch must be true or false/);
  });
});

describe("a browser that disconnects mid-upload", () => {
  it("is not reported to onError (50 uploads cut off, 0 error lines), and its answers are 499", async () => {
    const { handler, seen, consoleError } = watchedRoute();
    const app = await serve(handler);
    const uploads = 50;
    try {
      await Promise.all(
        Array.from(
          { length: uploads },
          () =>
            new Promise<void>((resolve, reject) => {
              const socket = connect(app.port, "127.0.0.1", () => {
                socket.write(
                  "POST /api/chat HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n" +
                    "content-length: 2000\r\n\r\n" +
                    `{"action":"turn","sessionId":"${sessionId}","message":"hel`,
                );
                setTimeout(() => {
                  socket.destroy();
                  resolve();
                }, 50);
              });
              socket.on("error", reject);
            }),
        ),
      );
      await vi.waitFor(() => expect(seen.answers).toHaveLength(uploads), { timeout: 30_000 });
      expect(new Set(seen.answers)).toEqual(new Set([499]));
      expect(seen.onError).toEqual([]);
      expect(consoleError).not.toHaveBeenCalled();
      expect(seen.authorize).toBe(0);
      expect(emulator.emulator.ledger.turns(sessionId)).toBe(0);
    } finally {
      await app.close();
    }
  });

  it("a browser that leaves while the route waits on Puffle is not reported either", async () => {
    const { handler, seen } = watchedRoute({ onBusy: "wait" });
    const busy = await client.runTurn(sessionId, { message: "keep the session busy" });
    expect(busy.runId).toEqual(expect.any(String));
    const controller = new AbortController();
    const pending = handler(
      new Request("http://app.test/api/chat", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ action: "turn", sessionId, message: "second" }),
        signal: controller.signal,
      }),
    );
    setTimeout(() => controller.abort(), 50);
    const res = await pending;
    expect(res.status).toBe(499);
    expect(seen.onError).toEqual([]);
  });
});

describe("a body that never ends (direct calls)", () => {
  const never = () =>
    new Request("http://app.test/api/chat", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"action":"turn",'));
        },
      }),
      // @ts-expect-error Node's RequestInit needs duplex for a stream body
      duplex: "half",
    });

  /** `promise`, or a failure after `ms` (instead of hanging the test run). */
  const within = <T>(promise: Promise<T>, ms: number) =>
    Promise.race([
      promise,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms),
      ),
    ]);

  it("answers 408 after bodyTimeoutMs, not reported to onError", async () => {
    const { handler, seen } = watchedRoute({ bodyTimeoutMs: 300 });
    const started = Date.now();
    const res = await within(handler(never()), 10_000);
    const answer = (await res.json()) as { error: { code: string } };
    expect(res.status).toBe(408);
    expect(answer.error.code).toBe("request_timeout");
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(seen.onError).toEqual([]);
    expect(seen.authorize).toBe(0);
  });

  it("honours request.signal: an abort ends the read at once (499), long before the timeout", async () => {
    const { handler, seen } = watchedRoute();
    const controller = new AbortController();
    const request = new Request(never(), { signal: controller.signal });
    const pending = within(handler(request), 5_000);
    setTimeout(() => controller.abort(), 50);
    const res = await pending;
    expect(res.status).toBe(499);
    expect(seen.onError).toEqual([]);
  });

  it("over real HTTP, a slow upload that never finishes gets a 408", async () => {
    const { handler, seen } = watchedRoute({ bodyTimeoutMs: 400 });
    const app = await serve(handler);
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(app.port, "127.0.0.1", () => {
          socket.write(
            "POST /api/chat HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n" +
              "content-length: 5000\r\n\r\n{",
          );
          const drip = setInterval(() => socket.write(" "), 50);
          let text = "";
          socket.on("data", (chunk) => {
            text += chunk.toString();
            if (text.includes("\r\n\r\n") && text.includes("}")) {
              clearInterval(drip);
              socket.destroy();
              resolve(text);
            }
          });
          socket.on("close", () => clearInterval(drip));
        });
        socket.on("error", reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(answer).toContain("request_timeout");
      expect(seen.onError).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("refuses a bodyTimeoutMs or maxSessionBytes that is not a positive integer", () => {
    expect(() => createChatRoute({ client, authorize: () => true, bodyTimeoutMs: 0 })).toThrow(
      /bodyTimeoutMs must be a positive integer/,
    );
    expect(() =>
      createChatRoute({ client, authorize: () => true, maxSessionBytes: Number.NaN }),
    ).toThrow(/maxSessionBytes must be a positive integer/);
  });
});
