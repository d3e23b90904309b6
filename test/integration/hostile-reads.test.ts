/**
 * Issue 17, item 8: what is read from a hostile server is capped while it is read, over real HTTP
 * (a loopback server streaming the answer in 1 MiB pieces and counting what it could write
 * before the reader hung up):
 *
 * - the SDK: a 600 MB session answer stops at `maxResponseBytes` (16 MiB) with a typed
 *   `ResponseValidationError` (it was buffered whole: +493 MB); on a paid dispatch the cut-off
 *   answer is a lost answer (reconciled, `dispatch: "unknown"`, never sent twice);
 * - the chat route: a 50 MB session is not passed through to the browser (the SDK stops reading
 *   it), and one over `maxSessionBytes` is refused with 502 `session_too_large`;
 * - the realtime feed: a 400 MB feed answer stops at 8 MB (it was read whole, then checked), and
 *   so does one endless SSE event of the chat stream.
 *
 * Memory figures are printed (indicative: the GC runs when it likes); the assertions are on the
 * bytes the server could write, which a reader that buffers first would make 600 MB.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DispatchUnknownError, PuffleClient, ResponseValidationError } from "../../src/index";
import { isRealtimeError, subscribeToRun } from "../../src/realtime/index";
import { readRealtimeStream } from "../../src/realtime/read-stream";
import { createChatRoute } from "../../src/server/index";
import { createEmulator, type ListeningEmulator } from "../../src/testing/index";
import { type HostileServer, peakGrowthMB, startHostileServer } from "../support/hostile-server";

const MB = 1024 * 1024;
let emulator: ListeningEmulator;
let sessionJSON: Record<string, unknown>;
let sessionId: string;
/** Size of the filler in the next session answer, by request path. */
let fillerBytes = 0;
let hostile: HostileServer;

beforeAll(async () => {
  emulator = await createEmulator({ taskDurationMs: 100 }).listen();
  const real = new PuffleClient({ apiKey: emulator.apiKey, baseURL: emulator.url, maxRetries: 0 });
  const { campaignId, nodeId } = emulator.emulator.demo;
  sessionId = (await real.getOrCreateSession({ campaign_id: campaignId, node_id: nodeId })).id;
  const res = await fetch(`${emulator.url}/api/campaigns/ai-chat-sessions/${sessionId}`, {
    headers: { authorization: `Bearer ${emulator.apiKey}` },
  });
  sessionJSON = ((await res.json()) as { session: Record<string, unknown> }).session;
  hostile = await startHostileServer((req) => {
    if (req.method === "POST") return { size: 600 * MB, head: '{"run_id":"run_1","x":"' };
    // A session whose one message is `fillerBytes` long: valid JSON once it is all read.
    const text = JSON.stringify({
      session: { ...sessionJSON, messages: [{ role: "user", content: "\u0000" }] },
    });
    const [head = "", tail = ""] = text.split("\\u0000");
    return { head, size: fillerBytes, tail };
  });
});
afterAll(async () => {
  await hostile?.close();
  await emulator?.close();
});

const hostileClient = (extra = {}) =>
  new PuffleClient({
    apiKey: "pk_live_hostile_test_key_0000000000",
    baseURL: hostile.url,
    maxRetries: 0,
    ...extra,
  });
const last = () => hostile.written.at(-1) as HostileServer["written"][number];

describe("the SDK reads at most maxResponseBytes of an answer", () => {
  it("a 600 MB session answer: ResponseValidationError at 16 MiB, the rest never downloaded", async () => {
    fillerBytes = 600 * MB;
    const { value: error, peakMB } = await peakGrowthMB(() =>
      hostileClient()
        .getSession(sessionId)
        .then(
          () => undefined,
          (e: unknown) => e,
        ),
    );
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).status).toBe(200);
    expect((error as Error).message).toMatch(
      /larger than 16777216 bytes, the client's maxResponseBytes/,
    );
    await expect.poll(() => last().closedEarly, { timeout: 10_000 }).toBe(true);
    console.info(
      `600 MB answer: the server wrote ${(last().bytes / MB).toFixed(1)} MiB before the SDK hung up; memory peak +${peakMB} MB`,
    );
    expect(last().bytes).toBeLessThan(64 * MB);
    expect(peakMB).toBeLessThan(300);
  });

  it("maxResponseBytes is configurable: a 2 MiB session passes with the default, fails under a 1 MiB cap", async () => {
    fillerBytes = 2 * MB;
    const session = await hostileClient().getSession(sessionId);
    expect(session.messages?.[0]?.content).toHaveLength(2 * MB);
    await expect(hostileClient({ maxResponseBytes: MB }).getSession(sessionId)).rejects.toThrow(
      /larger than 1048576 bytes/,
    );
    expect(() => hostileClient({ maxResponseBytes: 0 })).toThrow(
      /maxResponseBytes must be a whole number of bytes/,
    );
  });

  it("a paid dispatch whose answer is cut off is a lost answer: reconciled, unknown, sent once", async () => {
    fillerBytes = 0;
    const before = hostile.written.filter((w) => w.method === "POST").length;
    const error = await hostileClient()
      .runTurn(sessionId, { message: "hello" }, { reconcileTimeout: 300 })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(DispatchUnknownError);
    expect((error as DispatchUnknownError).dispatch).toBe("unknown");
    expect(hostile.written.filter((w) => w.method === "POST").length - before).toBe(1);
  });
});

