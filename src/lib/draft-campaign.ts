/**
 * `draftCampaign`: every content node of a draft campaign, each through `advanceSession` steps,
 * `concurrency` sessions at a time, every request through one limiter. Resumable from the server's
 * state: it finds each node's session (the oldest; never a second), and the planner decides from
 * the transcript and the store's intents, so a rerun after a crash continues where it stopped.
 *
 * `concurrency` counts sessions in flight. A node's first turn (the brief, which draws clarifying
 * questions) runs beside the nodes before it; its later turns wait until every node before it (of
 * those asked for) has a draft or has ended, so that its draft is written with theirs as
 * `sequenceContext`.
 *
 * @module
 */
import { isPuffleError } from "../base/puffle-error";
import type { CampaignDetail } from "../core/campaign-types";
import { DraftCampaignError } from "../core/draft-errors";
import type {
  AdvanceResult,
  AdvanceSessionOptions,
  DispatchStore,
  DraftCampaignOptions,
  DraftCampaignResult,
  DraftNodeResult,
  DraftProgressEvent,
} from "../core/draft-types";
import { APIUserAbortError, TaskFailedError, WaitTimeoutError } from "../core/errors";
import type { MethodTraceMessage } from "../core/trace-types";
import type { RunHandle, Session } from "../core/types";
import { checkDraftOptions } from "../internal/draft-options";
import type { CallOptions } from "../internal/http";
import { traced } from "../internal/trace";
import { validateId } from "../internal/validate";
import { sleep } from "../realtime/internal";
import { createSession, listSessions } from "../resources/sessions";
import { advanceSession } from "./advance-session";
import { getCampaign } from "./campaigns";
import { readWorthRetrying } from "./classify";
import { type ClientState, type MethodContext, runMethod, withDeadline } from "./context";
import {
  type ContentNode,
  canonicalSession,
  contentNodes,
  nodePlan,
  type PriorDraft,
  priorOf,
} from "./draft-plan";
import { finishSession } from "./finish-session";
import { createLimiter, type RequestLimiter } from "./limiter";
import { createMemoryStore } from "./memory-store";
import { waitForIdleDetailed } from "./wait-for-idle";

/** One node of the call. */
interface NodeState {
  content: ContentNode;
  session: Session | undefined;
  started: boolean;
  /** Set when the node ended; the nodes after it no longer wait for it. */
  result: DraftNodeResult | undefined;
  turnsSent: number;
  duplicates: number[];
  /**
   * This call created the session or dispatched to it: its intents are in the call's store from
   * then on. Until then, without a store of the caller's, a resumed session gets the quiet rule.
   */
  known: boolean;
}

/** One draftCampaign call in progress. */
interface Drafting {
  ctx: MethodContext;
  campaignId: string;
  options: DraftCampaignOptions;
  call: CallOptions | undefined;
  deadlineAt: number;
  nodes: NodeState[];
  /** Every content node's draft as last seen (nodes not asked for included). */
  prior: PriorDraft[];
  turnsSent: number;
  stopped: DraftCampaignResult["stopped"];
  /** Without a store of the caller's: intents in memory, for the sessions this call knows. */
  memory: DispatchStore;
  changed: () => Promise<void>;
  notify: () => void;
}

/** Steps in a row that may fail on a transient error before the node fails. */
const MAX_TRANSIENT = 5;

/** A step that threw this may be taken again: a transient failure, and no dispatch of unknown fate. */
function stepWorthRetrying(error: unknown): boolean {
  return readWorthRetrying(error) && !(isPuffleError(error) && error.dispatch === "unknown");
}

/** Thrown by the turn budget before a POST: nothing sent. */
const BUDGET = new Error("maxTurns reached");

/**
 * `PuffleClient.draftCampaign`: check the id and the options (nothing sent on a refusal), then
 * draft through a limiter of the call's own on the client's transport.
 */
export async function draftCampaign(
  state: ClientState,
  campaignId: string,
  options: DraftCampaignOptions,
): Promise<DraftCampaignResult> {
  const id = validateId("draftCampaign", "campaignId", campaignId);
  const checked = checkDraftOptions(options);
  const limiter = createLimiter(checked.requestsPerMinute);
  const base = state.transport.fetch;
  const fetch = limiter.wrap((input, init) => (base ?? globalThis.fetch)(input, init));
  const limited: ClientState = { ...state, transport: { ...state.transport, fetch } };
  return runMethod(limited, null, null, (ctx) => runDraft(ctx, id, checked, limiter));
}

