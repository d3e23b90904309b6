import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ChatStreamEvent,
  isRealtimeError,
  subscribeToChat,
  toChatEvent,
} from "../../src/realtime/index";
import { type FeedServer, startFeedServer } from "./fixtures/feed-server";
import { collectError, serialise } from "./fixtures/run-conformance";

const SKELETON = { subject: "Intro for %first_name%", body: "Hi %first_name%, &&hook&&" };
const DRAFT = { subject: "Quick question, %first_name%", body: "Hi %first_name%, ..." };

async function collect(iterable: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

function reply(events: ChatStreamEvent[]): string {
  return events.map((e) => (e.type === "delta" ? e.text : "")).join("");
}

describe("subscribeToChat (fixture)", () => {
  let feed: FeedServer;
  beforeAll(async () => {
    feed = await startFeedServer({ holdMs: 500, pingMs: 100 });
  });
  afterAll(async () => {
    await feed.close();
  });

  for (const framing of ["v1", "v2"] as const) {
    it(`yields a turn's events in order over ${framing} framing and ends after completed`, async () => {
      const run = feed.createRun({ framing });
      const words = ["Happy", "to", "help,", "who", "is", "the", "audience?"];
      const play = feed.playTurn(run, {
        words,
        skeleton: SKELETON,
        draft: DRAFT,
        output: { ok: true },
        stepMs: 30,
      });
      const events = await collect(
        subscribeToChat({
          runId: run.runId,
          publicAccessToken: run.token,
          triggerBaseURL: feed.url,
        }),
      );
      await play;
      const types = events.map((e) => e.type);
      expect(types[0]).toBe("status");
      expect(types.at(-1)).toBe("completed");
      expect(types.filter((t) => t === "completed")).toHaveLength(1);
      expect(reply(events)).toBe(words.join(" "));
      const order = ["delta", "skeleton", "draft", "unknown", "completed"].map((t) =>
        types.indexOf(t as never),
      );
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(types.lastIndexOf("delta")).toBeLessThan(types.indexOf("skeleton"));
      expect(events.find((e) => e.type === "skeleton")).toEqual({
        type: "skeleton",
        skeleton: SKELETON,
        framework_version: 1,
      });
      expect(events.find((e) => e.type === "draft")).toEqual({ type: "draft", ...DRAFT });
      expect(events.find((e) => e.type === "unknown")).toEqual({
        type: "unknown",
        raw: { type: "mystery", value: 1 },
      });
      expect(events.at(-1)).toEqual({ type: "completed", output: { ok: true } });
      const statuses = events.flatMap((e) => (e.type === "status" ? [e.status] : []));
      expect(statuses).toContain("EXECUTING");
      expect(new Set(statuses).size).toBe(statuses.length);
    });
  }

  it("de-duplicates v2 records re-delivered by the server", async () => {
    const run = feed.createRun({ framing: "v2", duplicateRecords: true });
    const words = ["one", "two", "three", "four"];
    const play = feed.playTurn(run, { words, stepMs: 25 });
    const events = await collect(
      subscribeToChat({ runId: run.runId, publicAccessToken: run.token, triggerBaseURL: feed.url }),
    );
    await play;
    expect(reply(events)).toBe("one two three four");
  });

  for (const framing of ["v1", "v2"] as const) {
    it(`resumes with Last-Event-ID after a dropped ${framing} connection, losing nothing`, async () => {
      const run = feed.createRun({ framing, dropStreamAfter: 2 });
      const words = ["a", "b", "c", "d", "e", "f"];
      const play = feed.playTurn(run, { words, stepMs: 25 });
      const events = await collect(
        subscribeToChat({
          runId: run.runId,
          publicAccessToken: run.token,
          triggerBaseURL: feed.url,
        }),
      );
      await play;
      expect(reply(events)).toBe("a b c d e f");
      const streamRequests = feed.requests.filter((r) =>
        r.path.includes(`/streams/${run.runId}/chat`),
      );
      expect(streamRequests.length).toBeGreaterThanOrEqual(2);
      expect(streamRequests[0]?.headers["last-event-id"]).toBeUndefined();
      expect(streamRequests[1]?.headers["last-event-id"]).toBeDefined();
      expect(streamRequests[0]?.headers.accept).toBe("text/event-stream");
      expect(streamRequests[0]?.headers.authorization).toBe(`Bearer ${run.token}`);
    });
  }

  it("ends with failed carrying the run's status and error", async () => {
    const run = feed.createRun();
    const play = feed.playTurn(run, {
      words: ["hm"],
      fail: { message: "model timeout" },
      stepMs: 20,
    });
    const events = await collect(
      subscribeToChat({ runId: run.runId, publicAccessToken: run.token, triggerBaseURL: feed.url }),
    );
    await play;
    const last = events.at(-1);
    expect(last?.type).toBe("failed");
    expect(last).toMatchObject({
      type: "failed",
      status: "FAILED",
      error: { message: "model timeout" },
    });
    expect(events.filter((e) => e.type === "failed" || e.type === "completed")).toHaveLength(1);
  });

  it("derives events from run metadata when the run has no stream", async () => {
    const run = feed.createRun();
    const play = feed.playTurn(run, {
      words: ["ignored"],
      skeleton: SKELETON,
      draft: DRAFT,
      output: { reply: "done" },
      stream: false,
      stepMs: 30,
    });
    const events = await collect(
      subscribeToChat({ runId: run.runId, publicAccessToken: run.token, triggerBaseURL: feed.url }),
    );
    await play;
    expect(events.filter((e) => e.type !== "status")).toEqual([
      { type: "skeleton", skeleton: SKELETON, framework_version: 1 },
      { type: "draft", ...DRAFT },
      { type: "completed", output: { reply: "done" } },
    ]);
    expect(events[0]?.type).toBe("status");
    expect(feed.requests.some((r) => r.path.includes(`/streams/${run.runId}/`))).toBe(false);
  });

  it("fails with a typed unauthorized error on an expired token (feed 401)", async () => {
    const run = feed.createRun();
    const error = await collectError(
      subscribeToChat({
        runId: run.runId,
        publicAccessToken: "tr_pat_expired_token_value",
        triggerBaseURL: feed.url,
      }),
    );
    expect(isRealtimeError(error, "unauthorized")).toBe(true);
    expect(serialise(error)).not.toContain("expired_token_value");
  });

  it("fails with a typed error when the stream answers 403", async () => {
    const run = feed.createRun();
    run.streamStatus = 403;
    const play = feed.playTurn(run, { words: ["x"], stepMs: 20 });
    const error = await collectError(
      subscribeToChat({ runId: run.runId, publicAccessToken: run.token, triggerBaseURL: feed.url }),
    );
    await play;
    expect(isRealtimeError(error, "forbidden")).toBe(true);
    expect((error as Error).message).toContain('realtime stream "chat"');
  });

  it("rejects with the abort reason at once and closes the stream connection", async () => {
    const run = feed.createRun();
    feed.update(run, {
      status: "EXECUTING",
      metadata: JSON.stringify({ $$streams: ["chat"] }),
      metadataType: "application/json",
    });
    feed.append(run, { type: "delta", text: "Hi" });
    const controller = new AbortController();
    const iterator = subscribeToChat({
      runId: run.runId,
      publicAccessToken: run.token,
      triggerBaseURL: feed.url,
      signal: controller.signal,
    })[Symbol.asyncIterator]();
    const seen: ChatStreamEvent[] = [];
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      seen.push(next.value);
      if (next.value.type === "delta") break;
    }
    expect(seen).toContainEqual({ type: "delta", text: "Hi" });
    const pending = iterator.next();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    await expect.poll(() => run.listeners.size).toBe(0);
  });
});

