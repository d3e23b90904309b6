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
import type { SequenceNode } from "../core/campaign-types";
import type { AdvanceResult, DispatchStore, DraftCampaignOptions } from "../core/draft-types";
import type { ClientOptions } from "../core/options";
import type { Session } from "../core/types";
import {
  type ContentNode,
  canonicalSession,
  contentNodes,
  nodePlan,
  type PriorDraft,
} from "../lib/draft-plan";
import {
  type CampaignJobData,
  createDraftQueues,
  DRAFT_QUEUES,
  type NodeJobData,
  nodeKey,
} from "./jobs";
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

/** A node's draft as the nodes after it see it. */
function priorOf(content: ContentNode, session: Session | undefined): PriorDraft {
  const { node, type, position } = content;
  return {
    ...{ position, type },
    subject: session?.draft_subject ?? (node.subject || null),
    body: session?.draft_body ?? (node.body || null),
  };
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

/** The campaign job: check the nodes, record them pending, queue the first. */
async function runCampaign(w: Workers, job: Job<CampaignJobData>): Promise<void> {
  const { campaignId, options } = job.data;
  const call = { signal: job.signal };
  const detail = await w.client.getCampaign(campaignId, call);
  const all = contentNodes(detail.sequence_nodes as SequenceNode[]);
  const wanted = options.nodes?.map((n) => n.toLowerCase());
  const selected = wanted ? all.filter((c) => wanted.includes(c.node.id.toLowerCase())) : all;
  const sessions = await w.client.listSessions(campaignId, call);
  const prior = all.map((c) => priorOf(c, canonicalSession(sessions, c.node.id)));
  for (const content of selected) {
    await w.sql.executeSql(
      `INSERT INTO ${w.schema}.nodes (campaign_id, node_id, position, status) VALUES ($1, $2, $3, 'pending')
       ON CONFLICT (campaign_id, node_id) DO NOTHING`,
      [campaignId, content.node.id, content.position],
    );
  }
  await queueNode(w, { campaignId, options, queue: selected, prior }, 0);
}

/** Queue the steps of the first node of `queue` (nothing when it is empty). */
async function queueNode(
  w: Workers,
  next: Omit<NodeJobData, "plan">,
  startAfterSeconds: number,
): Promise<void> {
  const content = next.queue[0];
  if (!content) return;
  const plan = nodePlan(content, next.options as DraftCampaignOptions, next.prior);
  await w.boss.send(
    DRAFT_QUEUES.node,
    { ...next, plan },
    { singletonKey: nodeKey(next.campaignId, content.node.id), startAfter: startAfterSeconds },
  );
}

/** Whether this run of the job still owns it: not expired and handed to another worker. */
function ownerCheck(w: Workers, job: Job<NodeJobData>): () => Promise<boolean> {
  return async () => {
    if (job.signal.aborted) return false;
    const now = await w.boss.getJobById<NodeJobData>(DRAFT_QUEUES.node, job.id);
    return now?.state === "active" && now.retryCount === job.retryCount;
  };
}

/** A node job: steps until the node is drafted or stuck, or its wait is handed back. */
async function runNode(w: Workers, job: Job<NodeJobData>): Promise<void> {
  const { campaignId, queue } = job.data;
  const content = queue[0];
  if (!content) return;
  const nodeId = content.node.id;
  const call = { signal: job.signal };
  const sessions = await w.client.listSessions(campaignId, call);
  const session =
    canonicalSession(sessions, nodeId) ??
    (await w.client.getOrCreateSession({ campaign_id: campaignId, node_id: nodeId }, call));
  const base = { campaignId, nodeId, sessionId: session.id };
  emit(w, { ...base, type: "node_started", detail: `step job ${job.id}` });
  const endBy = Date.now() + w.leaseMs / 2;
  for (;;) {
    const step = await w.client.advanceSession(session.id, job.data.plan, {
      ...{ store: w.store, wait: "return", signal: job.signal },
      ...{ quietPeriod: job.data.options.quietPeriod, onUnknown: job.data.options.onUnknown },
      stillOwner: ownerCheck(w, job),
    });
    if (step.duplicates.length > 0) {
      emit(w, {
        ...base,
        type: "duplicate",
        detail: `turns sent twice: ${step.duplicates.join(", ")}`,
      });
    }
    const next = await afterStep(w, job, content, step);
    if (next === "done") return;
    if (next === "again" && Date.now() < endBy) continue;
    await queueNode(w, job.data, next === "again" ? 0 : next);
  }
}

/** What a step leads to: another step now, a step in `n` seconds (queued), or the node's end. */
async function afterStep(
  w: Workers,
  job: Job<NodeJobData>,
  content: ContentNode,
  step: AdvanceResult,
): Promise<"again" | "done" | number> {
  const { campaignId } = job.data;
  const { session } = step;
  const base = { campaignId, nodeId: content.node.id, sessionId: session.id };
  const fields = { sessionId: session.id, turns: step.turns, duplicates: step.duplicates };
  if (step.status === "sent" || step.status === "busy") {
    await record(w, campaignId, content, "running", { ...fields, detail: step.detail });
    if (step.status === "sent") emit(w, { ...base, type: "turn_sent", detail: step.detail });
    const waited = await waitTurn(w, job, session.id, step);
    if (waited) return "again";
    emit(w, { ...base, type: "waiting", detail: "the wait goes back to the queue" });
    return Math.ceil((step.retryAfterMs ?? 2_500) / 1_000);
  }
  if (step.reason === "not-owner") {
    emit(w, { ...base, type: "not_owner", detail: step.detail });
    return "done";
  }
  let status: string = step.status;
  if (step.status === "drafted" && job.data.options.finish) {
    await w.client.finishSession(session.id, { signal: job.signal });
    status = "finished";
  }
  await record(w, campaignId, content, status, { ...fields, detail: step.detail });
  emit(w, { ...base, type: status as DraftWorkerEvent["type"], detail: step.detail });
  const prior = job.data.prior.map((p) =>
    p.position === content.position ? priorOf(content, session) : p,
  );
  await queueNode(w, { ...job.data, queue: job.data.queue.slice(1), prior }, 0);
  return "done";
}

/** Wait for a sent or running turn within `turnWaitMs` (realtime first): true when it is idle. */
async function waitTurn(
  w: Workers,
  job: Job<NodeJobData>,
  sessionId: string,
  step: AdvanceResult,
): Promise<boolean> {
  if (step.status === "busy" && step.run === null) return false;
  try {
    await w.client.waitForIdle(sessionId, {
      ...(step.run ? { run: step.run } : {}),
      deadline: w.turnWaitMs,
      signal: job.signal,
    });
    return true;
  } catch (error) {
    if (job.signal.aborted) throw error;
    // A failed run is the planner's to see on the next step; a slow one goes back to the queue.
    return (error as { name?: string }).name === "TaskFailedError";
  }
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