async function runDraft(
  ctx: MethodContext,
  campaignId: string,
  options: DraftCampaignOptions,
  limiter: RequestLimiter,
): Promise<DraftCampaignResult> {
  const started = Date.now();
  const { signal, timeout, maxRetries, headers, deadline } = options;
  const call = withDeadline({ signal, timeout, maxRetries, headers });
  const detail = await getCampaign(ctx, campaignId, call);
  const all = contentNodes(detail.sequence_nodes);
  const selected = selectNodes(campaignId, detail, all, options);
  const sessions = await listSessions(ctx, { campaignId }, call);
  const waiters: Array<() => void> = [];
  const run: Drafting = {
    ...{ ctx, campaignId, options, call, turnsSent: 0, stopped: null, memory: createMemoryStore() },
    deadlineAt: deadline === undefined ? Number.POSITIVE_INFINITY : started + deadline,
    nodes: selected.map((content) => ({
      ...{ content, session: canonicalSession(sessions, content.node.id), started: false },
      ...{ result: undefined, turnsSent: 0, duplicates: [], known: false },
    })),
    prior: all.map((c) => priorOf(c, canonicalSession(sessions, c.node.id))),
    changed: () => new Promise<void>((resolve) => waiters.push(resolve)),
    notify: () => {
      for (const wake of waiters.splice(0)) wake();
    },
  };
  const workers = Math.min(options.concurrency ?? 2, run.nodes.length);
  await Promise.all(Array.from({ length: workers }, () => worker(run)));
  return {
    campaignId,
    nodes: run.nodes.map(
      (n) => n.result ?? stoppedResult(n, "the call stopped before this node started"),
    ),
    turnsSent: run.turnsSent,
    requests: limiter.requests,
    elapsedMs: Date.now() - started,
    stopped: run.stopped,
  };
}

/** The nodes asked for; refuses a campaign that is not a draft, unknown ids, impossible options. */
function selectNodes(
  campaignId: string,
  detail: CampaignDetail,
  all: ContentNode[],
  options: DraftCampaignOptions,
): ContentNode[] {
  const refuse = (reason: DraftCampaignError["reason"], message: string): never => {
    throw new DraftCampaignError(
      `${message} Only the campaign was read; nothing was created or sent.`,
      {
        reason,
        campaignId,
      },
    );
  };
  const status = detail.campaign.status;
  if (status !== undefined && status !== "draft") {
    refuse(
      "campaign-not-draft",
      `Campaign ${campaignId} is ${status}; draftCampaign drafts draft campaigns only.`,
    );
  }
  const list = all.map((c) => `${c.node.id} (${c.type}, position ${c.position})`).join(", ");
  if (all.length === 0)
    refuse("no-content-nodes", `Campaign ${campaignId} has no email or ai node to draft.`);
  const wanted = options.nodes?.map((n) => n.toLowerCase());
  const unknown = wanted?.filter((n) => !all.some((c) => c.node.id.toLowerCase() === n)) ?? [];
  if (unknown.length > 0) {
    refuse(
      "unknown-node",
      `options.nodes has ${unknown.join(", ")}, not an email or ai node of campaign ${campaignId}; its content nodes are: ${list}.`,
    );
  }
  const selected = wanted ? all.filter((c) => wanted.includes(c.node.id.toLowerCase())) : all;
  if (options.finish && !options.examples?.length && selected.some((c) => c.type === "ai")) {
    refuse(
      "finish-needs-examples",
      "finish: true needs options.examples for the ai nodes: finishSession copies an ai node's generated examples onto prospects.",
    );
  }
  return selected;
}

/** Take the next node in order, until none is left. */
async function worker(run: Drafting): Promise<void> {
  for (;;) {
    const node = run.nodes.find((n) => !n.started);
    if (!node) return;
    node.started = true;
    // One `draftCampaignNode` span per node on the method channel (puffle-chat/otel: invoke_agent).
    const about = (): MethodTraceMessage => ({
      ...{ method: "draftCampaignNode", campaignId: run.campaignId, nodeId: node.content.node.id },
      sessionId: node.session?.id,
    });
    node.result = await traced("method", about, () => driveNode(run, node));
    run.notify();
  }
}

const hasDraft = (s: Session | undefined) => !!(s?.draft_subject && s.draft_body);

function emit(run: Drafting, node: NodeState, type: DraftProgressEvent["type"], detail: string) {
  const users = (node.session?.messages ?? []).filter((m) => m?.role === "user").length;
  try {
    run.options.onProgress?.({
      type,
      nodeId: node.content.node.id,
      sessionId: node.session?.id ?? null,
      turns: users,
      detail,
    });
  } catch {
    // A progress callback never stops the drafting.
  }
}

