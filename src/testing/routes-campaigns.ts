import type { EmulatorContext } from "./context";
import { fail, json } from "./http";
import { isUuid, randomUuid } from "./ids";
import { renderExample } from "./llm-render";
import { leadName, normaliseName } from "./names";
import {
  type GenerateMessagesInput,
  parseBody,
  SequenceNodePatchBody,
  type UpdateCampaignInput,
  type UpdateMessageInput,
} from "./request-schemas";
import { TaskCancelled } from "./scheduler";
import { nowIso } from "./store";
import type { CampaignRow, GeneratedMessageRow, LeadRow, NodeRow, UserRow } from "./types";

/**
 * Route handlers of the campaign routes that finish the flow (docs/architecture.md, "Campaign
 * routes and `finishSession`"): get and patch a campaign, put one sequence node, resolve /
 * generate_ai, list and edit generated messages. Documented rules are enforced as documented;
 * where the docs are silent the choice is marked "inferred" and, where it matters, is a setting
 * (see `EmulatorSettings`). The router has checked that the campaign is the caller's.
 *
 * @module
 */

/** A fixed creation time for seeded rows, so answers are deterministic. */
export const SEED_TIME = "2026-01-01T00:00:00.000Z";

/** Which node types each content field applies to (PUT node field table, UN). */
const APPLIES: Record<string, readonly string[]> = {
  subject: ["email"],
  body: ["email", "message", "connection_request"],
  include_message: ["connection_request"],
  is_reply: ["email"],
  delay_days: ["delay"],
  delay_hours: ["delay"],
  delay_minutes: ["delay"],
  // Newer sample keys; their applicability is not in the table [inferred: email only].
  body_html: ["email"],
  signature: ["email"],
  from_name: ["email"],
  reply_to: ["email"],
  cc: ["email"],
  bcc: ["email"],
  attachments: ["email"],
};

const SENDABLE_NON_AI = new Set(["email", "message", "connection_request"]);
const MAX_DELAY_MINUTES = 30 * 24 * 60;

/** The campaign as the API sends it. */
export function campaignView(campaign: CampaignRow): Record<string, unknown> {
  return {
    id: campaign.id,
    user_id: campaign.user_id,
    type: campaign.type,
    name: campaign.name,
    status: campaign.status,
    daily_limit: campaign.daily_limit ?? null,
    stop_on_reply: campaign.stop_on_reply ?? null,
    open_tracking: campaign.open_tracking ?? null,
    signature: campaign.signature ?? null,
    skip_other_campaigns: campaign.skip_other_campaigns ?? null,
    operating_hours: structuredClone(campaign.operating_hours ?? null),
    stats: null,
    created_at: campaign.created_at ?? SEED_TIME,
    updated_at: campaign.updated_at ?? campaign.created_at ?? SEED_TIME,
    sender_accounts: [],
  };
}

/** A node as the API sends it: content keys of its type, `ai_node` flattened (`null` off AI). */
export function nodeView(node: NodeRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: node.id,
    campaign_id: node.campaign_id,
    position: node.position,
    type: node.type,
  };
  for (const [key, types] of Object.entries(APPLIES)) {
    const value = (node as unknown as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = structuredClone(value);
    else if (types.includes(node.type) && (key === "subject" || key === "body")) out[key] = "";
  }
  out.ai_node = node.type === "ai" ? structuredClone(node.ai_node ?? null) : null;
  return out;
}

/**
 * The caller's campaign `campaignId`: the row, or the 400 / 404 answer (the 400 names the id as
 * `idName`: generate-content says "campaignId", the other routes "Campaign id").
 */
export function ownedCampaign(
  ctx: EmulatorContext,
  user: UserRow,
  campaignId: string,
  idName = "Campaign id",
): CampaignRow | Response {
  if (!isUuid(campaignId)) return fail(400, `${idName} must be a UUID`);
  return ctx.store.ownedCampaign(campaignId, user.id) ?? fail(404, "Campaign not found");
}

