/**
 * `advanceSession`: one re-entrant, reconcile-first step of one session. Read the session, let the
 * pure planner (./plan-next.ts) decide from the transcript and the saved intent, and take at most
 * one paid action: the intent is saved before the POST, which goes through the at-most-once
 * dispatch rule (./dispatch.ts). It never waits unless told (`wait: "block"`), and then within
 * `deadline`. See docs/architecture.md "Campaign driver".
 *
 * @module
 */
import { isPuffleError } from "../base/puffle-error";
import type {
  AdvancePlan,
  AdvanceResult,
  AdvanceSessionOptions,
  DispatchIntent,
} from "../core/draft-types";
import { DispatchUnknownError, TaskFailedError, WaitTimeoutError } from "../core/errors";
import { DEFAULT_TIMEOUT_MS, DEFAULT_WAIT_DEADLINE_MS } from "../core/options";
import type { RunHandle, Session } from "../core/types";
import { checkOptions } from "../internal/check-options";
import { ADVANCE_SESSION_OPTIONS, checkPlan } from "../internal/draft-options";
import type { CallOptions } from "../internal/http";
import { fingerprint } from "../internal/session-memory";
import { validateId } from "../internal/validate";
import { sleep } from "../realtime/internal";
import { sessionBusy } from "./classify";
import { type MethodContext, withDeadline } from "./context";
import { dispatch } from "./dispatch-task";
import { matchTranscript, type NextAction, planNext } from "./plan-next";
import { waitForIdleDetailed } from "./wait-for-idle";

/** The store key of a session's last dispatch intent. */
export const intentKey = (sessionId: string) => `puffle-chat/intent/${sessionId.toLowerCase()}`;
/** The store key of the messages `compose` wrote for a session, by position. */
export const composedKey = (sessionId: string) => `puffle-chat/composed/${sessionId.toLowerCase()}`;

/** The default quiet period: one request timeout plus 5 s. */
export const quietPeriodOf = (options: AdvanceSessionOptions, clientTimeout: number) =>
  options.quietPeriod ?? (options.timeout ?? clientTimeout ?? DEFAULT_TIMEOUT_MS) + 5_000;

/** One step in progress. */
interface Step {
  ctx: MethodContext;
  id: string;
  plan: AdvancePlan;
  options: AdvanceSessionOptions;
  call: CallOptions | undefined;
  quietPeriod: number;
  /** Epoch ms the step must end by (`Infinity` without a deadline). */
  endBy: number;
  /** A limiter slot was taken and not used yet (the plan was read again after a long wait). */
  acquired?: boolean;
}

/** The implementation behind `PuffleClient.advanceSession` (arguments and options checked). */
export async function advanceSession(
  ctx: MethodContext,
  sessionId: string,
  plan: AdvancePlan,
  options: AdvanceSessionOptions,
): Promise<AdvanceResult> {
  const block = options.wait === "block";
  const deadline = options.deadline ?? (block ? DEFAULT_WAIT_DEADLINE_MS : undefined);
  const call = withDeadline({ ...requestPart(options), deadline });
  const step: Step = {
    ...{ ctx, id: sessionId, plan, options, call },
    quietPeriod: quietPeriodOf(options, ctx.settings.timeout),
    endBy: call?.deadlineAt ?? Number.POSITIVE_INFINITY,
  };
  for (;;) {
    let session = await ctx.getSession(sessionId, call);
    if (block && session.task_status != null) session = await waitBusy(step, session);
    const intent = await readIntent(step);
    const messages = await plannedMessages(step, session);
    const action = planNext({
      ...{ session, plan: { ...plan, messages }, intent, now: Date.now() },
      ...{ quietPeriod: step.quietPeriod, hasStore: options.store !== undefined },
      resendUnknown: options.onUnknown === "resend",
      adaptive: options.compose !== undefined,
    });
    const outcome = await act(step, session, messages, action);
    if (outcome !== "again") return outcome;
  }
}

/** The request options of a step (its own keys left out). */
function requestPart(o: AdvanceSessionOptions): CallOptions {
  const { signal, timeout, maxRetries, headers } = o;
  return { signal, timeout, maxRetries, headers };
}

/** Carry out the planner's action; `"again"` to read and plan once more (after a wait). */
async function act(
  step: Step,
  session: Session,
  messages: string[],
  action: NextAction,
): Promise<AdvanceResult | "again"> {
  const base = { session, ...transcriptFigures(session, messages) };
  switch (action.kind) {
    case "done":
      return result(base, "drafted", action.detail);
    case "needs-attention":
      return { ...result(base, "needs_attention", action.detail), reason: action.reason };
    case "wait":
      return waitOrReturn(step, base, action);
    case "compose": {
      const message = await compose(step, session, action.index);
      return send(step, session, { op: "turn", index: action.index, message });
    }
    case "send-turn":
      return send(step, session, { op: "turn", index: action.index, message: action.message });
    case "generate-examples":
      return send(step, session, { op: "examples" });
  }
}