/** Steps of one node until it is drafted, needs attention, or the call stops. */
async function driveNode(run: Drafting, node: NodeState): Promise<DraftNodeResult> {
  try {
    if (!node.session) {
      node.session = await sessionFor(run, node.content);
      node.known = true;
    }
    emit(run, node, "node_started", `session ${node.session.id}`);
    for (let transient = 0; ; ) {
      const stop = stopReason(run);
      if (stop) return stoppedResult(node, stop);
      if (!(await earlierDrafted(run, node))) continue;
      let step: AdvanceResult;
      try {
        step = await advance(run, node, node.session.id);
      } catch (error) {
        // A garbled or failed read (or a dispatch refused with proof nothing was sent): the step
        // is safe to take again, a few times, after a pause.
        if (!stepWorthRetrying(error) || transient >= MAX_TRANSIENT) throw error;
        transient += 1;
        emit(run, node, "waiting", `${(error as Error).message}; trying the step again`);
        await sleep(
          Math.min(250 * 2 ** transient, run.deadlineAt - Date.now()),
          run.options.signal,
        );
        continue;
      }
      transient = 0;
      seen(run, node, step.session, step.duplicates);
      const ended = await afterStep(run, node, step);
      if (ended) return ended;
    }
  } catch (error) {
    if (error === BUDGET) {
      run.stopped ??= "max-turns";
      return stoppedResult(node, `the call's maxTurns (${run.options.maxTurns}) are used up`);
    }
    if (error instanceof APIUserAbortError || run.options.signal?.aborted) {
      run.stopped ??= "signal";
      return stoppedResult(node, "stopped by the signal");
    }
    const message = error instanceof Error ? error.message : String(error);
    emit(run, node, "failed", message);
    return nodeResult(node, "failed", { error: message });
  }
}

/**
 * A node past its first turn (the brief, which draws clarifying questions) waits until every node
 * before it has a draft or has ended, so that the turns that write its draft carry theirs as
 * `sequenceContext`. False after a wait (check the stop reasons again), true to go on.
 */
async function earlierDrafted(run: Drafting, node: NodeState): Promise<boolean> {
  const turns = (node.session?.messages ?? []).filter((m) => m?.role === "user").length;
  const earlier = run.nodes.slice(0, run.nodes.indexOf(node));
  if (turns === 0 || earlier.every((n) => n.result || hasDraft(n.session))) return true;
  emit(run, node, "waiting", "waiting for the drafts of the nodes before it");
  const left = run.deadlineAt - Date.now();
  // The pause is caught: an abort after the race ended must not reject unheard (the loop's stop
  // check sees the signal).
  const pause = sleep(Math.max(0, Math.min(left, 5_000)), run.options.signal).catch(
    () => undefined,
  );
  await Promise.race([run.changed(), pause]);
  return false;
}

/** Why the call stops now (the signal or the deadline), or undefined. */
function stopReason(run: Drafting): string | undefined {
  if (run.options.signal?.aborted) {
    run.stopped ??= "signal";
    return "stopped by the signal";
  }
  if (Date.now() >= run.deadlineAt) {
    run.stopped ??= "deadline";
    return `the call's deadline (${run.options.deadline} ms) passed`;
  }
  if (run.stopped === "max-turns")
    return `the call's maxTurns (${run.options.maxTurns}) are used up`;
  return undefined;
}

/** One advanceSession step for the node, with the call's store, budget and deadline. */
function advance(run: Drafting, node: NodeState, sessionId: string): Promise<AdvanceResult> {
  const { options } = run;
  const answers = options.answers;
  const step: AdvanceSessionOptions = {
    ...{ signal: options.signal, timeout: options.timeout, maxRetries: options.maxRetries },
    ...{ headers: options.headers, quietPeriod: options.quietPeriod, onUnknown: options.onUnknown },
    // The step's reads and its dispatch end by the call's deadline too.
    ...(Number.isFinite(run.deadlineAt)
      ? { deadline: Math.max(1, run.deadlineAt - Date.now()) }
      : {}),
    store: options.store ?? (node.known ? run.memory : undefined),
    wait: "return",
    acquire: async (kind) => {
      if (kind !== "turn") return;
      if (options.maxTurns !== undefined && run.turnsSent >= options.maxTurns) throw BUDGET;
      node.known = true;
      run.turnsSent += 1;
      node.turnsSent += 1;
    },
    ...(typeof answers === "function" ? { compose: answers } : {}),
  };
  return advanceSession(run.ctx, sessionId, nodePlan(node.content, options, run.prior), step);
}