/** `GET /api/campaigns/{id}` of the caller's `campaign`. */
export function getCampaign(ctx: EmulatorContext, campaign: CampaignRow): Response {
  const byStatus: Record<string, number> = {};
  for (const lead of ctx.store.campaignLeads(campaign.id)) {
    const status = lead.status ?? "pending";
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  }
  return json(200, {
    campaign: campaignView(campaign),
    sequence_nodes: ctx.store.campaignNodes(campaign.id).map(nodeView),
    prospects_by_status: byStatus,
    // Prospects not yet at any node [inferred: the emulator does not run sequences].
    prospects_by_node: Object.keys(byStatus).length > 0 ? { __none__: { ...byStatus } } : {},
  });
}

function applyFields(node: NodeRow, fields: Record<string, unknown>): void {
  const row = node as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    // A field that does not apply to the node's type is ignored [inferred, by analogy with ai_node].
    if (APPLIES[key]?.includes(node.type)) row[key] = structuredClone(value);
  }
}

/** `PUT /api/campaigns/{id}/sequence/nodes/{nodeId}` on the caller's `campaign`. */
export async function updateNode(
  ctx: EmulatorContext,
  request: Request,
  campaign: CampaignRow,
  nodeId: string,
): Promise<Response> {
  if (!isUuid(nodeId)) return fail(400, "Node id must be a UUID");
  const node = ctx.store.nodes.get(nodeId);
  // [inferred] 404 for an unknown node or a node of another campaign.
  if (!node || node.campaign_id !== campaign.id) return fail(404, "Sequence node not found");
  const body = await parseBody(request, SequenceNodePatchBody);
  if (body instanceof Response) return body;
  if (campaign.status !== "draft") {
    return fail(400, `Campaign is ${campaign.status}: sequence nodes can only be edited on drafts`);
  }
  const { ai_node, ...fields } = body;
  applyFields(node, fields);
  if (ai_node !== undefined && node.type === "ai") {
    node.ai_node = { ...(node.ai_node ?? {}), ...structuredClone(ai_node) };
  }
  campaign.updated_at = nowIso();
  ctx.ledger.campaignWrites.push({
    operation: "updateNode",
    campaignId: campaign.id,
    nodeId: node.id,
    at: Date.now(),
  });
  return json(200, { node: nodeView(node) });
}

type SequenceElement = NonNullable<UpdateCampaignInput["sequence_nodes"]>[number];

/** Check a whole-sequence replace before any write: the 400 answer, or undefined. */
function checkSequence(
  ctx: EmulatorContext,
  campaign: CampaignRow,
  elements: readonly SequenceElement[],
): Response | undefined {
  const seen = new Set<string>();
  for (const [i, element] of elements.entries()) {
    const existing = element.id === undefined ? undefined : ctx.store.nodes.get(element.id);
    if (element.id !== undefined) {
      if (!existing || existing.campaign_id !== campaign.id)
        return fail(400, `sequence_nodes[${i}].id is not a node of this campaign`);
      if (seen.has(existing.id)) return fail(400, `sequence_nodes[${i}].id appears twice`);
      seen.add(existing.id);
      if (element.type !== undefined && element.type !== existing.type)
        return fail(
          400,
          `sequence_nodes[${i}].type cannot change a node's type (${existing.type})`,
        );
    } else if (element.type === undefined) {
      return fail(400, `sequence_nodes[${i}].type is required for a new node`);
    }
    const type = element.type ?? existing?.type;
    if (type === "delay") {
      const days = element.delay_days ?? existing?.delay_days ?? 0;
      const hours = element.delay_hours ?? existing?.delay_hours ?? 0;
      const minutes = element.delay_minutes ?? existing?.delay_minutes ?? 0;
      const total = days * 1440 + hours * 60 + minutes;
      if (total < 1 || total > MAX_DELAY_MINUTES) {
        return fail(
          400,
          `sequence_nodes[${i}]: a delay must total between 1 minute and 30 days across delay_days, delay_hours and delay_minutes (got ${total} minutes)`,
        );
      }
    }
  }
  return undefined;
}

