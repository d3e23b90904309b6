/**
 * The `data-*` parts and the message metadata a chat route with `protocol: "ai-sdk"` streams, as
 * types for `useChat<UIMessage<PuffleMessageMetadata, PuffleDataParts>>`. Types only.
 *
 * @module
 */

import type { ChatExample, ChatLintReport } from "../../realtime/chat-protocol";
import type { RunStatus } from "../../realtime/events";

/**
 * The `data-run` part (id `run`, updated in place): where the run is. `onStop: "continues"` and
 * `notice` say, from the first chunk on, that stopping the stream (the stock `stop()`, a closed
 * tab) does not stop the turn: Puffle has no cancel, and once the request is aborted nothing more
 * can be written to it.
 *
 * @example
 * ```ts
 * const run = message.parts.find((p) => p.type === "data-run")?.data as PuffleRunData | undefined;
 * if (run?.status === "running") showSpinner(run.notice);
 * ```
 */
export interface PuffleRunData {
  sessionId: string;
  /** The Trigger.dev run (`run_…`); `null` when the route follows the session by polling. */
  runId: string | null;
  kind: "turn" | "examples";
  /** `queued` → `running` → `idle`, or `failed` (an `error` chunk follows). */
  status: "queued" | "running" | "idle" | "failed";
  /** The run's own status (Trigger.dev's name), when the feed told it. */
  runStatus: RunStatus | null;
  /** How the route follows the run: its realtime feed, or polling the session. */
  via: "realtime" | "poll";
  onStop: "continues";
  notice: string;
}

/**
 * The `data-draft` part (id `draft`): the draft as the run streams it (`lint: null`), then the
 * session's draft with its lint report once the run settles.
 *
 * @example
 * ```ts
 * if (draft?.lint && !draft.lint.ok) showIssues(draft.lint.issues);
 * ```
 */
export interface PuffleDraftData {
  subject: string;
  body: string;
  lint: ChatLintReport | null;
}

/**
 * The `data-examples` part (id `examples`) of an example run: the examples so far, then the
 * session's.
 *
 * @example
 * ```ts
 * for (const e of examples?.examples ?? []) console.log(e.subject);
 * ```
 */
export interface PuffleExamplesData {
  examples: ChatExample[];
}

/**
 * The `data-skeleton` part (id `skeleton`): a new skeleton the turn wrote.
 *
 * @example
 * ```ts
 * if (skeleton) console.log(skeleton.framework_version);
 * ```
 */
export interface PuffleSkeletonData {
  skeleton: Record<string, unknown>;
  framework_version: number | null;
}

/**
 * The data parts by name, for the AI SDK's `UIMessage<Metadata, DataParts>`.
 *
 * @example
 * ```ts
 * type PuffleUIMessage = UIMessage<PuffleMessageMetadata, PuffleDataParts>;
 * ```
 */
export interface PuffleDataParts {
  run: PuffleRunData;
  draft: PuffleDraftData;
  examples: PuffleExamplesData;
  skeleton: PuffleSkeletonData;
  // An index signature, as the AI SDK's `UIDataTypes` requires.
  [name: string]: unknown;
}

/**
 * The assistant message's metadata: set by `start`, completed by `finish` (`status: "idle"`).
 *
 * @example
 * ```ts
 * const { sessionId, runId } = message.metadata as PuffleMessageMetadata;
 * ```
 */
export interface PuffleMessageMetadata {
  sessionId: string;
  runId: string | null;
  status?: "idle";
}
