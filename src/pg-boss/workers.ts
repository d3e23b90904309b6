/**
 * The workers: a campaign job fans out to its first node; a node job advances its session with
 * `advanceSession` (at most one paid dispatch per step, the intent in the PostgreSQL store before
 * the POST, an ownership check right before it), waits for the turn a bounded time (realtime
 * first), and hands longer waits back to the queue with a start-after delay, so no worker is held
 * for a whole slow turn. A drafted (or stuck) node queues the next one with the drafts so far as
 * its `sequenceContext`. pg-boss gives the durability: a job whose worker died or stalled past its
 * lease is run again elsewhere, and the store makes that rerun reconcile instead of paying twice.
 *
 * @module
 */
import type { Job, PgBoss } from "pg-boss";
import { PuffleClient } from "../client";
import type { DispatchStore } from "../core/draft-types";
import type { ClientOptions } from "../core/options";
import {
  type CampaignJobData,
  type NodeJobData,
  type NodeOutcome,
  nodeKey,
  planCampaign,
  stepNode,
} from "../engines/node-step";
import type { ContentNode } from "../lib/draft-plan";
import { createDraftQueues, DRAFT_QUEUES } from "./jobs";
import { createPgRequestLimiter, type PgRequestLimiter } from "./limiter";
import { ensureSchema, type Sql } from "./schema";
import { createPgStore } from "./store";

/** What the workers report as they go (a failing listener never stops them). */
export interface DraftWorkerEvent {
  type:
    | "node_started"
    | "turn_sent"
    | "waiting"
    | "drafted"
    | "finished"
    | "needs_attention"
    | "failed"
    | "duplicate"
    | "not_owner";
  campaignId: string;
  nodeId: string;
  sessionId: string | null;
  detail: string;
}

/** Options of {@link registerDraftWorkers}. */
export interface DraftWorkersOptions {
  /**
   * The options of the client each worker process builds (key and hosts from the environment
   * when absent). The workers build it themselves so that every Puffle request goes through the
   * fleet's limiter: a client built elsewhere could not be limited.
   */
  clientOptions?: ClientOptions | undefined;
  /** Node steps in flight in this process. Default 2. */
  concurrency?: number | undefined;
  /** The fleet's Puffle requests per minute (every worker of every machine together). */
  requestsPerMinute?: number | undefined;
  /** The adapter's schema. Default `puffle_chat`. */
  schema?: string | undefined;
  /** How long a step may run before pg-boss runs it again elsewhere, in s. Default 300. */
  leaseSeconds?: number | undefined;
  /** How long a step waits for its turn (realtime first) before handing the wait back. Default 30 000 ms. */
  turnWaitMs?: number | undefined;
  /** How often an idle worker looks for jobs, in s. Default 1. */
  pollingIntervalSeconds?: number | undefined;
  /** Progress, duplicates and lost ownership, as they happen. */
  onEvent?: ((event: DraftWorkerEvent) => void) | undefined;
}

/** Registered workers. */
export interface DraftWorkers {
  /** The client the workers use (its fetch goes through the limiter). */
  readonly client: PuffleClient;
  /** The fleet limiter, when `requestsPerMinute` was given. */
  readonly limiter: PgRequestLimiter | undefined;
  /** Stop taking jobs and wait for the steps in flight. */
  stop(): Promise<void>;
}

/** The workers' shared state. */
interface Workers {
  boss: PgBoss;
  sql: Sql;
  schema: string;
  client: PuffleClient;
  store: DispatchStore;
  leaseMs: number;
  turnWaitMs: number;
  onEvent: (event: DraftWorkerEvent) => void;
}

/** Record a node's state in `<schema>.nodes` (the progress `campaignDraftProgress` reads). */
async function record(
  w: Workers,
  campaignId: string,
  content: ContentNode,
  status: string,
  fields: { sessionId?: string | null; turns?: number; duplicates?: number[]; detail?: string },
): Promise<void> {
  await w.sql.executeSql(
    `INSERT INTO ${w.schema}.nodes (campaign_id, node_id, position, status, session_id, turns, duplicates, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)
     ON CONFLICT (campaign_id, node_id) DO UPDATE SET status = EXCLUDED.status,
       session_id = COALESCE(EXCLUDED.session_id, ${w.schema}.nodes.session_id),
       turns = GREATEST(EXCLUDED.turns, ${w.schema}.nodes.turns),
       duplicates = EXCLUDED.duplicates, detail = EXCLUDED.detail, updated_at = now()`,
    [
      ...[campaignId, content.node.id, content.position, status, fields.sessionId ?? null],
      ...[fields.turns ?? 0, JSON.stringify(fields.duplicates ?? []), fields.detail ?? ""],
    ],
  );
}

