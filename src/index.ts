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
export { PuffleClient } from "./client";
export { APIPromise, type APIResponse } from "./core/api-promise";
export {
  FinishSessionError,
  type FinishSessionRefusal,
  GenerateMessagesUnknownError,
  isFinishSessionError,
  isGenerateMessagesUnknownError,
} from "./core/campaign-errors";
export type {
  AiNode,
  Campaign,
  CampaignDetail,
  FinishSessionResult,
  FinishStep,
  FinishStepName,
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
} from "./core/campaign-types";
export * from "./core/errors/index";
export {
  type ChatOptions,
  type ClientOptions,
  DEFAULT_BASE_URL,
  DEFAULT_GENERATE_CONTENT_TIMEOUT_MS,
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_POLL,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_TRIGGER_BASE_URL,
  DEFAULT_WAIT_DEADLINE_MS,
  DEFAULT_WAIT_TIMEOUT_MS,
  type DispatchOptions,
  FAST_POLL,
  type FinishSessionOptions,
  type GenerateExamplesAndWaitOptions,
  type Logger,
  type LogLevel,
  type PollOptions,
  type RealtimeOptions,
  type RequestOptions,
  type WaitEvent,
  type WaitOptions,
} from "./core/options";
export { UUID_PATTERN } from "./core/schemas";
export type {
  ChatResult,
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
  WaitResult,
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
