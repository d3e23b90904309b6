/**
 * `puffle-chat/realtime`: follow a Puffle run from a browser (or anywhere) with only its run id and
 * public access token. No API key, no HTTP client of the main entry, no `@trigger.dev/*`.
 *
 * @example
 * ```ts
 * import { subscribeToChat } from "puffle-chat/realtime";
 * for await (const event of subscribeToChat({ runId, publicAccessToken, signal })) render(event);
 * ```
 *
 * @module
 */

export { isPuffleError, PuffleError } from "../base/puffle-error";
export {
  ChatController,
  type ChatControllerOptions,
  type ChatState,
  type ChatStatus,
  createChatController,
} from "./chat-controller";
export { ChatControllerError } from "./chat-controller-error";
export type {
  ChatExample,
  ChatLintIssue,
  ChatLintReport,
  ChatMessage,
  ChatRouteAction,
  ChatRouteErrorBody,
  ChatRouteRequest,
  ChatRouteRun,
  ChatRouteSession,
  ChatSessionView,
} from "./chat-protocol";
export { toChatEvent } from "./chunks";
export {
  isRealtimeError,
  RealtimeError,
  type RealtimeErrorInit,
  type RealtimeErrorKind,
  RealtimeForbiddenError,
  RealtimeMissingDependencyError,
  RealtimeNotFoundError,
  RealtimeOptionsError,
  RealtimeProtocolError,
  RealtimeStalledError,
  RealtimeUnauthorizedError,
  RealtimeUnreachableError,
} from "./errors";
export {
  CHAT_STREAM_KEY,
  type ChatCompletedEvent,
  type ChatDeltaEvent,
  type ChatDraftEvent,
  type ChatExampleEvent,
  type ChatFailedEvent,
  type ChatSkeletonEvent,
  type ChatStatusEvent,
  type ChatStreamChunk,
  type ChatStreamEvent,
  type ChatUnknownEvent,
  type RunErrorInfo,
  type RunStatus,
} from "./events";
export {
  DEFAULT_TRIGGER_BASE_URL,
  type RunTransport,
  type SubscribeToRunOptions,
} from "./options";
export { mapRunStatus, type RunUpdate, streamsOf } from "./run-update";
export {
  DEFAULT_DRAIN_TIMEOUT_MS,
  type SubscribeToChatOptions,
  subscribeToChat,
} from "./subscribe-to-chat";
export { DEFAULT_MAX_RETRIES, DEFAULT_STALL_TIMEOUT_MS, subscribeToRun } from "./subscribe-to-run";
