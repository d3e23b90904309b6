/**
 * `getOrCreateSession`: the session of a campaign node, the oldest existing one or a new one,
 * from the list and create declarations of resources/sessions.ts.
 *
 * @internal
 * @module
 */
import type { CreateSessionParams, Session } from "../core/types";
import type { CallOptions } from "../internal/http";
import type { CallContext } from "../resources/operation";
import { createSession, listSessions } from "../resources/sessions";
import { createLostRace } from "./classify";

/**
 * Lists first (cheap, no side effects); creates only when none exists; tolerates a server that
 * refuses a duplicate create (409) as well as one that allows it (it then returns the oldest, so
 * concurrent callers converge on one session). `options` carry one deadline for every call.
 */
export async function getOrCreateSession(
  ctx: CallContext,
  params: CreateSessionParams,
  options: CallOptions | undefined,
): Promise<Session> {
  const nodeId = params.node_id.toLowerCase();
  const find = async () =>
    (await listSessions(ctx, { campaignId: params.campaign_id }, options)).find(
      (s) => s.node_id.toLowerCase() === nodeId,
    );
  const existing = await find();
  if (existing) return existing;
  try {
    const created = await createSession(ctx, params, options);
    // A server that allows duplicates: whoever created first wins, so concurrent callers agree.
    return (await find()) ?? created;
  } catch (error) {
    if (!createLostRace(error)) throw error;
    const raced = await find();
    if (raced) return raced;
    throw error;
  }
}
