/**
 * A fetch body that ignores the request's abort (what undici 6, shipped with Node 22, does when a
 * fetch is aborted right after its last chunk: `reader.read()` stays pending forever). Ending a
 * realtime stream must still settle, because the reader is cancelled, not merely the request.
 */
import { describe, expect, it } from "vitest";
import { createGuardedFetch } from "../../src/realtime/internal";
import { readRealtimeStream } from "../../src/realtime/read-stream";

/** A fetch whose SSE body delivers `chunks`, then never closes and never errors. */
function stubbornFetch(chunks: string[]): { fetch: typeof fetch; cancelled: () => boolean } {
  let cancelled = false;
  const fetch: typeof globalThis.fetch = async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      },
      cancel() {
        cancelled = true;
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  };
  return { fetch, cancelled: () => cancelled };
}

describe("realtime stream reader and a body that ignores abort", () => {
  it("settles when the caller aborts after the last chunk, and cancels the body", async () => {
    const { fetch, cancelled } = stubbornFetch([
      'id: 1\ndata: {"type":"delta","text":"Hi"}\n\n',
      'id: 2\ndata: {"type":"completed"}\n\n',
    ]);
    const controller = new AbortController();
    const received: unknown[] = [];
    await readRealtimeStream({
      baseURL: "http://127.0.0.1:9",
      runId: "run_1",
      streamKey: "chat",
      publicAccessToken: "tok",
      fetch,
      signal: controller.signal,
      maxRetries: 0,
      stallTimeoutMs: 0,
      shouldReconnect: () => false,
      onChunk: (chunk) => {
        received.push(chunk);
        if ((chunk as { type?: string }).type === "completed") controller.abort();
      },
    });
    expect(received).toEqual([{ type: "delta", text: "Hi" }, { type: "completed" }]);
    expect(cancelled()).toBe(true);
  });

  it("turns a stall on such a body into a typed stalled error instead of hanging", async () => {
    const { fetch, cancelled } = stubbornFetch(['id: 1\ndata: {"type":"delta","text":"Hi"}\n\n']);
    const error = await readRealtimeStream({
      baseURL: "http://127.0.0.1:9",
      runId: "run_1",
      streamKey: "chat",
      publicAccessToken: "tok",
      fetch,
      signal: new AbortController().signal,
      maxRetries: 0,
      stallTimeoutMs: 200,
      shouldReconnect: () => false,
      onChunk: () => {},
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as { kind?: string } | undefined)?.kind).toBe("stalled");
    expect(cancelled()).toBe(true);
  });
});

describe("a fetch that resolves after its request was aborted (Bun does)", () => {
  it("cancels the unread body and rejects with the abort reason", async () => {
    let cancelled = false;
    const controller = new AbortController();
    const lateFetch: typeof fetch = async () => {
      controller.abort(new Error("caller went away"));
      const body = new ReadableStream<Uint8Array>({
        cancel() {
          cancelled = true;
        },
      });
      return new Response(body, { status: 200 });
    };
    const guarded = createGuardedFetch({
      fetch: lateFetch,
      runId: "run_1",
      token: "tok",
      what: "realtime run feed",
      maxRetries: 3,
      onExhausted: () => {},
    });
    await expect(guarded("http://127.0.0.1:9/x", { signal: controller.signal })).rejects.toThrow(
      "caller went away",
    );
    expect(cancelled).toBe(true);
  });
});