/** `PATCH /api/campaigns/{id}` of the caller's `campaign`, its body already read. */
export function updateCampaign(
  ctx: EmulatorContext,
  user: UserRow,
  campaign: CampaignRow,
  body: UpdateCampaignInput,
): Response {
  const draft = campaign.status === "draft";
  // Every check before any write: a refused PATCH leaves nothing changed.
  if (body.name !== undefined) {
    const taken = [...ctx.store.campaigns.values()].some(
      (c) => c.user_id === user.id && c.id !== campaign.id && c.name === body.name,
    );
    // [inferred] 409, as create documents for a duplicate name.
    if (taken) return fail(409, `A campaign named "${body.name}" already exists`);
  }
  if (draft && body.sequence_nodes !== undefined) {
    const refused = checkSequence(ctx, campaign, body.sequence_nodes);
    if (refused) return refused;
  }
  // Fields allowed on any status; the rest are silently ignored unless the campaign is a draft.
  if (body.name !== undefined) campaign.name = body.name;
  if (body.operating_hours !== undefined)
    campaign.operating_hours = structuredClone(body.operating_hours);
  if (body.daily_limit !== undefined) campaign.daily_limit = body.daily_limit;
  if (body.account_limits !== undefined)
    campaign.account_limits = structuredClone(body.account_limits);
  if (draft) {
    if (body.skip_other_campaigns !== undefined)
      campaign.skip_other_campaigns = body.skip_other_campaigns;
    if (body.stop_on_reply !== undefined) campaign.stop_on_reply = body.stop_on_reply;
    if (body.open_tracking !== undefined) campaign.open_tracking = body.open_tracking;
    if (body.signature !== undefined) campaign.signature = body.signature;
    if (body.sender_account_ids !== undefined)
      campaign.sender_account_ids = [...body.sender_account_ids];
    if (body.sequence_nodes !== undefined) replaceSequence(ctx, campaign, body.sequence_nodes);
  }
  campaign.updated_at = nowIso();
  ctx.ledger.campaignWrites.push({
    operation: "updateCampaign",
    campaignId: campaign.id,
    at: Date.now(),
  });
  return json(200, { campaign: campaignView(campaign) });
}

/**
 * Replace the whole sequence: positions follow array order; an element with an existing id keeps
 * that row (its AI extension and its sessions) [inferred]; one without id is a new row; nodes not
 * listed are deleted (their sessions stay, as documented).
 */
function replaceSequence(
  ctx: EmulatorContext,
  campaign: CampaignRow,
  elements: readonly SequenceElement[],
): void {
  const kept = new Set<string>();
  elements.forEach((element, position) => {
    const { id, type, position: _ignored, ...fields } = element;
    let node = id === undefined ? undefined : ctx.store.nodes.get(id);
    if (!node) {
      node = {
        id: randomUuid(),
        campaign_id: campaign.id,
        type: type as string,
        position,
        ai_node: null,
      };
      ctx.store.nodes.set(node.id, node);
    }
    node.position = position;
    applyFields(node, fields);
    kept.add(node.id);
  });
  for (const node of ctx.store.campaignNodes(campaign.id))
    if (!kept.has(node.id)) ctx.store.nodes.delete(node.id);
}

/** Resolve `%variables%` for one lead; unknown variables and `{{…}}` are left as they are [inferred]. */
export function resolveVariables(text: string, lead: LeadRow): string {
  return text.replace(/%([A-Za-z_][\w.]*)%/g, (whole, name: string) => {
    const custom = lead.custom_fields ?? {};
    const key = name.startsWith("custom_fields.") ? name.slice("custom_fields.".length) : name;
    const standard: Record<string, unknown> = {
      first_name: lead.first_name,
      last_name: lead.last_name,
      full_name: lead.full_name ?? leadName(lead as unknown as Record<string, unknown>),
      name: leadName(lead as unknown as Record<string, unknown>),
      company: lead.company,
      position: lead.position,
      headline: lead.headline,
      linkedin_url: lead.linkedin_url,
      email: lead.email,
    };
    const value = name.startsWith("custom_fields.") ? custom[key] : (standard[key] ?? custom[key]);
    return typeof value === "string" || typeof value === "number" ? String(value) : whole;
  });
}

