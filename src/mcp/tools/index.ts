/**
 * Every tool, in `tools/list` order.
 *
 * @internal
 * @module
 */
import type { ToolDef } from "../tool";
import { draftCampaign } from "./draft-campaign";
import { finishSession } from "./finish-session";
import { generateExamples } from "./generate-examples";
import { getCampaign } from "./get-campaign";
import { getDraft } from "./get-draft";
import { sendTurn } from "./send-turn";
import { startSession } from "./start-session";
import { waitForIdle } from "./wait-for-idle";

// biome-ignore lint/suspicious/noExplicitAny: each tool's argument type is its own
export const TOOLS: readonly ToolDef<any, unknown>[] = [
  getCampaign,
  startSession,
  sendTurn,
  waitForIdle,
  getDraft,
  generateExamples,
  finishSession,
  draftCampaign,
];
