/**
 * The planner of the campaign driver: a pure function from what the server shows (the session),
 * the plan and the last saved dispatch intent to the one next action. Every decision about what
 * has landed is made here, by position, never by guessing (docs/architecture.md "Campaign driver").
 *
 * @module
 */
import type { AdvancePlan, AdvanceReason, DispatchIntent } from "../core/draft-types";
import type { Session } from "../core/types";
import { fingerprint } from "../internal/session-memory";
import { lintDraft } from "../template/lint";

/**
 * The next action for one session.
 *
 * @example
 * ```ts
 * import { planNext, type NextAction } from "puffle-chat/campaign";
 * const action: NextAction = planNext({ session, plan, intent: undefined, now: Date.now(), quietPeriod: 65_000, hasStore: true });
 * ```
 */
export type NextAction =
  | {
      kind: "wait";
      reason: "session-busy" | "quiet-period";
      untilMs: number | null;
      detail: string;
    }
  | { kind: "send-turn"; index: number; message: string }
  | { kind: "compose"; index: number }
  | { kind: "generate-examples" }
  | { kind: "done"; detail: string }
  | { kind: "needs-attention"; reason: AdvanceReason; detail: string };

/** What {@link planNext} decides from. */
export interface PlanInput {
  session: Session;
  plan: AdvancePlan;
  /** The last dispatch intent saved for this session, if any. */
  intent: DispatchIntent | undefined;
  /** Now (epoch ms). */
  now: number;
  /** See `AdvanceSessionOptions.quietPeriod`. */
  quietPeriod: number;
  /** Whether intents are saved; without, a session updated within the quiet period is waited for. */
  hasStore: boolean;
  /** Resend a dispatch whose fate is unknown (`onUnknown: "resend"`). Default false. */
  resendUnknown?: boolean | undefined;
  /** Positions past `plan.messages` are composed (`compose` given). Default false. */
  adaptive?: boolean | undefined;
}

/** What the planner found in the transcript: the positions that landed, and any double dispatch. */
export interface Transcript {
  /** User messages in order. */
  users: string[];
  /** Planned messages that landed (the next planned position). */
  landed: number;
  /** Positions (in `users`) that repeat the planned message before them. */
  duplicates: number[];
  /** The first position that is not the plan's, if any. */
  foreign: number | undefined;
}

/**
 * Match the transcript against the plan by position: user message k is the next planned message,
 * or a repeat of the one before (a double dispatch: reported, positions shifted), or foreign.
 *
 * @example
 * ```ts
 * import { matchTranscript } from "puffle-chat/campaign";
 * matchTranscript(session, ["Brief", "yes"]).landed; // 2 when both are there
 * ```
 */
export function matchTranscript(session: Session, messages: readonly string[]): Transcript {
  const users = (session.messages ?? []).filter((m) => m?.role === "user").map((m) => m.content);
  let landed = 0;
  const duplicates: number[] = [];
  for (const [k, text] of users.entries()) {
    if (landed < messages.length && text === messages[landed]) landed += 1;
    else if (landed > 0 && text === messages[landed - 1]) duplicates.push(k);
    else return { users, landed, duplicates, foreign: k };
  }
  return { users, landed, duplicates, foreign: undefined };
}

/**
 * Whether the session's draft is done for its node type: a subject and a body without lint errors;
 * an `email` node's `&&instruction&&` blocks count as errors (it is sent as written), an `ai`
 * node's are its per-lead instructions.
 *
 * @example
 * ```ts
 * import { draftDone } from "puffle-chat/campaign";
 * draftDone(session, { nodeType: "email", messages: [] }); // false while blocks remain
 * ```
 */
export function draftDone(
  session: Session,
  plan: Pick<AdvancePlan, "nodeType" | "availableVarNames">,
): boolean {
  const { draft_subject: subject, draft_body: body } = session;
  if (!subject?.trim() || !body?.trim()) return false;
  return lintDraft(
    { subject, body },
    {
      availableVarNames: plan.availableVarNames,
      instructions: plan.nodeType === "ai" ? "off" : "error",
    },
  ).ok;
}

const busy = (s: Session) => s.task_status !== null && s.task_status !== undefined;

/**
 * The next action: wait while busy or while a dispatch may be on its way; never send a planned
 * message already in the transcript; a foreign user message, an unprovable dispatch or the turn
 * limit stop the session for a person.
 *
 * @example
 * ```ts
 * import { planNext } from "puffle-chat/campaign";
 * const next = planNext({ session, plan, intent, now: Date.now(), quietPeriod: 65_000, hasStore: true });
 * if (next.kind === "send-turn") console.log("send", next.index, next.message);
 * ```
 */
