import type { EmulatorContext } from "./context";
import type { ActiveFault } from "./faults";
import { fail, json } from "./http";
import { frameworkTurn } from "./llm";
import { claim, parseTurnBody, requestOverrides } from "./routes-tasks";
import { TaskCancelled } from "./scheduler";
import { nowIso } from "./store";
import { applyTurn } from "./tasks";
import type { CampaignRow, UserRow } from "./types";

/**
 * `POST /api/campaigns/{campaignId}/generate-content`: one synchronous framework turn on the one
 * session of (user, campaign, node), created on first use.
 *
 * @module
 */

/** Handle generate-content for the caller's `campaign`. */
export async function generateContent(
  ctx: EmulatorContext,
  request: Request,
  user: UserRow,
  campaign: CampaignRow,
  fault: ActiveFault | undefined,
): Promise<Response> {
  const campaignId = campaign.id;
  const input = await parseTurnBody(request, true);
  if (input instanceof Response) return input;
  if (campaign.status !== "draft") return fail(400, "Campaign must be a draft to generate content");
  const node = ctx.store.nodes.get(input.node_id ?? "");
  if (!node || node.campaign_id !== campaignId)
    return fail(400, "Node does not belong to this campaign");
  if (node.type !== "ai") return fail(400, 'Node must have type "ai"');

  const session =
    ctx.store.listSessions(user.id, campaignId).find((s) => s.node_id === node.id) ??
    ctx.store.createSession(user.id, campaignId, node.id);
  const busy = claim(session, "chat_processing");
  if (busy) return busy;
  if (fault?.kind === "dispatch500") {
    session.task_status = null;
    return fail(500, "Failed to run the chat turn. The session was released; retry.");
  }
  ctx.ledger.dispatches.push({
    operation: "generateContent",
    sessionId: session.id,
    runId: null,
    message: input.message,
    at: Date.now(),
  });
  const sampleLeads =
    input.sampleLeads ??
    ctx.store
      .campaignLeads(campaignId)
      .slice(0, 5)
      .map((l) => ({ ...l }));
  const history = [...(session.messages ?? [])];
  const skeleton = session.skeleton;
  session.messages = [...history, { role: "user", content: input.message }];
  try {
    const pause = ctx.scheduler.sleep(
      requestOverrides(ctx, request).durationMs,
      ctx.scheduler.epoch,
    );
    ctx.scheduler.track(pause);
    await pause;
  } catch (error) {
    if (error instanceof TaskCancelled) return fail(503, "Emulator closed");
    throw error;
  }
  const result = frameworkTurn({ ...input, sampleLeads, history, skeleton, nodeType: node.type });
  const skeletonUpdated = applyTurn(session, input, result);
  if (fault?.kind !== "stuckTaskStatus") session.task_status = null;
  session.updated_at = nowIso();
  return json(200, {
    session_id: session.id,
    assistant_message: result.reply,
    skeleton: session.skeleton,
    skeleton_updated: skeletonUpdated,
  });
}
