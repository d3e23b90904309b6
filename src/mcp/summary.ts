/**
 * A session in a few numbers: what `puffle_start_session` answers and `puffle_get_campaign`
 * shows per node.
 *
 * @internal
 * @module
 */
import * as z from "zod";
import type { Session } from "../core/types";

/** The output schema of a session's summary. */
export const SessionSummarySchema = z
  .object({
    session_id: z.string(),
    campaign_id: z.string(),
    node_id: z.string(),
    task_status: z.string().nullable().describe("The busy flag; null when idle."),
    messages: z.number(),
    has_draft: z.boolean(),
    has_skeleton: z.boolean(),
    examples: z.number(),
  })
  .strict();

/** A session's summary. */
export function sessionSummary(s: Session): z.infer<typeof SessionSummarySchema> {
  return {
    session_id: s.id,
    campaign_id: s.campaign_id,
    node_id: s.node_id,
    task_status: s.task_status ?? null,
    messages: s.messages?.length ?? 0,
    has_draft: s.draft_subject != null || s.draft_body != null,
    has_skeleton: s.skeleton != null,
    examples: s.generated_examples?.length ?? 0,
  };
}