type Base = Pick<AdvanceResult, "session" | "turns" | "duplicates">;

function transcriptFigures(session: Session, messages: string[]) {
  const { users, duplicates } = matchTranscript(session, messages);
  return { turns: users.length, duplicates };
}

function result(base: Base, status: AdvanceResult["status"], detail: string): AdvanceResult {
  return { ...base, status, detail, dispatched: null, run: null, retryAfterMs: null, reason: null };
}

/** A wait the planner asked for: done here with `wait: "block"` when it fits the deadline. */
async function waitOrReturn(
  step: Step,
  base: Base,
  action: Extract<NextAction, { kind: "wait" }>,
): Promise<AdvanceResult | "again"> {
  const retryAfterMs = action.untilMs === null ? 2_500 : Math.max(0, action.untilMs - Date.now());
  const fits = Date.now() + retryAfterMs < step.endBy;
  if (step.options.wait === "block" && fits) {
    await sleep(retryAfterMs, step.options.signal);
    return "again";
  }
  return { ...result(base, "busy", action.detail), reason: action.reason, retryAfterMs };
}

/** The last intent saved for this session (anything else in the store is ignored). */
async function readIntent(step: Step): Promise<DispatchIntent | undefined> {
  const value = await step.options.store?.get(intentKey(step.id));
  if (typeof value !== "object" || value === null) return undefined;
  const intent = value as Partial<DispatchIntent>;
  return intent.version === 1 && (intent.op === "turn" || intent.op === "examples")
    ? (value as DispatchIntent)
    : undefined;
}

/**
 * The plan's messages, and with `compose` those it wrote past them for the positions the
 * transcript already holds (from the store; recomposed when the store has none), so the planner
 * checks every landed position.
 */
async function plannedMessages(step: Step, session: Session): Promise<string[]> {
  const messages = [...step.plan.messages];
  if (!step.options.compose) return messages;
  const users = (session.messages ?? []).filter((m) => m?.role === "user").length;
  const saved = ((await step.options.store?.get(composedKey(step.id))) ?? {}) as Record<
    string,
    unknown
  >;
  for (let k = messages.length; k < users; k++) {
    const text = saved[k];
    messages.push(typeof text === "string" ? text : await compose(step, session, k, false));
  }
  return messages;
}

/** The question before user message `index`: the assistant messages after the one before it. */
function questionBefore(session: Session, index: number): string {
  const out: string[] = [];
  let users = 0;
  for (const m of session.messages ?? []) {
    if (m?.role === "user") {
      users += 1;
      if (users > index) break;
      out.length = 0;
    } else if (m?.role === "assistant") out.push(m.content);
  }
  return out.join("\n\n");
}

/** Compose the message at `index` with the caller's function (saved before it is sent). */
async function compose(step: Step, session: Session, index: number, save = true): Promise<string> {
  const fn = step.options.compose;
  if (!fn) throw new Error("compose called without options.compose");
  const text = await fn(questionBefore(session, index), {
    session,
    index,
    nodeType: step.plan.nodeType,
  });
  if (typeof text !== "string" || text.trim() === "") {
    throw new TypeError(
      `compose returned ${JSON.stringify(text)} for message ${index + 1}: it must return a non-empty string`,
    );
  }
  const store = step.options.store;
  if (save && store) {
    const key = composedKey(step.id);
    const saved = ((await store.get(key)) ?? {}) as Record<string, unknown>;
    await store.set(key, { ...saved, [index]: text });
  }
  return text;
}

type Dispatched = NonNullable<AdvanceResult["dispatched"]>;

/** Acquire, check ownership, save the intent, then POST once under the at-most-once rule. */
async function send(
  step: Step,
  session: Session,
  what: Dispatched,
): Promise<AdvanceResult | "again"> {
  const { ctx, id, options, plan } = step;
  const base = { session, ...transcriptFigures(session, plan.messages) };
  if (options.acquire && !step.acquired) {
    const asked = Date.now();
    await options.acquire(what.op);
    step.acquired = true;
    // A long limiter wait: the session may have moved on (another worker); read and plan again,
    // keeping the slot.
    if (Date.now() - asked > 1_000) return "again";
  }
  step.acquired = false;
  if (options.stillOwner && !(await options.stillOwner())) {
    return {
      ...result(
        base,
        "needs_attention",
        "stillOwner() said another worker owns this session now; nothing was sent",
      ),
      reason: "not-owner",
    };
  }
  const intent = newIntent(step, session, what);
  await options.store?.set(intentKey(id), intent);
  const margin = Math.min(5_000, step.quietPeriod / 4);
  const dispatchOptions = {
    ...step.call,
    deadline: undefined,
    deadlineAt: Math.min(intent.at + step.quietPeriod - margin, step.endBy),
    reconcileTimeout: Math.min(10_000, step.quietPeriod),
  };
  let run: RunHandle;
  try {
    run = await dispatch(ctx, {
      ...(what.op === "turn"
        ? { operation: "runTurn" as const, body: turnBody(plan, what.message) }
        : { operation: "generateExamples" as const, body: examplesBody(plan) }),
      sessionId: id,
      options: dispatchOptions,
    });
  } catch (error) {
    return dispatchFailed(step, base, intent, error);
  }
  const sent = { ...result(base, "sent", describeSent(what, run)), dispatched: what, run };
  return options.wait === "block" ? afterSend(step, sent) : sent;
}

