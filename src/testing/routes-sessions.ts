import type { EmulatorContext } from "./context";
import { fail, json } from "./http";
import { isUuid } from "./ids";
import type { CreateSessionInput, UpdateSessionInput } from "./request-schemas";
import { nowIso } from "./store";
import type { SessionRow, UserRow } from "./types";

/**
 * Route handlers of the plain session endpoints: create, list, get, update, delete.
 *
 * @module
 */

/** `POST /api/campaigns/ai-chat-sessions`: insert an empty session (201), its body already read. */
export function createSession(
  ctx: EmulatorContext,
  user: UserRow,
  body: CreateSessionInput,
): Response {
  const { campaign_id, node_id } = body;
  const campaign = ctx.store.campaigns.get(campaign_id);
  if (!campaign || campaign.user_id !== user.id) return fail(404, "Campaign not found");
  const node = ctx.store.nodes.get(node_id);
  if (!node || node.campaign_id !== campaign_id) return fail(404, "Node not found");
  const session = ctx.store.createSession(user.id, campaign_id, node_id);
  return json(201, { session });
}

/** `GET /api/campaigns/ai-chat-sessions?campaign_id=`: the caller's sessions, oldest first. */
export function listSessions(ctx: EmulatorContext, request: Request, user: UserRow): Response {
  const campaignId = new URL(request.url).searchParams.get("campaign_id");
  if (!campaignId) return fail(400, "campaign_id is required");
  if (!isUuid(campaignId)) return fail(400, "campaign_id must be a UUID");
  return json(200, { sessions: ctx.store.listSessions(user.id, campaignId) });
}

/** `GET /api/campaigns/ai-chat-sessions/{id}`. */
export function getSession(_ctx: EmulatorContext, session: SessionRow): Response {
  return json(200, { session });
}

/**
 * `PATCH /api/campaigns/ai-chat-sessions/{id}`: write only the writable keys present (no task
 * check). A new `skeleton` clears `generated_examples` unless the same body sets them. Its body
 * is already read.
 */
export function updateSession(session: SessionRow, body: UpdateSessionInput): Response {
  const row = session as Record<string, unknown>;
  for (const [key, value] of Object.entries(body))
    if (value !== undefined) row[key] = structuredClone(value);
  if ("skeleton" in body && !("generated_examples" in body)) session.generated_examples = null;
  session.updated_at = nowIso();
  return json(200, { session });
}

/** `DELETE /api/campaigns/ai-chat-sessions/{id}`: remove the row; a running task keeps running. */
export function deleteSession(ctx: EmulatorContext, session: SessionRow): Response {
  ctx.store.sessions.delete(session.id);
  return json(200, { success: true });
}
