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
 * This entry holds the client, its errors and the types most code names. The other entries:
 * `puffle-chat/template` (lint and render drafts offline), `puffle-chat/realtime` (follow a run
 * from a browser), `puffle-chat/react`, `puffle-chat/server` (a chat route for your backend),
 * `puffle-chat/testing` (the emulator), and two of types only: `puffle-chat/types` (every type of
 * the client by name) and `puffle-chat/openapi` (the generated OpenAPI types).
 *
 * @module
 */

export { PuffleClient } from "./client";
export {
  APIError,
  type APIErrorByStatus,
  type APIErrorInit,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InsufficientCreditsError,
  InternalServerError,
  isAPIError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  SessionBusyError,
  SkeletonRequiredError,
  UnprocessableEntityError,
} from "./core/api-errors";
export { APIPromise, type APIResponse } from "./core/api-promise";
export type {
  Campaign,
  CampaignDetail,
  FinishSessionResult,
  GeneratedMessage,
  GenerateMessagesParams,
  GenerateMessagesResult,
  ListGeneratedMessagesQuery,
  SequenceNode,
  SequenceNodePatch,
  UpdateCampaignParams,
  UpdateGeneratedMessageParams,
} from "./core/campaign-types";
export {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  DispatchUnknownError,
  FinishSessionError,
  type FinishSessionRefusal,
  GenerateMessagesUnknownError,
  isPuffleError,
  PuffleError,
  RequestValidationError,
  ResponseValidationError,
  TaskFailedError,
  type ValidationIssue,
  WaitTimeoutError,
} from "./core/errors";
export {
  type ChatOptions,
  type ClientOptions,
  DEFAULT_POLL,
  type DispatchOptions,
  FAST_POLL,
  type FinishSessionOptions,
  type PollOptions,
  type RequestOptions,
  type WaitEvent,
  type WaitOptions,
} from "./core/options";
export type {
  ChatResult,
  CreateSessionParams,
  GenerateContentParams,
  GenerateContentResult,
  GeneratedExample,
  GenerateExamplesParams,
  Lead,
  Message,
  RunHandle,
  Session,
  Skeleton,
  TurnParams,
  UpdateSessionParams,
  WaitResult,
} from "./core/types";
export { VERSION } from "./version";
