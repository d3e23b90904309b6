/**
 * The scope checks every tool makes before it sends anything: `authorize` (HTTP), then the pinned
 * campaign (`--campaign`).
 *
 * @internal
 * @module
 */
import type { Session } from "../core/types";
import { refuse } from "./result";
import type { ToolContext } from "./tool";

/** A campaign the call may use: authorized, and the pinned one when one is pinned. */
export async function campaignInScope(ctx: ToolContext, campaignId: string): Promise<void> {
  await ctx.authorize({ campaignId });
  const pinned = ctx.settings.campaignId;
  if (pinned !== undefined && campaignId.toLowerCase() !== pinned) {
    refuse(
      "out_of_scope",
      `This server is pinned to campaign ${pinned}; campaign ${campaignId} is not reachable here.`,
      "work on the pinned campaign (leave campaign_id out).",
    );
  }
}

/**
 * A session the call may use, read: authorized first (before the read), then, with a pinned
 * campaign, refused unless it belongs to it.
 */
export async function sessionInScope(ctx: ToolContext, sessionId: string): Promise<Session> {
  await ctx.authorize({ sessionId });
  const session = await ctx.client.getSession(sessionId, { signal: ctx.signal });
  const pinned = ctx.settings.campaignId;
  if (pinned !== undefined && session.campaign_id.toLowerCase() !== pinned) {
    refuse(
      "out_of_scope",
      `Session ${sessionId} belongs to another campaign than the one this server is pinned to (${pinned}).`,
      "use a session of the pinned campaign: puffle_get_campaign lists them.",
    );
  }
  return session;
}