describe("subscribeToChat stream edge cases (fixture)", () => {
  let feed: FeedServer;
  beforeAll(async () => {
    feed = await startFeedServer({ holdMs: 300, pingMs: 50 });
  });
  afterAll(async () => {
    await feed.close();
  });

  const withStream = (run: ReturnType<FeedServer["createRun"]>) =>
    feed.update(run, {
      status: "EXECUTING",
      metadata: JSON.stringify({ $$streams: ["chat"] }),
      metadataType: "application/json",
    });

  it("counts a stream that stays open after the run completed as drained after drainTimeoutMs", async () => {
    const run = feed.createRun();
    withStream(run);
    feed.append(run, { type: "delta", text: "partial" });
    const events = subscribeToChat({
      runId: run.runId,
      publicAccessToken: run.token,
      triggerBaseURL: feed.url,
      drainTimeoutMs: 200,
    });
    const done = collect(events);
    await new Promise((r) => setTimeout(r, 100));
    feed.update(run, {
      status: "COMPLETED_SUCCESSFULLY",
      completedAt: "2025-01-01T00:00:01.000",
      output: JSON.stringify({ n: 1 }),
      outputType: "application/json",
    });
    const list = await done;
    expect(list.filter((e) => e.type !== "status")).toEqual([
      { type: "delta", text: "partial" },
      { type: "completed", output: { n: 1 } },
    ]);
  });

  it("reads the whole stream of a run that had already completed before subscribing", async () => {
    const run = feed.createRun({ framing: "v2" });
    await feed.playTurn(run, {
      words: ["all", "of", "it"],
      output: 7,
      stepMs: 1,
      waitForSubscriber: false,
    });
    const list = await collect(
      subscribeToChat({ runId: run.runId, publicAccessToken: run.token, triggerBaseURL: feed.url }),
    );
    expect(reply(list)).toBe("all of it");
    expect(list.at(-1)).toEqual({ type: "completed", output: 7 });
  });

  it("fails with a typed stalled error when the stream goes silent (no data, no pings)", async () => {
    const run = feed.createRun();
    run.noPings = true;
    withStream(run);
    const error = await collectError(
      subscribeToChat({
        runId: run.runId,
        publicAccessToken: run.token,
        triggerBaseURL: feed.url,
        stallTimeoutMs: 600,
      }),
    );
    expect(isRealtimeError(error, "stalled")).toBe(true);
    expect((error as Error).message).toContain('realtime stream "chat"');
  });

  it("keeps a quiet stream alive through pings", async () => {
    const run = feed.createRun();
    withStream(run);
    const done = collect(
      subscribeToChat({
        runId: run.runId,
        publicAccessToken: run.token,
        triggerBaseURL: feed.url,
        stallTimeoutMs: 1_000,
      }),
    );
    await new Promise((r) => setTimeout(r, 1_500));
    feed.append(run, { type: "delta", text: "late" });
    feed.append(run, { type: "completed" });
    feed.update(run, { status: "COMPLETED_SUCCESSFULLY", completedAt: "2025-01-01T00:00:02.000" });
    feed.endStream(run);
    const list = await done;
    expect(reply(list)).toBe("late");
    expect(list.at(-1)?.type).toBe("completed");
  });

  it("never repeats a status nor goes back to an earlier one when feed and stream disagree in timing", async () => {
    const run = feed.createRun();
    withStream(run);
    for (const status of ["QUEUED", "EXECUTING", "WAITING", "EXECUTING"]) {
      feed.append(run, { type: "status", status });
    }
    feed.append(run, { type: "completed" });
    feed.update(run, { status: "COMPLETED_SUCCESSFULLY", completedAt: "2025-01-01T00:00:02.000" });
    feed.endStream(run);
    const list = await collect(
      subscribeToChat({ runId: run.runId, publicAccessToken: run.token, triggerBaseURL: feed.url }),
    );
    const statuses = list.flatMap((e) => (e.type === "status" ? [e.status] : []));
    expect(statuses.at(-1)).toBe("COMPLETED");
    expect(statuses).not.toContain("QUEUED");
    for (let i = 1; i < statuses.length; i++) expect(statuses[i]).not.toBe(statuses[i - 1]);
    expect(list.at(-1)?.type).toBe("completed");
  });

  it("reads a custom streamKey", async () => {
    const run = feed.createRun();
    feed.update(run, { status: "EXECUTING", realtimeStreams: "{answers}" });
    feed.append(run, { type: "delta", text: "from answers" });
    feed.append(run, { type: "completed" });
    feed.update(run, { status: "COMPLETED_SUCCESSFULLY", completedAt: "2025-01-01T00:00:02.000" });
    feed.endStream(run);
    const list = await collect(
      subscribeToChat({
        runId: run.runId,
        publicAccessToken: run.token,
        triggerBaseURL: feed.url,
        streamKey: "answers",
      }),
    );
    expect(reply(list)).toBe("from answers");
    expect(feed.requests.some((r) => r.path === `/realtime/v1/streams/${run.runId}/answers`)).toBe(
      true,
    );
  });
});

