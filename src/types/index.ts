/**
 * `puffle-chat/types`: every type of the client's requests, results and options, by name. Types
 * only: importing this entry adds no code to a bundle.
 *
 * The root entry (`puffle-chat`) exports the types most code names (`Session`, `RunHandle`,
 * `ClientOptions`, …); this entry has those and the smaller ones inside them, such as
 * `SkeletonBlock`, `TaskStatus` or `FinishStep`, for code that passes such a part around.
 *
 * @example
 * ```ts
 * import type { Session, SkeletonBlock } from "puffle-chat/types";
 * const named = (session: Session): SkeletonBlock[] =>
 *   session.skeleton?.blocks?.filter((block) => block.name !== undefined) ?? [];
 * ```
 *
 * @module
 */

export type { APIResponse } from "../core/api-promise";
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
  SequenceNode,
  SequenceNodeInput,
  SequenceNodePatch,
  UpdateCampaignParams,
  UpdateGeneratedMessageParams,
} from "../core/campaign-types";
export type {
  AdvancePlan,
  AdvanceReason,
  AdvanceResult,
  AdvanceSessionOptions,
  ComposeContext,
  DispatchIntent,
  DispatchStore,
  DraftAnswers,
  DraftCampaignOptions,
  DraftCampaignResult,
  DraftNodeResult,
  DraftProgressEvent,
} from "../core/draft-types";
export type {
  ChatOptions,
  ClientOptions,
  DispatchOptions,
  FinishSessionOptions,
  GenerateExamplesAndWaitOptions,
  Logger,
  LogLevel,
  PollOptions,
  RealtimeOptions,
  RequestOptions,
  WaitEvent,
  WaitOptions,
} from "../core/options";
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
} from "../core/types";