function emit(w: Workers, event: DraftWorkerEvent): void {
  try {
    w.onEvent(event);
  } catch {
    // A listener's failure never stops a worker.
  }
}

/** The campaign job: record its nodes pending, queue the first. */
async function runCampaign(w: Workers, job: Job<CampaignJobData>): Promise<void> {
  const first = await planCampaign(w.client, job.data, job.signal);
  for (const content of first.queue) {
    await w.sql.executeSql(
      `INSERT INTO ${w.schema}.nodes (campaign_id, node_id, position, status) VALUES ($1, $2, $3, 'pending')
       ON CONFLICT (campaign_id, node_id) DO NOTHING`,
      [first.campaignId, content.node.id, content.position],
    );
  }
  await queueNode(w, first, 0);
}

/** Queue the steps of the first node of `job.queue` (nothing when it is empty). */
async function queueNode(w: Workers, job: NodeJobData | undefined, afterSeconds: number) {
  const content = job?.queue[0];
  if (!job || !content) return;
  const singletonKey = nodeKey(job.campaignId, content.node.id);
  await w.boss.send(DRAFT_QUEUES.node, job, { singletonKey, startAfter: afterSeconds });
}

/** Whether this run of the job still owns it: not expired and handed to another worker. */
function ownerCheck(w: Workers, job: Job<NodeJobData>): () => Promise<boolean> {
  return async () => {
    if (job.signal.aborted) return false;
    const now = await w.boss.getJobById<NodeJobData>(DRAFT_QUEUES.node, job.id);
    return now?.state === "active" && now.retryCount === job.retryCount;
  };
}

/** A node job: its steps (engines/node-step.ts), recorded, then what comes next queued. */
async function runNode(w: Workers, job: Job<NodeJobData>): Promise<void> {
  const content = job.data.queue[0];
  if (!content) return;
  const { campaignId } = job.data;
  const base = { campaignId, nodeId: content.node.id };
  emit(w, { ...base, sessionId: null, type: "node_started", detail: `step job ${job.id}` });
  const outcome = await stepNode(
    {
      ...{ client: w.client, store: w.store, signal: job.signal, turnWaitMs: w.turnWaitMs },
      stillOwner: ownerCheck(w, job),
      endBy: Date.now() + w.leaseMs / 2,
      onStep: async (step, session) => {
        const sessionId = session.id;
        if (step.duplicates.length > 0) {
          const detail = `turns sent twice: ${step.duplicates.join(", ")}`;
          emit(w, { ...base, sessionId, type: "duplicate", detail });
        }
        if (step.status === "sent")
          emit(w, { ...base, sessionId, type: "turn_sent", detail: step.detail });
      },
    },
    job.data,
  ).catch((error: unknown) => {
    if (job.signal.aborted) throw error;
    return error instanceof Error ? error : new Error(String(error));
  });
  if (outcome instanceof Error) await failedStep(w, job, content, outcome);
  else await settle(w, job, content, outcome);
}

/**
 * A step that threw. A refusal that will not change (a 4xx other than 408, 409 and 429, a
 * validation error) fails the node and the chain goes on to the next; anything else (a
 * connection error, a 5xx, a lost answer) tries the node again in a few seconds, not after
 * pg-boss's growing backoff: the store makes the retry safe, and the chain must not stall.
 */
async function failedStep(w: Workers, job: Job<NodeJobData>, content: ContentNode, error: Error) {
  const { campaignId } = job.data;
  const status = (error as { status?: unknown }).status;
  const permanent =
    error.name === "RequestValidationError" ||
    (typeof status === "number" &&
      status >= 400 &&
      status < 500 &&
      ![408, 409, 429].includes(status));
  const base = { campaignId, nodeId: content.node.id, sessionId: null };
  const detail = `${error.name}: ${error.message}`;
  if (permanent) {
    await record(w, campaignId, content, "failed", { detail });
    emit(w, { ...base, type: "failed", detail });
    await queueNode(w, { ...job.data, queue: job.data.queue.slice(1) }, 0);
    return;
  }
  await record(w, campaignId, content, "running", { detail: `retrying after ${detail}` });
  emit(w, { ...base, type: "waiting", detail: `retrying after ${detail}` });
  await queueNode(w, job.data, 3);
}