/** Upsert one draft row keyed (campaign, prospect, node); never touches an edited or non-draft row. */
function upsert(
  ctx: EmulatorContext,
  key: { campaign_id: string; prospect_id: string; node_id: string },
  content: { subject: string; body_text: string },
): boolean {
  const existing = ctx.store
    .campaignMessages(key.campaign_id)
    .find((m) => m.prospect_id === key.prospect_id && m.node_id === key.node_id);
  if (existing) {
    if (existing.manually_edited || existing.status !== "draft") return false;
    existing.subject = content.subject;
    existing.body_text = content.body_text;
    return true;
  }
  const row: GeneratedMessageRow = {
    id: randomUuid(),
    ...key,
    ...content,
    status: "draft",
    manually_edited: false,
    created_at: nowIso(),
  };
  ctx.store.messages.set(row.id, row);
  return true;
}

function resolve(ctx: EmulatorContext, user: UserRow, campaign: CampaignRow): Response {
  const prospects = ctx.store
    .campaignLeads(campaign.id)
    .filter(
      (p) => ctx.settings.resolveProspects === "all" || (p.status ?? "pending") === "pending",
    );
  let rows = 0;
  for (const node of ctx.store.campaignNodes(campaign.id)) {
    if (SENDABLE_NON_AI.has(node.type)) {
      // A node with no body has nothing to resolve [inferred: skipped].
      if (!node.body) continue;
      for (const prospect of prospects) {
        const changed = upsert(
          ctx,
          { campaign_id: campaign.id, prospect_id: prospect.id, node_id: node.id },
          {
            subject: node.type === "email" ? resolveVariables(node.subject ?? "", prospect) : "",
            body_text: resolveVariables(node.body, prospect),
          },
        );
        if (changed) rows += 1;
      }
    } else if (node.type === "ai") {
      const session = ctx.store
        .listSessions(user.id, campaign.id)
        .find((s) => s.node_id === node.id);
      for (const example of session?.generated_examples ?? []) {
        const name = leadName(example);
        const matches =
          name !== undefined
            ? prospects.filter((p) => {
                const pName = leadName(p as unknown as Record<string, unknown>);
                return pName !== undefined && normaliseName(pName) === normaliseName(name);
              })
            : ctx.settings.matchExamplesByLeadId && typeof example.lead_id === "string"
              ? prospects.filter((p) => p.id === example.lead_id)
              : [];
        // Duplicate names give one row each; an unmatched example is skipped.
        for (const prospect of matches) {
          const changed = upsert(
            ctx,
            { campaign_id: campaign.id, prospect_id: prospect.id, node_id: node.id },
            { subject: example.subject, body_text: example.body },
          );
          if (changed) rows += 1;
        }
      }
    }
  }
  ctx.ledger.campaignWrites.push({
    operation: "resolve",
    campaignId: campaign.id,
    rows,
    at: Date.now(),
  });
  // [inferred] the answer lists every draft message of the campaign.
  return json(200, {
    messages: ctx.store.campaignMessages(campaign.id).filter((m) => m.status === "draft"),
  });
}

