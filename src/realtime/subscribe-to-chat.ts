/**
 * subscribeToChat: the typed {@link ChatStreamEvent}s of one Puffle chat or example run.
 *
 * @module
 */

import { checkRealtimeOptions, RUN_KEYS } from "./check-options";
import { toChatEvent } from "./chunks";
import { RealtimeProtocolError } from "./errors";
import {
  CHAT_STREAM_KEY,
  type ChatCompletedEvent,
  type ChatFailedEvent,
  type ChatStreamEvent,
} from "./events";
import { type Channel, createChannel, createStallTimer, resolveFetch } from "./internal";
import { DEFAULT_TRIGGER_BASE_URL, type RunTransport, type SubscribeToRunOptions } from "./options";
import { readRealtimeStream } from "./read-stream";
import { isRecord, type RunUpdate, streamsOf } from "./run-update";
import { DEFAULT_MAX_RETRIES, DEFAULT_STALL_TIMEOUT_MS, subscribeToRun } from "./subscribe-to-run";

/**
 * Default of {@link SubscribeToChatOptions.drainTimeoutMs}.
 *
 * @example
 * ```ts
 * subscribeToChat({ runId, publicAccessToken, drainTimeoutMs: DEFAULT_DRAIN_TIMEOUT_MS * 2 });
 * ```
 */
export const DEFAULT_DRAIN_TIMEOUT_MS = 3_000;

/**
 * Options of {@link subscribeToChat}: those of {@link subscribeToRun} plus the stream to read.
 *
 * @example
 * ```ts
 * const options: SubscribeToChatOptions = { runId, publicAccessToken, streamKey: "chat" };
 * ```
 */
export interface SubscribeToChatOptions extends SubscribeToRunOptions {
  /** The realtime stream carrying chat chunks. Default `"chat"`. */
  streamKey?: string | undefined;
  /**
   * How run updates are obtained. Default {@link subscribeToRun} (browser-safe). Any function of
   * this shape works, such as one over `@trigger.dev/sdk` in Node.
   */
  runTransport?: RunTransport | undefined;
  /**
   * After the run has completed, how long the stream may stay silent (no chunk) before it counts
   * as drained, when the server neither closes it nor sends a `completed`/`failed` chunk.
   * Default `3_000`.
   */
  drainTimeoutMs?: number | undefined;
}

/**
 * Follow a Puffle chat (or example) run and yield its events in order: `status` on every status
 * change; `delta`, `skeleton`, `draft` and `example` events from the run's `chat` stream; and,
 * last, exactly one `completed` (with the run's output) or `failed` (with the run's status and
 * error) once the run has finished and the stream is drained. Then iteration ends.
 *
 * The run feed is read with `runTransport` (default {@link subscribeToRun}). When the run lists
 * the stream (`metadata.$$streams` or `realtimeStreams`), `GET
 * {triggerBaseURL}/realtime/v1/streams/{runId}/{streamKey}` is read as server-sent events in
 * either framing (`X-Stream-Version` v1 or v2), resuming with `Last-Event-ID` after a dropped
 * connection. Chunks that match a {@link ChatStreamEvent} shape are yielded typed; anything else as
 * `{ type: "unknown", raw }`. Stream `completed`/`failed` chunks are folded into the final event.
 * Statuses come from both the feed and the stream; a status is yielded only when it differs from
 * the previous one and does not go back to an earlier stage (queued → dequeued → executing or
 * waiting → finished).
 * Without a stream, events are derived from run updates: `skeleton`, `framework_version`,
 * `draft_subject`/`draft_body` (or `draft: { subject, body }`) and `generated_examples`/`examples`
 * found in the run's metadata, and at the end in its output. Consecutive identical `status`,
 * `skeleton` and `draft` events and repeated examples are not yielded twice.
 *
 * Wrong options throw a {@link RealtimeOptionsError} from this call, before anything is sent.
 * Errors and cancellation are those of {@link subscribeToRun} (typed {@link RealtimeError}s; the
 * stream's 401/403/404 and stalls too); aborting `signal` rejects the pending `next()` with
 * `signal.reason` and closes every connection.
 *
 * @example
 * ```ts
 * import { subscribeToChat } from "puffle-chat/realtime";
 *
 * let reply = "";
 * for await (const event of subscribeToChat({ runId, publicAccessToken, signal })) {
 *   switch (event.type) {
 *     case "status": showStatus(event.status); break;
 *     case "delta": reply += event.text; showReply(reply); break;
 *     case "draft": showDraft(event.subject, event.body); break;
 *     case "completed": done(event.output); break;
 *     case "failed": showError(event.error?.message ?? event.status); break;
 *   }
 * }
 * ```
 */
