/**
 * Reader of one Trigger.dev realtime stream (`GET /realtime/v1/streams/{runId}/{key}`), both
 * framings, with resume.
 *
 * @module
 */

import {
  RealtimeError,
  RealtimeProtocolError,
  RealtimeStalledError,
  RealtimeUnreachableError,
  redact,
  refusalError,
} from "./errors";
import { backoffDelay, createGuardedFetch, createStallTimer, sleep } from "./internal";
import { MAX_REALTIME_BYTES, readBody } from "./read-body";
import { isRecord } from "./run-update";
import { createSseParser, type SseEvent } from "./sse";

/**
 * Options of {@link readRealtimeStream}.
 *
 * @example
 * ```ts
 * const options: ReadRealtimeStreamOptions = { baseURL, runId, streamKey: "chat", publicAccessToken,
 *   fetch, signal, maxRetries: 5, stallTimeoutMs: 60_000, onChunk: console.log, shouldReconnect: () => true };
 * ```
 */
export interface ReadRealtimeStreamOptions {
  /** Trigger.dev API host, without a trailing slash. */
  baseURL: string;
  runId: string;
  streamKey: string;
  publicAccessToken: string;
  fetch: typeof fetch;
  /** Aborting it ends the read quietly (the promise resolves). */
  signal: AbortSignal;
  /** Retries of failed connections in a row before an `unreachable` error. */
  maxRetries: number;
  /** No byte (data or `: ping`) for this long → `stalled` error. `0` disables it. */
  stallTimeoutMs: number;
  /** Receives every data chunk, in order, de-duplicated. */
  onChunk: (chunk: unknown) => void;
  /**
   * Asked when the server closes the connection cleanly: `true` reconnects with `Last-Event-ID`
   * (the server ended a long-poll window), `false` ends the read (the stream is drained).
   */
  shouldReconnect: () => boolean;
}

const SEEN_CAP = 5_000;

/**
 * Read a realtime stream until it is drained or `signal` aborts. Selects the framing from the
 * `X-Stream-Version` answer header: v1 (absent or `v1`) is plain SSE whose `data:` lines are JSON
 * chunks and whose `id:` is the resume position; v2 sends `event: batch` lines whose records carry
 * `seq_num` (the resume position) and a JSON `body` `{ id, data }`, de-duplicated by `id`.
 * After a dropped connection it reconnects with `Last-Event-ID`.
 *
 * Rejects with a {@link RealtimeError}: 401 `unauthorized`, 403 `forbidden`, 404 `not_found`,
 * 400/409/410/422 and other 4xx `protocol`; connection failures past `maxRetries` `unreachable`;
 * silence past `stallTimeoutMs` `stalled`.
 *
 * @example
 * ```ts
 * await readRealtimeStream({
 *   baseURL: "https://api.trigger.dev", runId, streamKey: "chat", publicAccessToken,
 *   fetch, signal, maxRetries: 5, stallTimeoutMs: 60_000,
 *   onChunk: (chunk) => console.log(chunk), shouldReconnect: () => !runFinished,
 * });
 * ```
 */
