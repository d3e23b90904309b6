/**
 * `puffle_get_campaign`: a campaign, its nodes in sequence order, and each node's session state
 * (the oldest session of a node: the one `getOrCreateSession` returns).
 *
 * @internal
 * @module
 */
import * as z from "zod";
import type { Session } from "../../core/types";
import { DraftJobSchema } from "../draft-jobs";
import { campaignInScope } from "../scope";
import { SessionSummarySchema, sessionSummary } from "../summary";
import { defineTool, READS } from "../tool";
import { trimOrNull } from "../trim";

const MAX_NODES = 50;
const MORE = "puffle_get_draft reads a session's whole draft";

const Input = z.object({ campaign_id: z.string().describe("The campaign (UUID).") }).strict();

const Output = z
  .object({
    campaign: z.object({
      id: z.string(),
      name: z.string().nullable(),
      status: z.string().nullable(),
      type: z.string().nullable(),
    }),
    nodes_total: z.number(),
    drafting: DraftJobSchema.nullable().describe(
      "The puffle_draft_campaign run of this campaign, when this server started one.",
    ),
    nodes: z.array(
      z.object({
        node_id: z.string(),
        position: z.number(),
        type: z.string().nullable(),
        subject: z.string().nullable(),
        session: SessionSummarySchema.nullable().describe(
          "null: no session yet (puffle_start_session makes one).",
        ),
      }),
    ),
  })
  .strict();

export const getCampaign = defineTool({
  name: "puffle_get_campaign",
  title: "Read a campaign",
  description:
    "Read a campaign: its name and status, its sequence nodes in order (email, ai, delay, …), and for each node the state of its chat session (busy or idle, messages, draft, examples). Start here.",
  input: Input,
  output: Output,
  annotations: READS,
  campaignArgument: true,
  async run(args, ctx) {
    await campaignInScope(ctx, args.campaign_id);
    const options = { signal: ctx.signal };
    const [detail, sessions] = await Promise.all([
      ctx.client.getCampaign(args.campaign_id, options),
      ctx.client.listSessions(args.campaign_id, options),
    ]);
    const byNode = new Map<string, Session>();
    for (const s of sessions) if (!byNode.has(s.node_id)) byNode.set(s.node_id, s);
    const nodes = [...detail.sequence_nodes].sort((a, b) => a.position - b.position);
    const { campaign } = detail;
    const structured = {
      campaign: {
        id: campaign.id,
        name: campaign.name ?? null,
        status: campaign.status ?? null,
        type: campaign.type ?? null,
      },
      nodes_total: nodes.length,
      drafting: ctx.desk.drafts.get(args.campaign_id)?.report() ?? null,
      nodes: nodes.slice(0, MAX_NODES).map((node) => {
        const s = byNode.get(node.id);
        return {
          node_id: node.id,
          position: node.position,
          type: node.type ?? null,
          subject: trimOrNull(node.subject, 200, MORE),
          session: s ? sessionSummary(s) : null,
        };
      }),
    };
    const list = structured.nodes
      .map(
        (n) =>
          `${n.position}. ${n.type ?? "?"} ${n.node_id}${n.session ? ` (session ${n.session.session_id}${n.session.task_status ? `, ${n.session.task_status}` : ""})` : ""}`,
      )
      .join("; ");
    return {
      structured,
      text: `Campaign "${campaign.name ?? campaign.id}" (${campaign.status ?? "unknown status"}), ${nodes.length} node(s)${nodes.length > MAX_NODES ? ` (first ${MAX_NODES} shown)` : ""}: ${list}.`,
    };
  },
});