export function subscribeToChat(options: SubscribeToChatOptions): AsyncIterable<ChatStreamEvent> {
  checkRealtimeOptions("subscribeToChat", options);
  return { [Symbol.asyncIterator]: () => startChat(options) };
}

function startChat(options: SubscribeToChatOptions): AsyncIterableIterator<ChatStreamEvent> {
  const streamKey = options.streamKey ?? CHAT_STREAM_KEY;
  const internal = new AbortController();
  const streamAbort = new AbortController();
  const drainMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
  const drain = createStallTimer(drainMs, () => streamAbort.abort());
  const channel = createChannel<ChatStreamEvent>(options.signal, () => {
    drain.stop();
    internal.abort();
    streamAbort.abort();
  });
  if (channel.closed) return channel.iterator;

  let stream: "none" | "open" | "drained" = "none";
  let streamTerminal: ChatCompletedEvent | ChatFailedEvent | undefined;
  let finalRun: RunUpdate | undefined;
  const emit = dedupedPush(channel);

  const finishIfDone = () => {
    if (channel.closed || !finalRun || stream === "open") return;
    const run = finalRun;
    if (stream === "none") for (const event of derive(run.output)) emit(event);
    emit(terminalEvent(run, streamTerminal));
    channel.end();
  };

  const startStream = () => {
    stream = "open";
    readRealtimeStream({
      baseURL: (options.triggerBaseURL ?? DEFAULT_TRIGGER_BASE_URL).replace(/\/+$/, ""),
      runId: options.runId,
      streamKey,
      publicAccessToken: options.publicAccessToken,
      fetch: resolveFetch(options.fetch),
      signal: streamAbort.signal,
      maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
      stallTimeoutMs: options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS,
      shouldReconnect: () => finalRun === undefined,
      onChunk: (chunk) => {
        if (channel.closed || streamTerminal) return;
        if (finalRun) drain.touch();
        const event = toChatEvent(chunk);
        if (event.type === "completed" || event.type === "failed") {
          streamTerminal = event;
          streamAbort.abort();
          return;
        }
        emit(event);
      },
    }).then(
      () => {
        drain.stop();
        stream = "drained";
        finishIfDone();
      },
      (error: unknown) => {
        drain.stop();
        if (!channel.closed && !internal.signal.aborted) channel.fail(error);
      },
    );
  };

  const onRun = (run: RunUpdate) => {
    emit({ type: "status", status: run.status });
    if (stream === "none" && streamsOf(run).includes(streamKey)) startStream();
    if (stream === "none") for (const event of derive(run.metadata)) emit(event);
    if (run.isCompleted) {
      finalRun = run;
      if (stream === "open") drain.touch();
      finishIfDone();
    }
  };

  void followRuns(options, internal.signal, channel, onRun);
  return channel.iterator;
}

/**
 * A push that drops what would repeat: the feed and the stream both report statuses, each in
 * order but not in step with the other, so a status is never repeated and never goes back to an
 * earlier stage of the lifecycle; identical consecutive skeletons and drafts, and examples already
 * seen, are dropped too.
 */
