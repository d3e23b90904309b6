/**
 * The queues and `enqueueCampaignDraft`, which checks the options before anything is queued. Only
 * data that survives JSON crosses (engines/node-step.ts): `answers` as a list (a function cannot
 * reach another machine), and no `store`, `signal` or `onProgress` (the workers use the
 * PostgreSQL store, the job's own signal, and `onEvent` on their side).
 *
 * @module
 */
import type { PgBoss } from "pg-boss";
import {
  type CampaignJobData,
  checkQueuedOptions,
  type QueuedDraftOptions,
} from "../engines/node-step";
import { validateId } from "../internal/validate";

/** The queue names (one campaign job per campaign, one step job per node at a time). */
export const DRAFT_QUEUES = {
  campaign: "puffle-chat-campaign",
  node: "puffle-chat-node",
} as const;

/** The queues, created when missing (idempotent; every worker and producer may call it). */
export async function createDraftQueues(boss: PgBoss, leaseSeconds: number): Promise<void> {
  const existing = new Set((await boss.getQueues()).map((q) => q.name));
  const common = {
    // A campaign job that fails (a transient read) is retried soon; node steps retry themselves.
    retryLimit: 20,
    retryDelay: 2,
    retryBackoff: true,
    retryDelayMax: 30,
    expireInSeconds: leaseSeconds,
  };
  for (const name of Object.values(DRAFT_QUEUES)) {
    if (existing.has(name)) continue;
    await boss.createQueue(name, { ...common, policy: "stately" }).catch(async (error) => {
      // Another process created it in between.
      if (!(await boss.getQueues()).some((q) => q.name === name)) throw error;
    });
  }
}

/**
 * Queue the drafting of a campaign: one job per campaign (its id is the singleton key, so a
 * second call while one is queued or running queues nothing and returns null), which the workers
 * fan out to one job per node. The options are checked first: nothing is queued on a refusal.
 *
 * @param boss - a started pg-boss.
 * @param draft - the campaign id and `draftCampaign`'s options (as far as they survive JSON).
 * @param leaseSeconds - how long a step may run before pg-boss hands it to another worker
 *   (default 300, as `registerDraftWorkers`).
 * @returns the job id, or null when that campaign is already queued or running.
 * @throws {@link RequestValidationError} for a bad id or option, before anything is queued.
 * @example
 * ```ts
 * import { PgBoss } from "pg-boss";
 * import { enqueueCampaignDraft } from "puffle-chat/pg-boss";
 * const boss = new PgBoss(process.env.DATABASE_URL ?? "");
 * await boss.start();
 * await enqueueCampaignDraft(boss, { campaignId: process.env.PUFFLE_CAMPAIGN_ID ?? "", brief: "Q3 outreach to VPs of Sales" });
 * ```
 */
export async function enqueueCampaignDraft(
  boss: PgBoss,
  draft: { campaignId: string } & QueuedDraftOptions,
  leaseSeconds = 300,
): Promise<string | null> {
  const { campaignId, ...rest } = (draft ?? {}) as { campaignId: string } & QueuedDraftOptions;
  const id = validateId("enqueueCampaignDraft", "campaignId", campaignId);
  const options = checkQueuedOptions("enqueueCampaignDraft", rest);
  await createDraftQueues(boss, leaseSeconds);
  const data: CampaignJobData = { campaignId: id, options };
  return boss.send(DRAFT_QUEUES.campaign, data, { singletonKey: id.toLowerCase() });
}
