/**
 * ChatStreamEvent: the SDK's own event model for a Puffle chat or example run.
 *
 * Puffle does not document what its Trigger.dev tasks stream. The SDK defines this discriminated
 * union; the emulator emits its `chat` stream chunks in exactly this shape (every member but
 * `unknown`), and `subscribeToChat` (puffle-chat/realtime) derives `status`, `completed` and `failed` from run
 * updates when a run has no `chat` stream. Anything that does not match is passed through as an
 * `unknown` event, never dropped and never thrown.
 *
 * @module
 */

/**
 * A run status as the official Trigger.dev client names it (after mapping the database value),
 * or any other string a newer server may send.
 *
 * @example
 * ```ts
 * const done = (s: RunStatus) => s === "COMPLETED" || s === "FAILED";
 * ```
 */
export type RunStatus =
  | "QUEUED"
  | "PENDING_VERSION"
  | "EXECUTING"
  | "WAITING"
  | "COMPLETED"
  | "FAILED"
  | "CANCELED"
  | "CRASHED"
  | "SYSTEM_FAILURE"
  | "EXPIRED"
  | "TIMED_OUT"
  | "DELAYED"
  | "DEQUEUED"
  | (string & {});

/**
 * The error a failed run reports (`error` column of the run feed), normalised as the official
 * client does: `name`, `message` and `stackTrace` for built-in errors, `{ message }` for string and
 * custom errors. Other keys a server or a stream chunk sends are kept.
 *
 * @example
 * ```ts
 * if (event.type === "failed") console.error(event.error?.message ?? event.status);
 * ```
 */
export interface RunErrorInfo {
  /** Error kind, for example `"BUILT_IN_ERROR"` or `"STRING_ERROR"`. */
  type?: string;
  /** Error name, when there is one. */
  name?: string;
  /** Human-readable message. */
  message?: string;
  /** Stack trace, when the task sent one. */
  stackTrace?: string;
  /** Any other key the server sends. */
  [key: string]: unknown;
}

/**
 * The run moved to a new status.
 *
 * @example
 * ```ts
 * if (event.type === "status") spinner.text = event.status;
 * ```
 */
export interface ChatStatusEvent {
  type: "status";
  /** The mapped run status. */
  status: RunStatus;
}

/**
 * A piece of the assistant's reply, in order; concatenating every `text` gives the reply.
 *
 * @example
 * ```ts
 * if (event.type === "delta") reply += event.text;
 * ```
 */
export interface ChatDeltaEvent {
  type: "delta";
  text: string;
}

/**
 * The task produced a new skeleton (the structure of the email).
 *
 * @example
 * ```ts
 * if (event.type === "skeleton") showSkeleton(event.skeleton, event.framework_version);
 * ```
 */
export interface ChatSkeletonEvent {
  type: "skeleton";
  /** The skeleton as the task wrote it to the session. */
  skeleton: Record<string, unknown>;
  /** The session's `framework_version` after this revision, when known. */
  framework_version?: number;
}

/**
 * The task rewrote the draft.
 *
 * @example
 * ```ts
 * if (event.type === "draft") editor.set(event.subject, event.body);
 * ```
 */
export interface ChatDraftEvent {
  type: "draft";
  subject: string;
  body: string;
}

/**
 * An example run wrote one per-lead sample email.
 *
 * @example
 * ```ts
 * if (event.type === "example") examples.push(event.example);
 * ```
 */
export interface ChatExampleEvent {
  type: "example";
  example: { lead_id?: string | null; subject: string; body: string; [key: string]: unknown };
}

/**
 * The run completed successfully; `output` is the run's output, when it has one.
 *
 * @example
 * ```ts
 * if (event.type === "completed") console.log("done", event.output);
 * ```
 */
export interface ChatCompletedEvent {
  type: "completed";
  output?: unknown;
}

/**
 * The run failed, crashed, was cancelled or timed out.
 *
 * @example
 * ```ts
 * if (event.type === "failed") console.error(event.status, event.error?.message);
 * ```
 */
export interface ChatFailedEvent {
  type: "failed";
  status: RunStatus;
  error?: RunErrorInfo;
}

/**
 * A chunk the SDK does not recognise, passed through untouched.
 *
 * @example
 * ```ts
 * if (event.type === "unknown") console.debug("unrecognised chunk", event.raw);
 * ```
 */
export interface ChatUnknownEvent {
  type: "unknown";
  raw: unknown;
}

/**
 * Every event `subscribeToChat` (puffle-chat/realtime) yields. Switch on `type`.
 *
 * @example
 * ```ts
 * for await (const event of subscribeToChat({ runId, publicAccessToken })) {
 *   if (event.type === "delta") process.stdout.write(event.text);
 * }
 * ```
 */
export type ChatStreamEvent =
  | ChatStatusEvent
  | ChatDeltaEvent
  | ChatSkeletonEvent
  | ChatDraftEvent
  | ChatExampleEvent
  | ChatCompletedEvent
  | ChatFailedEvent
  | ChatUnknownEvent;

/**
 * The chunks a `chat` stream carries on the wire: every event but `unknown`.
 */
export type ChatStreamChunk = Exclude<ChatStreamEvent, ChatUnknownEvent>;

/**
 * The name of the Trigger.dev stream on which Puffle runs (and the emulator) send chat chunks.
 *
 * @example
 * ```ts
 * subscribeToChat({ runId, publicAccessToken, streamKey: CHAT_STREAM_KEY });
 * ```
 */
export const CHAT_STREAM_KEY = "chat";