function dedupedPush(channel: Channel<ChatStreamEvent>): (event: ChatStreamEvent) => void {
  let lastStatus: string | undefined;
  let lastStage = -1;
  let lastSkeleton: string | undefined;
  let lastDraft: string | undefined;
  const examples = new Set<string>();
  return (event) => {
    switch (event.type) {
      case "status": {
        const stage = lifecycleStage(event.status);
        if (event.status === lastStatus || stage < lastStage) return;
        lastStatus = event.status;
        lastStage = stage;
        break;
      }
      case "skeleton": {
        const key = JSON.stringify(event.skeleton);
        if (key === lastSkeleton) return;
        lastSkeleton = key;
        break;
      }
      case "draft": {
        const key = JSON.stringify([event.subject, event.body]);
        if (key === lastDraft) return;
        lastDraft = key;
        break;
      }
      case "example": {
        const key = JSON.stringify(event.example);
        if (examples.has(key)) return;
        examples.add(key);
        break;
      }
    }
    channel.push(event);
  };
}

/** The last event: the run's outcome, completed from the stream's own terminal chunk. */
function terminalEvent(
  run: RunUpdate,
  streamTerminal: ChatCompletedEvent | ChatFailedEvent | undefined,
): ChatCompletedEvent | ChatFailedEvent {
  if (run.isSuccess) {
    const output = run.output !== undefined ? run.output : streamOutput(streamTerminal);
    return output === undefined ? { type: "completed" } : { type: "completed", output };
  }
  const error = run.error ?? (streamTerminal?.type === "failed" ? streamTerminal.error : undefined);
  return error === undefined
    ? { type: "failed", status: run.status }
    : { type: "failed", status: run.status, error };
}

/** Read the run feed until the run completes; a feed that ends before is a protocol error. */
async function followRuns(
  options: SubscribeToChatOptions,
  signal: AbortSignal,
  channel: Channel<ChatStreamEvent>,
  onRun: (run: RunUpdate) => void,
): Promise<void> {
  const transport = options.runTransport ?? subscribeToRun;
  // Only the run transport's own options: the chat's (streamKey, …) are not its business.
  const runOptions = Object.fromEntries(
    Object.entries(options).filter(([key]) => RUN_KEYS.includes(key)),
  ) as unknown as SubscribeToRunOptions;
  try {
    for await (const run of transport({ ...runOptions, signal })) {
      if (channel.closed) return;
      onRun(run);
      if (run.isCompleted) return;
    }
    if (!channel.closed) {
      channel.fail(
        new RealtimeProtocolError({
          runId: options.runId,
          what: "realtime run feed",
          detail: "the feed ended before the run completed",
        }),
      );
    }
  } catch (error) {
    if (!channel.closed && !signal.aborted) channel.fail(error);
  }
}

/** 0 queued, 1 dequeued, 2 executing or waiting, 3 finished. @internal */
function lifecycleStage(status: string): number {
  switch (status) {
    case "QUEUED":
    case "PENDING_VERSION":
    case "DELAYED":
      return 0;
    case "DEQUEUED":
      return 1;
    case "EXECUTING":
    case "WAITING":
      return 2;
    default:
      return 3;
  }
}

function streamOutput(event: ChatCompletedEvent | ChatFailedEvent | undefined): unknown {
  return event?.type === "completed" ? event.output : undefined;
}

/**
 * Events carried by a run's metadata or output when it has no chat stream.
 * @internal
 */
export function derive(source: unknown): ChatStreamEvent[] {
  if (!isRecord(source)) return [];
  const events: ChatStreamEvent[] = [];
  if (isRecord(source.skeleton)) {
    const version = source.framework_version;
    events.push(
      typeof version === "number"
        ? { type: "skeleton", skeleton: source.skeleton, framework_version: version }
        : { type: "skeleton", skeleton: source.skeleton },
    );
  }
  const draft = isRecord(source.draft) ? source.draft : undefined;
  const subject = draft ? draft.subject : source.draft_subject;
  const body = draft ? draft.body : source.draft_body;
  if (typeof subject === "string" && typeof body === "string") {
    events.push({ type: "draft", subject, body });
  }
  const list = Array.isArray(source.generated_examples)
    ? source.generated_examples
    : Array.isArray(source.examples)
      ? source.examples
      : [];
  for (const example of list) {
    if (
      isRecord(example) &&
      typeof example.subject === "string" &&
      typeof example.body === "string"
    ) {
      events.push({
        type: "example",
        example: example as { subject: string; body: string; [key: string]: unknown },
      });
    }
  }
  return events;
}
