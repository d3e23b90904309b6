import type { EmulatorContext } from "./context";
import { BASE_HEADERS } from "./http";
import { authorizeRun } from "./realtime-auth";
import type { RunState, StreamRecord } from "./runs";

/**
 * `GET /realtime/v1/streams/{runId}/{streamKey}`: a run's stream as server-sent events, in v1
 * framing (`id:` + `data:` lines) or v2 framing (`event: batch` with S2-style records), chosen by
 * the run's `streamVersion` and announced in `X-Stream-Version`. Honours `Last-Event-ID`, sends
 * `: ping` keep-alives and ends when the run is finished and every record was sent.
 *
 * @module
 */

function startIndex(run: RunState, lastEventId: string | null): number {
  if (!lastEventId) return 0;
  if (run.streamVersion === "v2") {
    const seq = Number.parseInt(lastEventId, 10);
    return Number.isFinite(seq) ? Math.max(0, seq) : 0;
  }
  const exact = run.records.findIndex((r) => r.v1Id === lastEventId);
  if (exact >= 0) return exact + 1;
  const seq = Number.parseInt(lastEventId.split("-")[1] ?? "", 10);
  return Number.isFinite(seq) ? Math.max(0, seq) : 0;
}

function frame(run: RunState, records: readonly StreamRecord[]): string {
  if (run.streamVersion === "v2") {
    const batch = records.map((r) => ({
      seq_num: r.seq,
      timestamp: r.timestamp,
      headers: [],
      body: JSON.stringify({ id: r.recordId, data: r.chunk }),
    }));
    return `event: batch\ndata: ${JSON.stringify({ records: batch })}\n\n`;
  }
  return records.map((r) => `id: ${r.v1Id}\ndata: ${JSON.stringify(r.chunk)}\n\n`).join("");
}

/** Handle one request of a run stream. */
export function runStream(
  ctx: EmulatorContext,
  request: Request,
  runId: string,
  streamKey: string,
): Response {
  const run = authorizeRun(ctx, request, runId);
  if (run instanceof Response) return run;
  const known = Array.isArray(run.metadata.$$streams) && run.metadata.$$streams.includes(streamKey);
  const encoder = new TextEncoder();
  let next = startIndex(run, request.headers.get("last-event-id"));
  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed by the consumer
        }
      };
      const flush = () => {
        if (closed) return;
        const records = known ? run.records.slice(next) : [];
        if (records.length > 0) {
          next += records.length;
          controller.enqueue(encoder.encode(frame(run, records)));
        }
        if (run.streamClosed && (!known || next >= run.records.length)) close();
      };
      const ping = setInterval(() => {
        if (!closed) controller.enqueue(encoder.encode(": ping\n\n"));
      }, ctx.settings.pingIntervalMs);
      ping.unref?.();
      const unlisten = ctx.runs.listen(run, flush);
      const unregister = ctx.onShutdown(close);
      cleanup = () => {
        clearInterval(ping);
        unlisten();
        request.signal.removeEventListener("abort", close);
        unregister();
      };
      request.signal.addEventListener("abort", close, { once: true });
      controller.enqueue(encoder.encode(": connected\n\n"));
      flush();
      if (request.signal.aborted) close();
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, {
    status: 200,
    headers: {
      ...BASE_HEADERS,
      "content-type": "text/event-stream",
      "x-stream-version": run.streamVersion,
    },
  });
}