/** Record a node's outcome and queue what follows: the same node later, or the next node. */
async function settle(
  w: Workers,
  job: Job<NodeJobData>,
  content: ContentNode,
  outcome: NodeOutcome,
) {
  const { campaignId } = job.data;
  const { session, step } = outcome;
  const base = { campaignId, nodeId: content.node.id, sessionId: session.id };
  const fields = {
    sessionId: session.id,
    turns: step.turns,
    duplicates: step.duplicates,
    detail: step.detail,
  };
  if (outcome.kind === "not-owner") {
    emit(w, { ...base, type: "not_owner", detail: step.detail });
    return;
  }
  if (outcome.kind === "again") {
    await record(w, campaignId, content, "running", fields);
    if (outcome.afterSeconds > 0)
      emit(w, { ...base, type: "waiting", detail: "the wait goes back to the queue" });
    await queueNode(w, job.data, outcome.afterSeconds);
    return;
  }
  let status: string = step.status;
  if (step.status === "drafted" && job.data.options.finish) {
    await w.client.finishSession(session.id, { signal: job.signal });
    status = "finished";
  }
  await record(w, campaignId, content, status, fields);
  emit(w, { ...base, type: status as DraftWorkerEvent["type"], detail: step.detail });
  await queueNode(w, outcome.next, 0);
}

/**
 * Register the draft workers of this process on `boss`: node steps (`concurrency` at a time) and
 * campaign fan-outs. Every Puffle request goes through the fleet's limiter in PostgreSQL when
 * `requestsPerMinute` is given; every dispatch intent goes to the PostgreSQL store first.
 *
 * @param boss - a started pg-boss.
 * @param options - the client's options, the limits, the lease.
 * @returns the workers, with the function that stops them.
 * @example
 * ```ts
 * import { PgBoss } from "pg-boss";
 * import { registerDraftWorkers } from "puffle-chat/pg-boss";
 * const boss = new PgBoss(process.env.DATABASE_URL ?? "");
 * await boss.start();
 * const workers = await registerDraftWorkers(boss, { concurrency: 4, requestsPerMinute: 120 });
 * await workers.stop();
 * ```
 */
export async function registerDraftWorkers(
  boss: PgBoss,
  options: DraftWorkersOptions = {},
): Promise<DraftWorkers> {
  const schema = options.schema ?? "puffle_chat";
  const sql = boss.getDb() as Sql;
  await ensureSchema(sql, schema);
  const leaseSeconds = options.leaseSeconds ?? 300;
  await createDraftQueues(boss, leaseSeconds);
  const limiter =
    options.requestsPerMinute === undefined
      ? undefined
      : createPgRequestLimiter(sql, options.requestsPerMinute, schema);
  const base = options.clientOptions?.fetch ?? globalThis.fetch;
  const fetch = limiter ? limiter.wrap((input, init) => base(input, init)) : base;
  const client = new PuffleClient({ ...options.clientOptions, fetch });
  const w: Workers = {
    ...{ boss, sql, schema, client, store: createPgStore(sql, schema) },
    leaseMs: leaseSeconds * 1_000,
    turnWaitMs: options.turnWaitMs ?? 30_000,
    onEvent: options.onEvent ?? (() => {}),
  };
  const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 };
  await boss.work<NodeJobData>(
    DRAFT_QUEUES.node,
    { ...polling, localConcurrency: options.concurrency ?? 2 },
    async ([job]) => job && runNode(w, job),
  );
  await boss.work<CampaignJobData>(DRAFT_QUEUES.campaign, polling, async ([job]) =>
    job ? runCampaign(w, job) : undefined,
  );
  return {
    client,
    limiter,
    stop: async () => {
      await boss.offWork(DRAFT_QUEUES.node, { wait: true });
      await boss.offWork(DRAFT_QUEUES.campaign, { wait: true });
    },
  };
}
