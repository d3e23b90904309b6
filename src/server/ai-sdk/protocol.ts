/**
 * The AI SDK's UI message stream protocol (`x-vercel-ai-ui-message-stream: v1`), written by hand:
 * `ai` is never imported here (it pulls classic zod, tens of KB).
 *
 * Only chunk types that exist in `ai` 5.0.0, each with only the fields 5.0.0 knows: the strict
 * patches (5.0.0-5.0.216, 6.0.0-6.0.230, 7.0.0-7.0.31) refuse an unknown top-level field, and
 * every line refuses an unknown chunk type. Extras travel in `messageMetadata` or `data-*` parts
 * (which is why `finish` goes without `finishReason`, a later addition).
 *
 * @internal
 * @module
 */

/** Every chunk the route writes; the field sets are exactly those of `ai` 5.0.0. */
export type UIChunk =
  | { type: "start"; messageId?: string; messageMetadata?: unknown }
  | { type: "start-step" }
  | { type: "finish-step" }
  | { type: "text-start"; id: string }
  | { type: "text-delta"; id: string; delta: string }
  | { type: "text-end"; id: string }
  | { type: `data-${string}`; id?: string; data: unknown }
  | { type: "error"; errorText: string }
  | { type: "finish"; messageMetadata?: unknown };

/** The answer headers of the protocol (the client does not read the protocol header; sent anyway). */
export const STREAM_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache",
  connection: "keep-alive",
  "x-vercel-ai-ui-message-stream": "v1",
  "x-accel-buffering": "no",
  "x-content-type-options": "nosniff",
};

const encoder = new TextEncoder();

/** One server-sent event per chunk. */
export function encodeChunk(chunk: UIChunk): Uint8Array {
  return encoder.encode(`data: ${JSON.stringify(chunk)}\n\n`);
}

/** The closing event. */
export const DONE: Uint8Array = encoder.encode("data: [DONE]\n\n");

/**
 * An SSE comment, sent while nothing else is (a long example run, a polled session), so that no
 * proxy closes an idle connection. Every AI SDK line parses the stream with `eventsource-parser`,
 * which skips comments.
 */
const PING: Uint8Array = encoder.encode(": ping\n\n");

/** How long the stream may stay silent before a {@link PING}, in ms. */
export const PING_INTERVAL_MS = 15_000;

/**
 * A writable end for chunks: `write` is a no-op once the reader has gone away (a stopped
 * `useChat`, a closed tab), so the code that follows the run never throws for it; `closed` says
 * so, and `signal` aborts then (the route drops its subscription with it).
 */
export interface ChunkSink {
  write(chunk: UIChunk): void;
  /** Write `[DONE]` and close. */
  end(): void;
  readonly closed: boolean;
  readonly signal: AbortSignal;
}

/**
 * A streaming `Response` whose body `produce` writes through a {@link ChunkSink}. Whatever
 * `produce` throws is its own business: it must write the `error` chunk itself; a throw that
 * escapes only closes the stream (never an unhandled rejection).
 */
export function streamResponse(
  produce: (sink: ChunkSink) => Promise<void>,
  headers: Record<string, string>,
  requestSignal: AbortSignal,
  pingIntervalMs = PING_INTERVAL_MS,
): Response {
  const gone = new AbortController();
  const onAbort = () => gone.abort(requestSignal.reason);
  if (requestSignal.aborted) onAbort();
  else requestSignal.addEventListener("abort", onAbort, { once: true });
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let silent = true;
  const ping = setInterval(() => {
    if (silent && !gone.signal.aborted) controller.enqueue(PING);
    silent = true;
  }, pingIntervalMs);
  gone.signal.addEventListener("abort", () => clearInterval(ping), { once: true });
  const sink: ChunkSink = {
    write(chunk) {
      if (gone.signal.aborted) return;
      silent = false;
      controller.enqueue(encodeChunk(chunk));
    },
    end() {
      if (gone.signal.aborted) return;
      controller.enqueue(DONE);
      controller.close();
      gone.abort("done");
    },
    get closed() {
      return gone.signal.aborted;
    },
    signal: gone.signal,
  };
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      void produce(sink)
        .catch(() => {})
        .finally(() => {
          requestSignal.removeEventListener("abort", onAbort);
          sink.end();
        });
    },
    cancel(reason) {
      gone.abort(reason ?? "cancelled");
    },
  });
  return new Response(body, { status: 200, headers: { ...STREAM_HEADERS, ...headers } });
}
