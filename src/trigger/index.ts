/**
 * `puffle-chat/trigger`: `draftCampaign` as Trigger.dev v4 tasks (the optional peer
 * `@trigger.dev/sdk`). A campaign task fans out to its first node; a node task steps its session
 * with `advanceSession` and, once the node is drafted, triggers the next node with the drafts so
 * far as its `sequenceContext`. The node queue has concurrency 1 with a `concurrencyKey` per node,
 * so one session never has two steps at once; each trigger has an idempotency key per node and
 * step. Trigger.dev retries a failed run from the start of `run()`, maybe on another machine, and
 * its idempotency keys dedupe triggers, not side effects: the `store` you pass (shared by every
 * machine) is what makes a retried step reconcile a turn instead of paying for it twice.
 *
 * The run bodies are exported as plain functions ({@link runCampaignDraft}, {@link runNodeDraft})
 * so they can be tested without a Trigger.dev server; what only a real one can show (queues,
 * retries, checkpoints of `wait.for`) is said in the guide "Drafting at scale".
 *
 * @example
 * ```ts
 * import { PuffleClient } from "puffle-chat";
 * import { createMemoryStore } from "puffle-chat/campaign";
 * import { createDraftTasks } from "puffle-chat/trigger";
 * // In your trigger/ folder. Use a store every machine shares (a database table), not memory.
 * export const { campaignTask, nodeTask } = createDraftTasks({
 *   client: () => new PuffleClient(),
 *   store: createMemoryStore(),
 * });
 * ```
 *
 * @module
 */
import { idempotencyKeys, queue, task, wait } from "@trigger.dev/sdk";
import type { PuffleClient } from "../client";
import type { DispatchStore } from "../core/draft-types";
import {
  type CampaignJobData,
  checkQueuedOptions,
  type NodeJobData,
  nodeKey,
  planCampaign,
  stepNode,
} from "../engines/node-step";
import { validateId } from "../internal/validate";

export type { DispatchStore } from "../core/draft-types";
export type { CampaignJobData, NodeJobData, QueuedDraftOptions } from "../engines/node-step";
export type { ContentNode, PriorDraft } from "../lib/draft-plan";

