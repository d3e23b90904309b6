/**
 * `puffle_finish_session`: `finishSession` (lint, copy the draft onto the campaign node, resolve),
 * only with `confirm: true` (the check is ours: annotations are hints), reporting every step.
 *
 * @internal
 * @module
 */
import * as z from "zod";
import { refuse } from "../result";
import { sessionInScope } from "../scope";
import { defineTool, WRITES } from "../tool";

const Input = z
  .object({
    session_id: z.string().describe("The session whose draft to put on the campaign."),
    confirm: z
      .boolean()
      .describe("Must be true: it writes the campaign. Ask the user before setting it."),
  })
  .strict();

const Output = z
  .object({
    session_id: z.string(),
    campaign_id: z.string(),
    node_id: z.string(),
    copied: z.boolean().describe("Whether the draft was written to the node (email nodes)."),
    resolved: z.boolean().describe("Whether the campaign's drafts were rendered (resolve)."),
    messages: z.number().describe("Generated messages of the campaign after resolve."),
    steps: z.array(z.object({ step: z.string(), outcome: z.string(), detail: z.string() })),
  })
  .strict();

export const finishSession = defineTool({
  name: "puffle_finish_session",
  title: "Finish a session (writes the campaign)",
  description:
    "Put the session's draft on its campaign: checks the session is idle and the campaign a draft, lints the email (refuses on errors), writes it to the node, then renders every prospect's draft. Refuses unless confirm is true. Reports each step.",
  input: Input,
  output: Output,
  annotations: { ...WRITES, destructiveHint: true, idempotentHint: true },
  campaignArgument: false,
  async run(args, ctx) {
    if (args.confirm !== true) {
      refuse(
        "confirm_required",
        "Finishing writes the draft onto the campaign; it needs confirm: true. Nothing was done.",
        "ask the user to confirm, then call again with confirm: true.",
      );
    }
    await sessionInScope(ctx, args.session_id);
    const names = ctx.settings.availableVarNames;
    const result = await ctx.client.finishSession(args.session_id, {
      ...(names ? { lint: { availableVarNames: names } } : {}),
    });
    const structured = {
      session_id: result.session.id,
      campaign_id: result.campaign.id,
      node_id: result.node.id,
      copied: result.copied,
      resolved: result.resolved,
      messages: result.messages.length,
      steps: result.steps.map((s) => ({ step: s.step, outcome: s.outcome, detail: s.detail })),
    };
    return {
      structured,
      text: `Finished: ${structured.steps.map((s) => `${s.step} ${s.outcome}`).join(", ")}. ${structured.messages} generated message(s) on the campaign.`,
    };
  },
});