/** Record what a step saw: the node's session, its draft for the nodes after it. */
function seen(run: Drafting, node: NodeState, session: Session, duplicates: number[]) {
  const had = hasDraft(node.session);
  node.session = session;
  node.duplicates = duplicates;
  const prior = run.prior.find((p) => p.position === node.content.position);
  if (prior) Object.assign(prior, { subject: session.draft_subject, body: session.draft_body });
  if (!had && hasDraft(session)) run.notify();
}

/** What a step's status means for the node: go on (undefined) or its result. */
async function afterStep(
  run: Drafting,
  node: NodeState,
  step: AdvanceResult,
): Promise<DraftNodeResult | undefined> {
  switch (step.status) {
    case "sent":
      emit(run, node, "turn_sent", step.detail);
      emit(run, node, "waiting", "waiting for the task to finish");
      await waitTask(run, node, step.run);
      return undefined;
    case "busy":
      emit(run, node, "waiting", step.detail);
      if (step.reason === "session-busy") await waitTask(run, node, undefined);
      else
        await sleep(
          Math.min(step.retryAfterMs ?? 1_000, Math.max(0, run.deadlineAt - Date.now())),
          run.options.signal,
        );
      return undefined;
    case "drafted":
      return drafted(run, node);
    case "needs_attention":
      emit(run, node, "needs_attention", step.detail);
      return nodeResult(node, "needs_attention", {
        reason: step.reason ?? undefined,
        error: step.detail,
      });
  }
}

/** Wait for the node's task (the run just sent, or whatever keeps it busy), within the deadline. */
async function waitTask(run: Drafting, node: NodeState, handle: RunHandle | null | undefined) {
  const id = node.session?.id as string;
  const left = Math.max(1, Math.min(run.deadlineAt - Date.now(), 2_147_483_647));
  try {
    const wait = await waitForIdleDetailed(run.ctx, id, {
      ...(handle ? { run: handle } : {}),
      deadline: left,
      signal: run.options.signal,
      timeout: run.options.timeout,
    });
    seen(run, node, wait.session, node.duplicates);
  } catch (error) {
    // A failed run or the deadline: the next step reads the session and decides (or stops).
    if (!(error instanceof TaskFailedError || error instanceof WaitTimeoutError)) throw error;
    if (error.session) seen(run, node, error.session, node.duplicates);
  }
}

/** A drafted node, finished with finishSession when asked. */
async function drafted(run: Drafting, node: NodeState): Promise<DraftNodeResult> {
  if (!run.options.finish) {
    emit(run, node, "drafted", "the draft passes the node's lint rule");
    return nodeResult(node, "drafted", {});
  }
  const session = node.session as Session;
  const lint = { availableVarNames: run.options.availableVarNames };
  try {
    await finishSession(run.ctx, session.id, { ...run.call, lint });
  } catch (error) {
    if (!isPuffleError(error)) throw error;
    emit(run, node, "needs_attention", error.message);
    return nodeResult(node, "needs_attention", {
      error: `drafted, but finishSession refused: ${error.message}`,
    });
  }
  emit(run, node, "finished", "finishSession copied the draft and resolved the messages");
  return nodeResult(node, "finished", {});
}

/** The node's session: the oldest existing one, else one created now (listed again after). */
async function sessionFor(run: Drafting, content: ContentNode): Promise<Session> {
  const params = { campaign_id: run.campaignId, node_id: content.node.id };
  let created: Session | undefined;
  let failure: unknown;
  try {
    created = await createSession(run.ctx, params, run.call);
  } catch (error) {
    failure = error; // an answer lost after the insert: the list below shows the session
  }
  // Whoever created first wins: a racing run (or a server that allows duplicates) converges.
  const sessions = await listSessions(run.ctx, { campaignId: run.campaignId }, run.call);
  const session = canonicalSession(sessions, content.node.id) ?? created;
  if (!session) throw failure;
  return session;
}

function nodeResult(
  node: NodeState,
  status: DraftNodeResult["status"],
  extra: Pick<DraftNodeResult, "reason" | "error">,
): DraftNodeResult {
  const s = node.session;
  return {
    nodeId: node.content.node.id,
    nodeType: node.content.type,
    position: node.content.position,
    sessionId: s?.id ?? null,
    status,
    turnsSent: node.turnsSent,
    turns: (s?.messages ?? []).filter((m) => m?.role === "user").length,
    draft_subject: s?.draft_subject ?? null,
    draft_body: s?.draft_body ?? null,
    duplicates: node.duplicates,
    ...(extra.reason ? { reason: extra.reason } : {}),
    ...(extra.error ? { error: extra.error } : {}),
  };
}

function stoppedResult(node: NodeState, why: string): DraftNodeResult {
  return nodeResult(node, "needs_attention", { reason: "stopped", error: why });
}
