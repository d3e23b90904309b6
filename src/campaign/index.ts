/**
 * `puffle-chat/campaign`: the parts of the campaign driver a script or a job engine uses beside
 * `puffle.draftCampaign` and `puffle.advanceSession`: the dispatch stores (a JSON file for scripts
 * and the command line, one in memory), the pure planner those methods decide with, and the error
 * `draftCampaign` refuses with. Node only (`createFileStore` uses `node:fs`).
 *
 * @example
 * ```ts
 * import { PuffleClient } from "puffle-chat";
 * import { createFileStore } from "puffle-chat/campaign";
 * const puffle = new PuffleClient();
 * const result = await puffle.draftCampaign(campaignId, { brief: "Q3 outreach to VPs of Sales", store: createFileStore("state.json") });
 * ```
 *
 * @module
 */

export { DraftCampaignError, type DraftCampaignRefusal } from "../core/draft-errors";
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
export { createMemoryStore } from "../lib/memory-store";
export {
  draftDone,
  matchTranscript,
  type NextAction,
  type PlanInput,
  planNext,
  type Transcript,
} from "../lib/plan-next";
export { createFileStore } from "./file-store";