describe("toChatEvent", () => {
  it("types every documented chunk and passes anything else through as unknown", () => {
    const good = [
      { type: "status", status: "EXECUTING" },
      { type: "delta", text: "" },
      { type: "skeleton", skeleton: {} },
      { type: "skeleton", skeleton: { a: 1 }, framework_version: 3 },
      { type: "draft", subject: "s", body: "b" },
      { type: "example", example: { lead_id: null, subject: "s", body: "b" } },
      { type: "example", example: { subject: "s", body: "b", extra: 1 } },
      { type: "completed" },
      { type: "completed", output: [1] },
      { type: "failed", status: "CRASHED" },
      { type: "failed", status: "FAILED", error: { message: "m" } },
    ];
    for (const chunk of good) expect(toChatEvent(chunk)).toEqual(chunk);
    const bad = [
      null,
      "text",
      42,
      [],
      {},
      { type: "delta" },
      { type: "delta", text: 1 },
      { type: "skeleton", skeleton: [] },
      { type: "skeleton", skeleton: {}, framework_version: "2" },
      { type: "draft", subject: "s" },
      { type: "example", example: { subject: "s", body: "b", lead_id: 5 } },
      { type: "failed" },
      { type: "failed", status: "FAILED", error: "boom" },
      { type: "toString" },
      { type: "__proto__" },
    ];
    for (const raw of bad) expect(toChatEvent(raw)).toEqual({ type: "unknown", raw });
  });
});
