/**
 * `puffle_draft_campaign`: `draftCampaign` over the whole campaign, started in the background
 * (a campaign takes minutes), waited for at most `maxWaitMs`; a repeated call while it runs joins
 * it, and a call after it ended starts it again, which resumes (nothing planned is sent twice).
 * Progress: this tool's answer, or `puffle_get_campaign`. It never finishes nodes: that writes the
 * campaign, and stays `puffle_finish_session`'s, with its confirm.
 *
 * @internal
 * @module
 */
import * as z from "zod";
import { sleep } from "../../realtime/internal";
import { DraftJob, DraftJobSchema } from "../draft-jobs";
import { refusalOf } from "../refusals";
import { ToolRefusal } from "../result";
import { campaignInScope } from "../scope";
import { defineTool, WRITES } from "../tool";

const Input = z
  .object({
    campaign_id: z.string().describe("The draft campaign (UUID)."),
    brief: z
      .string()
      .min(1)
      .max(4_000)
      .describe("What the campaign is about: readers, offer, goal, tone, proof points."),
    node_ids: z
      .array(z.string())
      .max(50)
      .optional()
      .describe("Only these nodes (default: every email and ai node)."),
  })
  .strict();

const Output = DraftJobSchema.extend({
  campaign_id: z.string(),
  joined: z
    .boolean()
    .describe("True when a run was already drafting this campaign: no new one started."),
  next: z.string(),
}).strict();

export const draftCampaign = defineTool({
  name: "puffle_draft_campaign",
  title: "Draft a whole campaign",
  description:
    "Draft every email and ai node of a draft campaign from one brief (paid turns, several per node), in the background. Waits up to about 45 s, then answers with each node's progress; follow it with puffle_get_campaign. Calling it again joins the running draft, or resumes one that stopped; nothing planned is sent twice.",
  input: Input,
  output: Output,
  annotations: WRITES,
  campaignArgument: true,
  async run(args, ctx) {
    const started = Date.now();
    const id = args.campaign_id;
    await campaignInScope(ctx, id);
    const running = ctx.desk.drafts.get(id);
    const joined = running?.running === true;
    const job = joined
      ? running
      : new DraftJob(
          (onProgress) =>
            ctx.client.draftCampaign(id, {
              brief: args.brief,
              ...(args.node_ids ? { nodes: args.node_ids } : {}),
              ...(ctx.settings.availableVarNames
                ? { availableVarNames: [...ctx.settings.availableVarNames] }
                : {}),
              finish: false,
              store: ctx.desk.drafts.store,
              onProgress,
            }),
          (error) => {
            const refusal = refusalOf(error);
            if (refusal) return refusal;
            ctx.settings.onError(error, { tool: "puffle_draft_campaign" });
            return new ToolRefusal(
              "internal_error",
              "The draft run failed (the server's log has the details).",
              "call puffle_get_campaign to see where it stopped, then call puffle_draft_campaign again (it resumes).",
            );
          },
        );
    if (!joined) ctx.desk.drafts.set(id, job);
    const beat = setInterval(() => {
      void ctx
        .progress(`Drafting the campaign (${Math.round((Date.now() - started) / 1000)} s).`)
        .catch(() => {});
    }, ctx.settings.progressIntervalMs);
    try {
      const left = Math.max(1, ctx.settings.maxWaitMs - (Date.now() - started));
      await Promise.race([job.settled, sleep(left, ctx.signal).catch(() => {})]);
    } finally {
      clearInterval(beat);
    }
    // A run this call started that failed at once (a refusal: not a draft, an unknown node).
    if (!joined && job.failure) throw job.failure;
    const report = job.report();
    const next =
      report.status === "running"
        ? "follow it with puffle_get_campaign (its drafting field), or call puffle_draft_campaign again to wait more."
        : report.status === "done"
          ? "read each node's draft with puffle_get_draft; finish the good ones with puffle_finish_session (ask the user first)."
          : "read the error; fix what it names, then call puffle_draft_campaign again (it resumes).";
    const structured = { ...report, campaign_id: id, joined, next };
    const counts = report.nodes.map((n) => n.status).join(", ") || "starting";
    return {
      structured,
      text: `Campaign drafting ${report.status}${joined ? " (joined the run already going)" : ""}: ${counts}. Next: ${next}`,
    };
  },
});