function generateAi(
  ctx: EmulatorContext,
  request: Request,
  user: UserRow,
  campaign: CampaignRow,
  body: { node_id: string; prospect_ids?: string[] },
): Response {
  const node = ctx.store.nodes.get(body.node_id);
  if (!node || node.campaign_id !== campaign.id)
    return fail(400, "node_id must be a node of this campaign");
  if (node.type !== "ai") return fail(400, 'node_id must be a node with type "ai"');
  const all = ctx.store.campaignLeads(campaign.id);
  let targets = all;
  if (body.prospect_ids) {
    const unknown = body.prospect_ids.filter((id) => !all.some((p) => p.id === id));
    if (unknown.length > 0) return fail(400, `Unknown prospect_ids: ${unknown.join(", ")}`);
    targets = all.filter((p) => body.prospect_ids?.includes(p.id));
  }
  const cost = ctx.settings.aiMessageCredits * targets.length;
  const balance = user.credits ?? 0;
  // The credit pre-check comes before any write: a 402 deletes nothing and queues nothing.
  if (balance < cost) {
    return fail(402, `Insufficient credits: ${cost} needed, ${balance} available`);
  }
  if (body.prospect_ids) {
    for (const m of ctx.store.campaignMessages(campaign.id))
      if (
        m.node_id === node.id &&
        targets.some((p) => p.id === m.prospect_id) &&
        m.status === "draft"
      )
        ctx.store.messages.delete(m.id);
  }
  const session = ctx.store.listSessions(user.id, campaign.id).find((s) => s.node_id === node.id);
  const template = {
    subject: session?.draft_subject ?? "A note for %first_name%",
    body: session?.draft_body ?? "Hi %first_name%, &&open with a hook&&",
  };
  const header = request.headers.get("x-emulator-task-duration-ms");
  const duration =
    header !== null && Number(header) >= 0 ? Number(header) : ctx.settings.taskDurationMs;
  const task = (async () => {
    try {
      await ctx.scheduler.sleep(duration, ctx.scheduler.epoch);
    } catch (error) {
      if (error instanceof TaskCancelled) return;
      throw error;
    }
    for (const prospect of targets) {
      const example = renderExample(template, prospect as unknown as Record<string, unknown>);
      upsert(
        ctx,
        { campaign_id: campaign.id, prospect_id: prospect.id, node_id: node.id },
        { subject: example.subject, body_text: example.body },
      );
    }
  })();
  ctx.scheduler.track(task);
  // Charged only after the task is queued.
  user.credits = balance - cost;
  ctx.ledger.campaignWrites.push({
    operation: "generateAi",
    campaignId: campaign.id,
    nodeId: node.id,
    rows: targets.length,
    credits: cost,
    at: Date.now(),
  });
  // [inferred] a queue acknowledgement.
  return json(200, { success: true, queued: targets.length, credits_charged: cost });
}

/** `POST /api/campaigns/{id}/generate-messages` on the caller's `campaign` (body already read). */
export function generateMessages(
  ctx: EmulatorContext,
  request: Request,
  user: UserRow,
  campaign: CampaignRow,
  body: GenerateMessagesInput,
): Response {
  if (campaign.status !== "draft") {
    return fail(
      ctx.settings.draftRuleStatus,
      `Campaign is ${campaign.status}: messages can only be generated for draft campaigns`,
    );
  }
  return body.action === "resolve"
    ? resolve(ctx, user, campaign)
    : generateAi(ctx, request, user, campaign, body);
}

const LIST_STATUSES = new Set(["draft", "pending", "sent", "all"]);

/** `GET /api/campaigns/{id}/generate-messages?status=&prospect_id=` of the caller's `campaign`. */
export function listMessages(
  ctx: EmulatorContext,
  request: Request,
  campaign: CampaignRow,
): Response {
  const params = new URL(request.url).searchParams;
  const status = params.get("status") ?? "draft";
  if (!LIST_STATUSES.has(status)) return fail(400, "status must be draft, pending, sent or all");
  const prospectId = params.get("prospect_id");
  if (prospectId !== null && !isUuid(prospectId)) return fail(400, "prospect_id must be a UUID");
  const messages = ctx.store
    .campaignMessages(campaign.id)
    .filter((m) => status === "all" || m.status === status)
    .filter((m) => prospectId === null || m.prospect_id === prospectId);
  return json(200, { messages });
}

/** `PATCH /api/campaigns/{id}/generate-messages` on the caller's `campaign` (body already read). */
export function updateMessage(
  ctx: EmulatorContext,
  campaign: CampaignRow,
  body: UpdateMessageInput,
): Response {
  const row = ctx.store.messages.get(body.message_id);
  // [inferred] 404 for an unknown message or one of another campaign.
  if (!row || row.campaign_id !== campaign.id) return fail(404, "Generated message not found");
  if (row.status !== "draft") {
    return fail(
      ctx.settings.draftRuleStatus,
      `Only draft messages can be edited; this one is ${row.status}`,
    );
  }
  if (body.subject !== undefined) row.subject = body.subject;
  // A custom HTML suffix (body_html) is kept as it is.
  if (body.body_text !== undefined) row.body_text = body.body_text;
  // [inferred] the edit marks the row, which is what makes resolve skip it.
  row.manually_edited = true;
  ctx.ledger.campaignWrites.push({
    operation: "updateMessage",
    campaignId: campaign.id,
    at: Date.now(),
  });
  return json(200, { message: row });
}
