/**
 * The engine-neutral half of the job-engine adapters (`puffle-chat/pg-boss`, `puffle-chat/trigger`):
 * what a job carries, and the steps of one node. A step is `advanceSession` (at most one paid
 * dispatch, the intent in the shared store before the POST, an ownership check right before it),
 * then a wait for the turn bounded by `turnWaitMs` (realtime first); a longer wait is handed back
 * to the engine as "again in n seconds". A drafted (or stuck) node names the next node to start,
 * with the drafts so far as its `sequenceContext`.
 *
 * @internal
 * @module
 */
import type { PuffleClient } from "../client";
import type { AdvanceResult, DispatchStore, DraftCampaignOptions } from "../core/draft-types";
import { RequestValidationError } from "../core/errors";
import type { Session } from "../core/types";
import { checkDraftOptions } from "../internal/draft-options";
import {
  type ContentNode,
  canonicalSession,
  contentNodes,
  nodePlan,
  type PriorDraft,
  priorOf,
} from "../lib/draft-plan";

/** The options of a queued draft: `draftCampaign`'s, as far as they survive JSON. */
export type QueuedDraftOptions = Pick<
  DraftCampaignOptions,
  | "brief"
  | "nodes"
  | "maxTurnsPerNode"
  | "availableVarNames"
  | "sampleLeads"
  | "examples"
  | "finish"
  | "quietPeriod"
  | "onUnknown"
> & {
  /** Follow-up messages for the assistant's questions, in order (a list: it crosses the queue). */
  answers?: string[] | undefined;
};

/** A campaign job: fan out to its first node. */
export interface CampaignJobData {
  campaignId: string;
  options: QueuedDraftOptions;
}

/** A node job: the steps of one node, and what the nodes after it need. */
export interface NodeJobData {
  campaignId: string;
  options: QueuedDraftOptions;
  /** This node and the selected nodes after it, in sequence order. */
  queue: ContentNode[];
  /** Every content node's draft as last seen (the `sequenceContext` of the nodes after). */
  prior: PriorDraft[];
}

/** The key of a node's steps: one active step per node (and so per session) at a time. */
export const nodeKey = (campaignId: string, nodeId: string) =>
  `${campaignId.toLowerCase()}/${nodeId.toLowerCase()}`;

const NOT_QUEUEABLE = ["store", "signal", "onProgress", "deadline", "timeout", "headers"] as const;

/** The options, checked as `draftCampaign` checks them, plus what cannot cross a queue. */
export function checkQueuedOptions(operation: string, options: unknown): QueuedDraftOptions {
  const record = (typeof options === "object" && options !== null ? options : {}) as Record<
    string,
    unknown
  >;
  const issues = NOT_QUEUEABLE.filter((k) => record[k] !== undefined).map((k) => ({
    path: ["options", k],
    message:
      "cannot cross the queue: the workers use the shared store, the job's own signal and the adapter's onEvent and client",
  }));
  if (typeof record.answers === "function") {
    issues.push({
      path: ["options", "answers"],
      message: "must be a list of messages here: a function cannot reach another machine",
    });
  }
  if (issues.length > 0) throw new RequestValidationError(operation, issues);
  return checkDraftOptions(options) as QueuedDraftOptions;
}

/** A campaign job's fan-out: its selected content nodes in order and every node's draft so far. */
export async function planCampaign(
  client: PuffleClient,
  job: CampaignJobData,
  signal?: AbortSignal,
): Promise<NodeJobData> {
  const { campaignId, options } = job;
  const detail = await client.getCampaign(campaignId, { signal });
  const all = contentNodes(detail.sequence_nodes);
  const wanted = options.nodes?.map((n) => n.toLowerCase());
  const queue = wanted ? all.filter((c) => wanted.includes(c.node.id.toLowerCase())) : all;
  const sessions = await client.listSessions(campaignId, { signal });
  const prior = all.map((c) => priorOf(c, canonicalSession(sessions, c.node.id)));
  return { campaignId, options, queue, prior };
}

/** What a node's steps came to. */
export type NodeOutcome =
  | { kind: "again"; afterSeconds: number; session: Session; step: AdvanceResult }
  | { kind: "done"; session: Session; step: AdvanceResult; next: NodeJobData | undefined }
  | { kind: "not-owner"; session: Session; step: AdvanceResult };

/** What the steps of a node need from the engine. */
export interface NodeSteps {
  client: PuffleClient;
  store: DispatchStore;
  signal?: AbortSignal | undefined;
  /** Right before each POST: whether this run still owns the node (lease not lost). */
  stillOwner?: (() => Promise<boolean>) | undefined;
  /** How long one step may wait for a turn, realtime first. */
  turnWaitMs: number;
  /** When to stop stepping and hand the node back (epoch ms). */
  endBy: number;
  /** Each step's result, as it comes. */
  onStep?: ((step: AdvanceResult, session: Session) => void | Promise<void>) | undefined;
}

/** The session of the job's node: the oldest one of the node, created when there is none. */
async function sessionOf(s: NodeSteps, job: NodeJobData, content: ContentNode): Promise<Session> {
  const call = { signal: s.signal };
  const sessions = await s.client.listSessions(job.campaignId, call);
  const node_id = content.node.id;
  return (
    canonicalSession(sessions, node_id) ??
    (await s.client.getOrCreateSession({ campaign_id: job.campaignId, node_id }, call))
  );
}

/** Step the job's first node until it ends, its lease is lost, or its wait is handed back. */
export async function stepNode(s: NodeSteps, job: NodeJobData): Promise<NodeOutcome> {
  const content = job.queue[0] as ContentNode;
  const session = await sessionOf(s, job, content);
  const plan = nodePlan(content, job.options as DraftCampaignOptions, job.prior);
  for (;;) {
    const step = await s.client.advanceSession(session.id, plan, {
      ...{ store: s.store, wait: "return", signal: s.signal, stillOwner: s.stillOwner },
      ...{ quietPeriod: job.options.quietPeriod, onUnknown: job.options.onUnknown },
    });
    await s.onStep?.(step, step.session);
    if (step.reason === "not-owner") return { kind: "not-owner", session: step.session, step };
    if (step.status === "drafted" || step.status === "needs_attention") {
      const prior = job.prior.map((p) =>
        p.position === content.position ? priorOf(content, step.session) : p,
      );
      const rest = job.queue.slice(1);
      const next = rest.length > 0 ? { ...job, queue: rest, prior } : undefined;
      return { kind: "done", session: step.session, step, next };
    }
    const idle = await waitTurn(s, session.id, step);
    if (!idle || Date.now() >= s.endBy) {
      const afterSeconds = idle ? 0 : Math.ceil((step.retryAfterMs ?? 2_500) / 1_000);
      return { kind: "again", afterSeconds, session: step.session, step };
    }
  }
}

/** Wait for a sent or running turn within `turnWaitMs` (realtime first): true when it is idle. */
async function waitTurn(s: NodeSteps, sessionId: string, step: AdvanceResult): Promise<boolean> {
  if (step.status === "busy" && step.run === null) return false;
  try {
    await s.client.waitForIdle(sessionId, {
      ...(step.run ? { run: step.run } : {}),
      deadline: s.turnWaitMs,
      signal: s.signal,
    });
    return true;
  } catch (error) {
    if (s.signal?.aborted) throw error;
    // A failed run is the planner's to see on the next step; a slow one goes back to the engine.
    return (error as { name?: string }).name === "TaskFailedError";
  }
}