/** What the run bodies need: the client, the shared store, and how to go on. */
export interface DraftRunDeps {
  client: PuffleClient;
  /** The dispatch store every attempt of every run shares. */
  store: DispatchStore;
  /** Start the steps of a node (in a task: trigger the node task). */
  startNode(job: NodeJobData, key: string): Promise<void>;
  /** Sleep between steps (in a task: `wait.for`, a checkpoint). */
  sleep(ms: number): Promise<void>;
  /** How long one step waits for a turn, realtime first. Default 30 000 ms. */
  turnWaitMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** How a node's run ended. */
export interface NodeDraftResult {
  nodeId: string;
  sessionId: string;
  status: "drafted" | "finished" | "needs_attention";
  turns: number;
  /** Turns whose message appears more than once in the transcript: paid twice, reported. */
  duplicates: number[];
  detail: string;
}

/**
 * The campaign task's body: check the job, plan the campaign's content nodes, start the first.
 *
 * @param payload - the campaign id and `draftCampaign`'s options (as far as they survive JSON).
 * @param deps - the client, the store and how to start a node.
 * @returns the nodes that will be drafted, in order.
 * @throws {@link RequestValidationError} for a bad id or option, before any request.
 * @example
 * ```ts
 * import type { DraftRunDeps } from "puffle-chat/trigger";
 * import { runCampaignDraft } from "puffle-chat/trigger";
 * declare const deps: DraftRunDeps;
 * await runCampaignDraft({ campaignId: "c", options: { brief: "Q3 outreach" } }, deps);
 * ```
 */
export async function runCampaignDraft(
  payload: CampaignJobData,
  deps: DraftRunDeps,
): Promise<{ nodeIds: string[] }> {
  const campaignId = validateId("runCampaignDraft", "campaignId", payload?.campaignId);
  const options = checkQueuedOptions("runCampaignDraft", payload.options);
  const first = await planCampaign(deps.client, { campaignId, options }, deps.signal);
  const node = first.queue[0];
  if (node) await deps.startNode(first, nodeKey(campaignId, node.node.id));
  return { nodeIds: first.queue.map((c) => c.node.id) };
}

/**
 * The node task's body: step the session until the node is drafted (or needs attention),
 * sleeping between steps, then start the next node.
 *
 * @param payload - the node job (its node first, the nodes after it, the drafts so far).
 * @param deps - the client, the store, how to sleep and how to start the next node.
 * @returns how the node ended.
 * @example
 * ```ts
 * import type { DraftRunDeps, NodeJobData } from "puffle-chat/trigger";
 * import { runNodeDraft } from "puffle-chat/trigger";
 * declare const deps: DraftRunDeps;
 * declare const job: NodeJobData;
 * const { status } = await runNodeDraft(job, deps);
 * ```
 */
export async function runNodeDraft(
  payload: NodeJobData,
  deps: DraftRunDeps,
): Promise<NodeDraftResult> {
  const content = payload.queue[0];
  if (!content) throw new TypeError("runNodeDraft: the job names no node (an empty queue).");
  const steps = {
    ...{ client: deps.client, store: deps.store, signal: deps.signal },
    turnWaitMs: deps.turnWaitMs ?? 30_000,
  };
  for (;;) {
    const outcome = await stepNode({ ...steps, endBy: Date.now() + 10 * 60_000 }, payload);
    if (outcome.kind === "again") {
      await deps.sleep(Math.max(1_000, outcome.afterSeconds * 1_000));
      continue;
    }
    const { session, step } = outcome;
    let status: NodeDraftResult["status"] =
      step.status === "drafted" ? "drafted" : "needs_attention";
    if (status === "drafted" && payload.options.finish) {
      await deps.client.finishSession(session.id, { signal: deps.signal });
      status = "finished";
    }
    const next = outcome.kind === "done" ? outcome.next : undefined;
    const nextNode = next?.queue[0];
    if (next && nextNode) await deps.startNode(next, nodeKey(next.campaignId, nextNode.node.id));
    return {
      ...{ nodeId: content.node.id, sessionId: session.id, status },
      ...{ turns: step.turns, duplicates: step.duplicates, detail: step.detail },
    };
  }
}

/** Options of {@link createDraftTasks}. */
export interface DraftTasksOptions {
  /** The tasks' id prefix: `<id>-campaign` and `<id>-node`. Default `puffle-draft`. */
  id?: string | undefined;
  /** Builds the client inside the worker (so it reads the worker's environment). */
  client: () => PuffleClient;
  /** The dispatch store every machine shares (required: see the module comment). */
  store: DispatchStore;
  /** Attempts per run (Trigger.dev's retries re-run `run()` from the start). Default 5. */
  maxAttempts?: number | undefined;
  /** How long one step waits for a turn before a `wait.for`. Default 30 000 ms. */
  turnWaitMs?: number | undefined;
}

/**
 * The two Trigger.dev tasks of a campaign draft. Export both from your `trigger/` folder, then
 * `tasks.trigger("<id>-campaign", { campaignId, options })`.
 *
 * @param options - the id prefix, the client factory, the shared store.
 * @returns `campaignTask` and `nodeTask`.
 * @throws TypeError when `client` or `store` is missing.
 * @example
 * ```ts
 * import { PuffleClient } from "puffle-chat";
 * import { createMemoryStore } from "puffle-chat/campaign";
 * import { createDraftTasks } from "puffle-chat/trigger";
 * const { campaignTask } = createDraftTasks({ client: () => new PuffleClient(), store: createMemoryStore() });
 * ```
 */
export function createDraftTasks(options: DraftTasksOptions) {
  if (typeof options?.client !== "function" || typeof options.store?.get !== "function") {
    throw new TypeError(
      "createDraftTasks: pass { client: () => new PuffleClient(), store } (a DispatchStore every machine shares).",
    );
  }
  const id = options.id ?? "puffle-draft";
  const retry = { maxAttempts: options.maxAttempts ?? 5 };
  // One step of a node at a time: concurrency 1, copied per concurrencyKey (one per node).
  const nodeQueue = queue({ name: `${id}-nodes`, concurrencyLimit: 1 });
  const deps = (signal: AbortSignal | undefined): DraftRunDeps => ({
    ...{ client: options.client(), store: options.store, signal, turnWaitMs: options.turnWaitMs },
    sleep: (ms) => wait.for({ seconds: Math.ceil(ms / 1_000) }),
    startNode: async (job, key) => {
      const idempotencyKey = await idempotencyKeys.create([key, String(job.queue.length)], {
        scope: "global",
      });
      await nodeTask.trigger(job, { concurrencyKey: key, idempotencyKey });
    },
  });
  const nodeTask = task({
    id: `${id}-node`,
    queue: nodeQueue,
    retry,
    run: (payload: NodeJobData, { signal }) => runNodeDraft(payload, deps(signal)),
  });
  const campaignTask = task({
    id: `${id}-campaign`,
    retry,
    run: (payload: CampaignJobData, { signal }) => runCampaignDraft(payload, deps(signal)),
  });
  return { campaignTask, nodeTask };
}