export async function readRealtimeStream(options: ReadRealtimeStreamOptions): Promise<void> {
  const { runId, publicAccessToken: token, signal } = options;
  const what = `realtime stream "${options.streamKey}"`;
  const url = `${options.baseURL}/realtime/v1/streams/${encodeURIComponent(runId)}/${encodeURIComponent(options.streamKey)}`;
  const remember = createSeen();
  let lastEventId: string | undefined;
  let failures = 0;
  let emptyWindows = 0;
  let connections = 0;

  while (!signal.aborted) {
    connections += 1;
    const connection = new AbortController();
    const onAbort = () => connection.abort(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    let stalled = false;
    const stall = createStallTimer(options.stallTimeoutMs, () => {
      stalled = true;
      connection.abort();
    });
    let records = 0;
    let framingError: Error | undefined;
    const deliver = (id: string | undefined, chunk: unknown) => {
      if (id !== undefined && !remember(id)) return;
      // Progress is a record with a new id (or any record of the first connection): a server that
      // replays the same id-less body on every reconnect gets backed off like an empty one.
      if (id !== undefined || connections === 1) records += 1;
      options.onChunk(chunk);
    };
    try {
      stall.touch();
      const guarded = createGuardedFetch({
        fetch: options.fetch,
        runId,
        token,
        what,
        maxRetries: Math.max(0, options.maxRetries - failures),
        onExhausted: () => {},
        onAnswer: () => stall.touch(),
      });
      const headers = streamHeaders(token, lastEventId);
      const response = await connect(
        guarded(url, { headers, signal: connection.signal }),
        runId,
        what,
      );
      const v2 = (response.headers.get("x-stream-version") ?? "v1").trim().toLowerCase() === "v2";
      const onEvent = (event: SseEvent) => {
        if (!v2) {
          if (event.id) lastEventId = event.id;
          deliver(event.id || undefined, safeJson(event.data));
          return;
        }
        if (event.event === "error") {
          framingError = new Error(`stream error event: ${redact(event.data, token)}`);
          connection.abort();
          return;
        }
        if (event.event === "batch")
          readBatch(event.data, deliver, (seq) => {
            lastEventId = seq;
          });
      };
      const feed = boundedParser(onEvent, { runId, what, status: response.status });
      await readBody(response.body, connection.signal, (text) => {
        stall.touch();
        feed(text);
      });
      if (records > 0) failures = 0;
      if (!options.shouldReconnect()) return;
      emptyWindows = records > 0 ? 0 : emptyWindows + 1;
      if (emptyWindows > 0) await sleep(backoffDelay(Math.min(emptyWindows, 6)), signal);
    } catch (error) {
      if (signal.aborted) return;
      if (stalled)
        throw new RealtimeStalledError({ runId, what, stallTimeoutMs: options.stallTimeoutMs });
      if (error instanceof RealtimeError) throw error;
      failures = (records > 0 ? 0 : failures) + 1;
      if (failures > options.maxRetries) {
        const last = framingError ?? error;
        throw new RealtimeUnreachableError({
          runId,
          what,
          attempts: failures,
          last: redact(last instanceof Error ? last.message : String(last), token),
        });
      }
      try {
        await sleep(backoffDelay(failures), signal);
      } catch {
        return;
      }
    } finally {
      stall.stop();
      signal.removeEventListener("abort", onAbort);
      if (!connection.signal.aborted) connection.abort();
    }
  }
}

/** An SSE parser whose events past {@link MAX_REALTIME_BYTES} are a `protocol` error. */
function boundedParser(
  onEvent: (event: SseEvent) => void,
  init: { runId: string; what: string; status: number },
): (text: string) => void {
  const feed = createSseParser(onEvent, MAX_REALTIME_BYTES);
  return (text) => {
    try {
      feed(text);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      throw new RealtimeProtocolError({ ...init, detail: error.message });
    }
  };
}

/** The ids delivered, the newest {@link SEEN_CAP} of them: false for one already delivered. */
function createSeen(): (id: string) => boolean {
  const seen = new Set<string>();
  return (id) => {
    if (seen.has(id)) return false;
    seen.add(id);
    if (seen.size > SEEN_CAP) {
      const oldest = seen.values().next().value;
      if (oldest !== undefined) seen.delete(oldest);
    }
    return true;
  };
}

/** The stream request's headers: SSE, the token, and where to resume. */
function streamHeaders(token: string, lastEventId: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: "text/event-stream",
    Authorization: `Bearer ${token}`,
  };
  if (lastEventId !== undefined) headers["Last-Event-ID"] = lastEventId;
  return headers;
}

/** The stream's answer, with a body; a refusal or a missing body throws. */
async function connect(
  answer: Promise<Response>,
  runId: string,
  what: string,
): Promise<Response & { body: ReadableStream<Uint8Array> }> {
  const response = await answer;
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw statusError(response.status, runId, what);
  }
  if (!response.body) {
    throw new RealtimeProtocolError({ runId, what, status: response.status, detail: "no body" });
  }
  return response as Response & { body: ReadableStream<Uint8Array> };
}

/** A v2 `batch` event: records with `seq_num` (the resume position) and a body `{ id, data }`. */
function readBatch(
  data: string,
  deliver: (id: string | undefined, chunk: unknown) => void,
  resumeAt: (seq: string) => void,
): void {
  const batch = safeJson(data);
  if (!isRecord(batch) || !Array.isArray(batch.records)) return;
  for (const record of batch.records) {
    if (!isRecord(record)) continue;
    if (record.seq_num !== undefined) resumeAt(String(record.seq_num));
    // S2 command records (trim, fence) have one header with an empty name: not data.
    const first = Array.isArray(record.headers) ? record.headers[0] : undefined;
    if (Array.isArray(first) && first[0] === "") continue;
    const body = typeof record.body === "string" ? safeJson(record.body) : record.body;
    if (!isRecord(body) || !("data" in body)) continue;
    deliver(typeof body.id === "string" ? body.id : undefined, body.data);
  }
}

function statusError(status: number, runId: string, what: string): RealtimeError {
  const init = { runId, what, status };
  return refusalError(init) ?? new RealtimeProtocolError({ ...init, detail: `HTTP ${status}` });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
