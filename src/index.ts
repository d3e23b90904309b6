/**
 * `puffle-chat`: the typed SDK for Puffle's campaign AI chat sessions.
 *
 * @example
 * ```ts
 * import { PuffleClient } from "puffle-chat";
 * const puffle = new PuffleClient(); // PUFFLE_API_KEY from the environment
 * const session = await puffle.getOrCreateSession({ campaign_id, node_id });
 * const turn = await puffle.chat(session.id, { message: "Intro email for VPs of Sales" });
 * ```
 *
 * @module
 */

export type { components, operations, paths } from "../generated/openapi";
export {
  FinishSessionError,
  type FinishSessionRefusal,
  GenerateMessagesUnknownError,
  isFinishSessionError,
  isGenerateMessagesUnknownError,
} from "./campaigns/errors";
export type {
  FinishSessionOptions,
  FinishSessionResult,
  FinishStep,
  FinishStepName,
} from "./campaigns/finish";
export type {
  AiNode,
  Campaign,
  CampaignDetail,
  GeneratedMessage,
  GenerateMessagesParams,
  GenerateMessagesResult,
  ListGeneratedMessagesQuery,
  ResolveMessagesResult,
  SequenceNode,
  SequenceNodeInput,
  SequenceNodePatch,
  UpdateCampaignParams,
  UpdateGeneratedMessageParams,
} from "./campaigns/types";
export { type DispatchOptions, PuffleClient } from "./client";
export { APIPromise, type APIResponse } from "./core/api-promise";
export * from "./core/errors/index";
export type { RequestOptions } from "./core/http";
export type { Logger, LogLevel } from "./core/log";
export {
  type ClientOptions,
  DEFAULT_BASE_URL,
  DEFAULT_GENERATE_CONTENT_TIMEOUT_MS,
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_TRIGGER_BASE_URL,
  type RealtimeOptions,
} from "./core/options";
export { UUID_PATTERN } from "./core/schemas";
export type {
  ContentLead,
  CreateSessionParams,
  DispatchedRun,
  GenerateContentParams,
  GenerateContentResult,
  GeneratedExample,
  GenerateExamplesParams,
  Lead,
  Message,
  ReconciledRun,
  RunHandle,
  SequenceContext,
  Session,
  Skeleton,
  SkeletonBlock,
  SkeletonPersonalization,
  TaskStatus,
  TurnParams,
  UpdateSessionParams,
  WithRequestID,
  WithUnknownKeys,
} from "./core/types";
export {
  isRealtimeError,
  RealtimeError,
  type RealtimeErrorKind,
} from "./realtime/errors";
export type { ChatStreamEvent, RunErrorInfo, RunStatus } from "./realtime/events";
export type { RunTransport } from "./realtime/options";
export type { RunUpdate } from "./realtime/run-update";
export * from "./template/index";
export { VERSION } from "./version";
export type { ChatOptions, ChatResult, GenerateExamplesAndWaitOptions } from "./wait/chat";
export { DEFAULT_POLL, FAST_POLL, type PollOptions } from "./wait/schedule";
export {
  DEFAULT_WAIT_DEADLINE_MS,
  DEFAULT_WAIT_TIMEOUT_MS,
  type WaitEvent,
  type WaitOptions,
  type WaitResult,
} from "./wait/wait-for-idle";