function newIntent(step: Step, session: Session, what: Dispatched): DispatchIntent {
  const at = Date.now();
  return {
    version: 1,
    sessionId: step.id,
    op: what.op,
    ...(what.op === "turn" ? { index: what.index, message: what.message } : {}),
    usersBefore: (session.messages ?? []).filter((m) => m?.role === "user").length,
    examplesBefore: fingerprint(session.generated_examples),
    updatedAtBefore: session.updated_at,
    at,
    quietUntil: at + step.quietPeriod,
  };
}

function turnBody(plan: AdvancePlan, message: string) {
  const { availableVarNames, sampleLeads, sequenceContext } = plan;
  return {
    message,
    ...(availableVarNames ? { availableVarNames } : {}),
    ...(sampleLeads ? { sampleLeads } : {}),
    ...(sequenceContext ? { sequenceContext } : {}),
  };
}

function examplesBody(plan: AdvancePlan) {
  const { sequenceContext } = plan;
  return {
    leads: plan.examples ?? [],
    isFirstBatch: true,
    ...(sequenceContext ? { sequenceContext } : {}),
  };
}

function describeSent(what: Dispatched, run: RunHandle): string {
  const name = what.op === "turn" ? `turn ${what.index + 1}` : "an example run";
  return run.reconciled
    ? `sent ${name}; its answer was lost, and the session shows it running`
    : `sent ${name} (run ${run.runId})`;
}

/**
 * A dispatch that threw: a 409 or another proven refusal sent nothing (the intent is cleared);
 * a lost answer the session never showed waits out the quiet period (the next step proves or
 * not); anything else (abort, unknown) keeps the intent and is thrown.
 */
async function dispatchFailed(
  step: Step,
  base: Base,
  intent: DispatchIntent,
  error: unknown,
): Promise<AdvanceResult> {
  if (error instanceof DispatchUnknownError) {
    const retryAfterMs = Math.max(0, intent.quietUntil - Date.now());
    const detail = `the ${intent.op} dispatch's answer was lost and the session does not show it yet; the next step decides after the quiet period (${retryAfterMs} ms)`;
    return {
      ...result({ ...base, session: error.session ?? base.session }, "busy", detail),
      reason: "quiet-period",
      retryAfterMs,
    };
  }
  if (isPuffleError(error) && error.dispatch === "not_sent") {
    await step.options.store?.set(intentKey(step.id), null);
    if (sessionBusy(error)) {
      const detail =
        "the session was claimed by another task just before the POST (409): nothing was sent";
      return { ...result(base, "busy", detail), reason: "session-busy", retryAfterMs: 2_500 };
    }
  }
  throw error;
}

/** `wait: "block"`: wait for the task just sent, within the deadline; its outcome is reported. */
async function afterSend(step: Step, sent: AdvanceResult): Promise<AdvanceResult> {
  try {
    const session = await waitIdle(step, sent.session, sent.run ?? undefined);
    return { ...sent, session, ...transcriptFigures(session, step.plan.messages) };
  } catch (error) {
    if (error instanceof TaskFailedError || error instanceof WaitTimeoutError) {
      const session = error.session ?? sent.session;
      return { ...sent, session, detail: `${sent.detail}; ${error.message}` };
    }
    throw error;
  }
}

/** `wait: "block"` on a busy session: wait for idle; at the deadline, plan on the last read. */
async function waitBusy(step: Step, session: Session): Promise<Session> {
  try {
    return await waitIdle(step, session, undefined);
  } catch (error) {
    if (error instanceof WaitTimeoutError) return error.session ?? session;
    throw error;
  }
}

/** Wait for idle within what is left of the step. */
async function waitIdle(
  step: Step,
  session: Session,
  run: RunHandle | undefined,
): Promise<Session> {
  const left = step.endBy - Date.now();
  if (left <= 0) return session;
  const wait = await waitForIdleDetailed(step.ctx, step.id, {
    ...(run ? { run } : {}),
    deadline: Math.min(left, 2_147_483_647),
    signal: step.options.signal,
    timeout: step.options.timeout,
  });
  return wait.session;
}

/** `PuffleClient.advanceSession`: check the id, the plan, then the options; then one step. */
export function advanceSessionChecked(
  ctx: MethodContext,
  sessionId: string,
  plan: AdvancePlan,
  options: AdvanceSessionOptions,
): Promise<AdvanceResult> {
  const id = validateId("advanceSession", "sessionId", sessionId);
  const checked = checkPlan(plan);
  checkOptions("advanceSession", "options", options, ADVANCE_SESSION_OPTIONS);
  return advanceSession(ctx, id, checked, options);
}