export function planNext(input: PlanInput): NextAction {
  const { session, plan } = input;
  if (busy(session)) {
    return {
      kind: "wait",
      reason: "session-busy",
      untilMs: null,
      detail: `the session runs a task (${String(session.task_status)}); nothing is sent to a busy session`,
    };
  }
  const transcript = matchTranscript(session, plan.messages);
  if (transcript.foreign !== undefined) {
    const text = transcript.users[transcript.foreign] ?? "";
    return {
      kind: "needs-attention",
      reason: "foreign-turn",
      detail: `user message ${transcript.foreign + 1} ("${text.slice(0, 60)}") is not the plan's; it was not sent by this plan, so the driver stops rather than guess`,
    };
  }
  const pending = pendingIntent(input, transcript);
  if (pending) return pending;
  if (draftDone(session, plan)) {
    const wantsExamples =
      plan.nodeType === "ai" &&
      (plan.examples?.length ?? 0) > 0 &&
      (session.generated_examples?.length ?? 0) === 0;
    if (!wantsExamples) return { kind: "done", detail: "the draft passes the node's lint rule" };
    if (input.intent?.op === "examples" && examplesLanded(input.intent, session)) {
      return { kind: "done", detail: "the draft passes and the example run ended" };
    }
    return { kind: "generate-examples" };
  }
  const maxTurns = plan.maxTurns ?? plan.messages.length;
  if (transcript.users.length >= maxTurns) {
    return {
      kind: "needs-attention",
      reason: "max-turns",
      detail: `${transcript.users.length} turns and the draft does not pass the ${plan.nodeType} node's lint rule yet`,
    };
  }
  const quiet = quietWithoutStore(input);
  if (quiet) return quiet;
  const index = transcript.landed;
  const message = plan.messages[index];
  if (message === undefined) {
    if (input.adaptive) return { kind: "compose", index };
    return {
      kind: "needs-attention",
      reason: "max-turns",
      detail: `the plan's ${plan.messages.length} messages are all sent and the draft is not done`,
    };
  }
  return { kind: "send-turn", index, message };
}

/** The session shows the intent's example run: its examples changed since the intent. */
function examplesLanded(intent: DispatchIntent, session: Session): boolean {
  return (
    (session.generated_examples?.length ?? 0) > 0 &&
    fingerprint(session.generated_examples) !== intent.examplesBefore
  );
}

/** The session is exactly as the intent saw it: the dispatch never reached Puffle (once quiet). */
function untouched(intent: DispatchIntent, session: Session, users: number): boolean {
  return (
    session.updated_at === intent.updatedAtBefore &&
    users === intent.usersBefore &&
    fingerprint(session.generated_examples) === intent.examplesBefore
  );
}

/**
 * An intent whose dispatch is not in the transcript yet: wait out its quiet period, then send
 * again only when the session is untouched since (proof it never arrived); otherwise its fate is
 * unknown. Undefined when there is no such intent (none, or it landed).
 */
function pendingIntent(input: PlanInput, transcript: Transcript): NextAction | undefined {
  const { intent, session, now } = input;
  if (!intent) return undefined;
  // Landed: a user message past the ones it saw (the transcript matched the plan), or new examples.
  if (
    intent.op === "turn"
      ? transcript.users.length > intent.usersBefore
      : examplesLanded(intent, session)
  ) {
    return undefined;
  }
  if (now < intent.quietUntil) {
    return {
      kind: "wait",
      reason: "quiet-period",
      untilMs: intent.quietUntil,
      detail: `a ${intent.op} dispatch saved at ${new Date(intent.at).toISOString()} may still be on its way; waiting out its quiet period before deciding`,
    };
  }
  // Untouched after the quiet period: it never arrived; plan as if it had not been sent.
  if (untouched(intent, session, transcript.users.length) || input.resendUnknown) return undefined;
  return {
    kind: "needs-attention",
    reason: "dispatch-unknown",
    detail: `a ${intent.op === "turn" ? `turn ("${(intent.message ?? "").slice(0, 40)}")` : "example run"} was dispatched at ${new Date(intent.at).toISOString()}; the session changed since, yet shows no trace of it (a run that failed before writing?). Sending again might pay twice: check the session, then clear the store's intent or pass onUnknown: "resend"`,
  };
}

/** Without a store, a session updated within the quiet period may have a POST on its way. */
function quietWithoutStore(input: PlanInput): NextAction | undefined {
  if (input.hasStore) return undefined;
  const updated = Date.parse(input.session.updated_at);
  if (!Number.isFinite(updated)) return undefined;
  // Capped at one quiet period from now, whatever the clocks say.
  const until = Math.min(updated + input.quietPeriod, input.now + input.quietPeriod);
  if (input.now >= until) return undefined;
  return {
    kind: "wait",
    reason: "quiet-period",
    untilMs: until,
    detail:
      "no dispatch store: the session was updated moments ago, so a crashed run's turn may still be on its way",
  };
}