describe("the chat route does not pass a huge session through to the browser", () => {
  const route = (extra = {}) => {
    const errors: unknown[] = [];
    const handler = createChatRoute({
      client: hostileClient(),
      authorize: () => true,
      onError: (e) => errors.push(e),
      ...extra,
    });
    const get = async () => {
      const res = await handler(new Request(`http://app.test/api/chat?sessionId=${sessionId}`));
      return { status: res.status, text: await res.text() };
    };
    return { get, errors };
  };

  it("a 50 MB session: 502, the browser gets a short answer, the SDK stopped reading at 16 MiB", async () => {
    fillerBytes = 50 * MB;
    const { get, errors } = route();
    const answer = await get();
    expect(answer.status).toBe(502);
    expect(answer.text.length).toBeLessThan(1_000);
    expect(errors).toHaveLength(1);
    await expect.poll(() => last().closedEarly, { timeout: 10_000 }).toBe(true);
    expect(last().bytes).toBeLessThan(40 * MB);
  });

  it("a 5 MiB session (readable, over maxSessionBytes): 502 session_too_large, onError told", async () => {
    fillerBytes = 5 * MB;
    const { get, errors } = route();
    const answer = await get();
    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.text).error.code).toBe("session_too_large");
    expect(errors).toHaveLength(1);
    const roomy = route({ maxSessionBytes: 8 * MB });
    expect((await roomy.get()).status).toBe(200);
  });
});

describe("the realtime entry checks its 8 MB limit while reading", () => {
  it("a 400 MB run feed answer: a protocol error at 8 MB, the rest never downloaded", async () => {
    const feed = await startHostileServer(() => ({
      head: '[{"headers":{"control":"up-to-date"},"x":"',
      size: 400 * MB,
      tail: '"}]',
      headers: { "electric-handle": "h", "electric-offset": "0_0", "electric-schema": "{}" },
    }));
    try {
      const { value: error, peakMB } = await peakGrowthMB(async () => {
        try {
          for await (const _ of subscribeToRun({
            runId: "run_1",
            publicAccessToken: "tr_pat_hostile0000000000",
            triggerBaseURL: feed.url,
            stallTimeoutMs: 0,
            maxRetries: 0,
          })) {
            // nothing arrives
          }
        } catch (e) {
          return e;
        }
        return undefined;
      });
      expect(isRealtimeError(error, "protocol")).toBe(true);
      expect((error as Error).message).toMatch(/more than 8000000 bytes/);
      const first = feed.written[0] as HostileServer["written"][number];
      await expect.poll(() => first.closedEarly, { timeout: 10_000 }).toBe(true);
      console.info(
        `400 MB feed answer: the server wrote ${(first.bytes / MB).toFixed(1)} MiB before the feed hung up; memory peak +${peakMB} MB`,
      );
      expect(first.bytes).toBeLessThan(40 * MB);
    } finally {
      await feed.close();
    }
  });

  it("an endless SSE event on the chat stream: a protocol error at 8 MB", async () => {
    const stream = await startHostileServer(() => ({
      head: "id: 1\ndata: ",
      size: 400 * MB,
      headers: { "content-type": "text/event-stream" },
    }));
    try {
      const error = await readRealtimeStream({
        baseURL: stream.url,
        runId: "run_1",
        streamKey: "chat",
        publicAccessToken: "tr_pat_hostile0000000000",
        fetch: globalThis.fetch,
        signal: new AbortController().signal,
        maxRetries: 0,
        stallTimeoutMs: 0,
        onChunk: () => {},
        shouldReconnect: () => false,
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isRealtimeError(error, "protocol")).toBe(true);
      expect((error as Error).message).toMatch(/an event of more than 8000000 characters/);
      const first = stream.written[0] as HostileServer["written"][number];
      await expect.poll(() => first.closedEarly, { timeout: 10_000 }).toBe(true);
      expect(first.bytes).toBeLessThan(40 * MB);
    } finally {
      await stream.close();
    }
  });
});
