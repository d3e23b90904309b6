/**
 * Reader of one Trigger.dev realtime stream (`GET /realtime/v1/streams/{runId}/{key}`), both
 * framings, with resume.
 *
 * @module
 */

import { createParser, type EventSourceMessage } from "eventsource-parser";
import {
  RealtimeError,
  RealtimeProtocolError,
  RealtimeStalledError,
  RealtimeUnreachableError,
  redact,
  refusalError,
} from "./errors";
import { backoffDelay, createGuardedFetch, createStallTimer, sleep } from "./internal";
import { isRecord } from "./run-update";

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
  const read: StreamRead = {
    what: `realtime stream "${options.streamKey}"`,
    url: `${options.baseURL}/realtime/v1/streams/${encodeURIComponent(options.runId)}/${encodeURIComponent(options.streamKey)}`,
    remember: createSeen(),
    lastEventId: undefined,
    failures: 0,
    emptyWindows: 0,
    connections: 0,
  };
  while (!options.signal.aborted) {
    if ((await readConnection(options, read)) === "done") return;
  }
}

/** One read of a stream across its connections: where to resume, and the failures so far. */
interface StreamRead {
  what: string;
  url: string;
  /** False for an id already delivered (a replay after a reconnect). */
  remember: (id: string) => boolean;
  lastEventId: string | undefined;
  failures: number;
  emptyWindows: number;
  connections: number;
}

/** What one connection delivered. */
interface Window {
  records: number;
  framingError: Error | undefined;
}

/** The ids delivered, the newest {@link SEEN_CAP} of them. */
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

/** One connection, read to its end; "again" when the stream is to be read on. */
async function readConnection(
  options: ReadRealtimeStreamOptions,
  read: StreamRead,
): Promise<"done" | "again"> {
  const { signal } = options;
  read.connections += 1;
  const connection = new AbortController();
  const onAbort = () => connection.abort(signal.reason);
  signal.addEventListener("abort", onAbort, { once: true });
  let stalled = false;
  const stall = createStallTimer(options.stallTimeoutMs, () => {
    stalled = true;
    connection.abort();
  });
  const window: Window = { records: 0, framingError: undefined };
  const deliver = (id: string | undefined, chunk: unknown) => {
    if (id !== undefined && !read.remember(id)) return;
    // Progress is a record with a new id (or any record of the first connection): a server that
    // replays the same id-less body on every reconnect gets backed off like an empty one.
    if (id !== undefined || read.connections === 1) window.records += 1;
    options.onChunk(chunk);
  };
  try {
    stall.touch();
    const response = await connect(options, read, connection.signal, () => stall.touch());
    const v2 = (response.headers.get("x-stream-version") ?? "v1").trim().toLowerCase() === "v2";
    const onEvent = v2
      ? v2Handler(options.publicAccessToken, read, window, deliver, () => connection.abort())
      : v1Handler(read, deliver);
    const parser = createParser({ onEvent });
    await readBody(response.body, connection.signal, (value) => {
      stall.touch();
      parser.feed(value);
    });
    if (window.records > 0) read.failures = 0;
    if (!options.shouldReconnect()) return "done";
    read.emptyWindows = window.records > 0 ? 0 : read.emptyWindows + 1;
    if (read.emptyWindows > 0) await sleep(backoffDelay(Math.min(read.emptyWindows, 6)), signal);
    return "again";
  } catch (error) {
    if (signal.aborted) return "done";
    if (stalled) {
      const { runId, stallTimeoutMs } = options;
      throw new RealtimeStalledError({ runId, what: read.what, stallTimeoutMs });
    }
    return await connectionFailed(options, read, window, error);
  } finally {
    stall.stop();
    signal.removeEventListener("abort", onAbort);
    if (!connection.signal.aborted) connection.abort();
  }
}

