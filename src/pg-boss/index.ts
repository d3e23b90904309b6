/**
 * `puffle-chat/pg-boss`: `draftCampaign` as durable jobs on pg-boss (an optional peer), for a
 * fleet of workers on many machines that share one PostgreSQL. pg-boss gives durability,
 * one active step per node and retries; the SDK is the idempotency layer (no engine makes a paid
 * call exactly-once): each dispatch intent is written to PostgreSQL before its POST, a worker that
 * lost its lease is detected right before it sends, and a global limiter in PostgreSQL keeps the
 * fleet's Puffle requests per minute under the limit. See the guide "Drafting at scale".
 *
 * @example
 * ```ts
 * import { PgBoss } from "pg-boss";
 * import { enqueueCampaignDraft, registerDraftWorkers } from "puffle-chat/pg-boss";
 * const boss = new PgBoss(process.env.DATABASE_URL ?? "");
 * await boss.start();
 * const workers = await registerDraftWorkers(boss, { requestsPerMinute: 120 });
 * await enqueueCampaignDraft(boss, { campaignId: process.env.PUFFLE_CAMPAIGN_ID ?? "", brief: "Q3 outreach" });
 * await workers.stop();
 * ```
 *
 * @module
 */

export type { DispatchStore } from "../core/draft-types";
export type { CampaignJobData, NodeJobData, QueuedDraftOptions } from "../engines/node-step";
export type { ContentNode, PriorDraft } from "../lib/draft-plan";
export { DRAFT_QUEUES, enqueueCampaignDraft } from "./jobs";
export { createPgRequestLimiter, type PgRequestLimiter } from "./limiter";
export { campaignDraftProgress, type NodeProgress } from "./progress";
export type { Sql } from "./schema";
export { createPgStore } from "./store";
export {
  type DraftWorkerEvent,
  type DraftWorkers,
  type DraftWorkersOptions,
  registerDraftWorkers,
} from "./workers";
