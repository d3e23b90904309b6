/**
 * ChatStreamEvent: the SDK's own event model for a Puffle chat or example run.
 *
 * Puffle does not document what its Trigger.dev tasks stream. The SDK defines this discriminated
 * union; the emulator emits its `chat` stream chunks in exactly this shape (every member but
 * `unknown`), and {@link subscribeToChat} derives `status`, `completed` and `failed` from run
 * updates when a run has no `chat` stream. Anything that does not match is passed through as an
 * `unknown` event, never dropped and never thrown.
 *
 * @module
 */

/**
 * A run status as the official Trigger.dev client names it (after mapping the database value),
 * or any other string a newer server may send.
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

/** The error a failed run reports (`error` column of the run feed), kept as sent. */
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

/** The run moved to a new status. */
export interface ChatStatusEvent {
  type: "status";
  /** The mapped run status. */
  status: RunStatus;
}

/** A piece of the assistant's reply, in order; concatenating every `text` gives the reply. */
export interface ChatDeltaEvent {
  type: "delta";
  text: string;
}

/** The task produced a new skeleton (the structure of the email). */
export interface ChatSkeletonEvent {
  type: "skeleton";
  /** The skeleton as the task wrote it to the session. */
  skeleton: Record<string, unknown>;
  /** The session's `framework_version` after this revision, when known. */
  framework_version?: number;
}

/** The task rewrote the draft. */
export interface ChatDraftEvent {
  type: "draft";
  subject: string;
  body: string;
}

/** An example run wrote one per-lead sample email. */
export interface ChatExampleEvent {
  type: "example";
  example: { lead_id?: string | null; subject: string; body: string; [key: string]: unknown };
}

/** The run completed successfully; `output` is the run's output, when it has one. */
export interface ChatCompletedEvent {
  type: "completed";
  output?: unknown;
}

/** The run failed, crashed, was cancelled or timed out. */
export interface ChatFailedEvent {
  type: "failed";
  status: RunStatus;
  error?: RunErrorInfo;
}

/** A chunk the SDK does not recognise, passed through untouched. */
export interface ChatUnknownEvent {
  type: "unknown";
  raw: unknown;
}

/** Every event {@link subscribeToChat} yields. Switch on `type`. */
export type ChatStreamEvent =
  | ChatStatusEvent
  | ChatDeltaEvent
  | ChatSkeletonEvent
  | ChatDraftEvent
  | ChatExampleEvent
  | ChatCompletedEvent
  | ChatFailedEvent
  | ChatUnknownEvent;

/** The chunks a `chat` stream carries on the wire: every event but `unknown`. */
export type ChatStreamChunk = Exclude<ChatStreamEvent, ChatUnknownEvent>;

/** The name of the Trigger.dev stream on which Puffle runs (and the emulator) send chat chunks. */
export const CHAT_STREAM_KEY = "chat";