/** Open the stream (resuming after `lastEventId`); a refusal or a missing body throws. */
async function connect(
  options: ReadRealtimeStreamOptions,
  read: StreamRead,
  signal: AbortSignal,
  onAnswer: () => void,
): Promise<Response & { body: ReadableStream<Uint8Array> }> {
  const { runId, publicAccessToken: token } = options;
  const { what } = read;
  const guarded = createGuardedFetch({
    fetch: options.fetch,
    runId,
    token,
    what,
    maxRetries: Math.max(0, options.maxRetries - read.failures),
    onExhausted: () => {},
    onAnswer,
  });
  const headers: Record<string, string> = {
    Accept: "text/event-stream",
    Authorization: `Bearer ${token}`,
  };
  if (read.lastEventId !== undefined) headers["Last-Event-ID"] = read.lastEventId;
  const response = await guarded(read.url, { headers, signal });
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw statusError(response.status, runId, what);
  }
  if (!response.body) {
    throw new RealtimeProtocolError({ runId, what, status: response.status, detail: "no body" });
  }
  return response as Response & { body: ReadableStream<Uint8Array> };
}

/** v1 framing: plain SSE, `data:` a JSON chunk, `id:` the resume position. */
function v1Handler(
  read: StreamRead,
  deliver: (id: string | undefined, chunk: unknown) => void,
): (event: EventSourceMessage) => void {
  return (event) => {
    if (event.id) read.lastEventId = event.id;
    deliver(event.id || undefined, safeJson(event.data));
  };
}

/** v2 framing: `event: batch` of records with `seq_num` (the resume position) and a body `{ id, data }`. */
function v2Handler(
  token: string,
  read: StreamRead,
  window: Window,
  deliver: (id: string | undefined, chunk: unknown) => void,
  abort: () => void,
): (event: EventSourceMessage) => void {
  return (event) => {
    if (event.event === "error") {
      window.framingError = new Error(`stream error event: ${redact(event.data, token)}`);
      abort();
      return;
    }
    if (event.event !== "batch") return;
    const batch = safeJson(event.data);
    if (!isRecord(batch) || !Array.isArray(batch.records)) return;
    for (const record of batch.records) {
      if (!isRecord(record)) continue;
      if (record.seq_num !== undefined) read.lastEventId = String(record.seq_num);
      // S2 command records (trim, fence) have one header with an empty name: not data.
      const first = Array.isArray(record.headers) ? record.headers[0] : undefined;
      if (Array.isArray(first) && first[0] === "") continue;
      const body = typeof record.body === "string" ? safeJson(record.body) : record.body;
      if (!isRecord(body) || !("data" in body)) continue;
      deliver(typeof body.id === "string" ? body.id : undefined, body.data);
    }
  };
}

/** A connection failed: typed errors end the read; others are retried, `maxRetries` in a row. */
async function connectionFailed(
  options: ReadRealtimeStreamOptions,
  read: StreamRead,
  window: Window,
  error: unknown,
): Promise<"done" | "again"> {
  if (error instanceof RealtimeError) throw error;
  if (window.records > 0) read.failures = 0;
  read.failures += 1;
  if (read.failures > options.maxRetries) {
    const last = window.framingError ?? error;
    throw new RealtimeUnreachableError({
      runId: options.runId,
      what: read.what,
      attempts: read.failures,
      last: redact(last instanceof Error ? last.message : String(last), options.publicAccessToken),
    });
  }
  try {
    await sleep(backoffDelay(read.failures), options.signal);
  } catch {
    return "done";
  }
  return "again";
}

/**
 * Read `body` as text until it ends, handing each decoded piece to `onText`. Aborting `signal`
 * cancels the reader, which settles a pending `read()`: undici 6 (Node 22) leaves it pending
 * forever when the fetch is aborted right after the last chunk, so aborting the request alone is
 * not enough. An aborted read rejects with the signal's reason; the stream is always cancelled
 * (never merely released) when it was not read to its end, so the connection is freed.
 * @internal
 */
export async function readBody(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
  onText: (text: string) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let finished = false;
  const cancel = () => {
    reader.cancel(signal.reason).catch(() => {});
  };
  signal.addEventListener("abort", cancel, { once: true });
  try {
    if (signal.aborted) throw signal.reason;
    for (;;) {
      const { done, value } = await reader.read();
      if (signal.aborted) throw signal.reason;
      if (done) {
        finished = true;
        return;
      }
      onText(decoder.decode(value, { stream: true }));
    }
  } finally {
    signal.removeEventListener("abort", cancel);
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
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
