/**
 * `puffle_start_session`: the session of a campaign node, created when it has none
 * (`getOrCreateSession`: concurrent callers converge on one session).
 *
 * @internal
 * @module
 */
import * as z from "zod";
import { campaignInScope } from "../scope";
import { SessionSummarySchema, sessionSummary } from "../summary";
import { defineTool, WRITES } from "../tool";

const Input = z
  .object({
    campaign_id: z.string().describe("The campaign (UUID)."),
    node_id: z
      .string()
      .describe("The sequence node whose email to draft (from puffle_get_campaign)."),
  })
  .strict();

export const startSession = defineTool({
  name: "puffle_start_session",
  title: "Start (or resume) a node's session",
  description:
    "Get the chat session of a campaign node, creating it if the node has none (free). Calling it again returns the same session.",
  input: Input,
  output: SessionSummarySchema,
  annotations: { ...WRITES, idempotentHint: true },
  campaignArgument: true,
  async run(args, ctx) {
    await campaignInScope(ctx, args.campaign_id);
    const s = await ctx.client.getOrCreateSession(
      { campaign_id: args.campaign_id, node_id: args.node_id },
      { signal: ctx.signal },
    );
    const structured = sessionSummary(s);
    return {
      structured,
      text: `Session ${s.id} (${structured.messages} message(s)${s.task_status ? `, busy: ${s.task_status}` : ""}). Next: describe the email you want with puffle_send_turn.`,
    };
  },
});
