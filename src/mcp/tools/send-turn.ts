/**
 * `puffle_send_turn`: one chat turn, waited for at most `maxWaitMs`, sent at most once. A call
 * that repeats the last turn's message (an agent retrying after a timeout) joins or reports that
 * turn instead of paying for another: the session's transcript says whether the message is its
 * last turn, and this server's desk remembers the turns it dispatched (a turn still queued has not
 * written its message yet). Lost answers are reconciled by `runTurn` itself.
 *
 * @internal
 * @module
 */
import * as z from "zod";
import { SessionBusyError } from "../../core/api-errors";
import { DispatchUnknownError } from "../../core/errors";
import type { RunHandle, Session } from "../../core/types";
import { lastUserMessage, outcomeOf, outcomeText, TurnOutcomeSchema, userCount } from "../outcome";
import { refuse } from "../result";
import { sessionInScope } from "../scope";
import { defineTool, type ToolContext, WRITES } from "../tool";
import { boundedWait, dispatchBounds } from "../wait";

const Input = z
  .object({
    session_id: z
      .string()
      .describe("The session (from puffle_start_session or puffle_get_campaign)."),
    message: z
      .string()
      .min(1)
      .max(8_000)
      .describe(
        "What to tell Puffle's campaign AI (a request about the email, an answer to its question).",
      ),
    repeat: z
      .boolean()
      .optional()
      .describe(
        "Only to send the exact text of the previous turn again as a new, paid turn. Leave it out when retrying a call that timed out: the retry then returns that turn's outcome.",
      ),
  })
  .strict();

/** What the locked step decided. */
type Decision =
  | { kind: "dispatched" | "joined"; run: RunHandle | undefined; repeated: boolean }
  | { kind: "repeated-done"; session: Session }
  | { kind: "unknown"; session: Session | undefined; evidence: string };

const WAIT_NEXT =
  "call puffle_wait_for_idle with this session_id (calling puffle_send_turn again with the same message only joins this turn).";

export const sendTurn = defineTool({
  name: "puffle_send_turn",
  title: "Send a chat turn",
  description:
    "Send one message to the session's campaign AI (a paid turn) and wait up to about 45 s for its reply. Answers done (reply and draft), or running (then call puffle_wait_for_idle). Retrying with the same message after a timeout is safe: it returns that turn's outcome and is never sent twice.",
  input: Input,
  output: TurnOutcomeSchema,
  annotations: WRITES,
  campaignArgument: false,
  async run(args, ctx) {
    const started = Date.now();
    const id = args.session_id;
    await sessionInScope(ctx, id);
    const decision = await ctx.desk.exclusive(id, () => decide(ctx, args));
    if (decision.kind === "unknown") {
      const outcome = outcomeOf(decision.session, id, {
        status: "unknown",
        run_id: null,
        repeated: false,
        waited_ms: Date.now() - started,
        message: args.message,
        next: `Puffle's answer to this turn was lost (${decision.evidence}). Call puffle_wait_for_idle, then puffle_send_turn again with the same message: it is sent only if Puffle never got it.`,
      });
      return { structured: outcome, text: outcomeText(outcome) };
    }
    if (decision.kind === "repeated-done") {
      const outcome = finished(decision.session, id, args.message, true, false, 0, null);
      return { structured: outcome, text: outcomeText(outcome) };
    }
    const end = await boundedWait(ctx, id, decision.run, started);
    const runId = decision.run?.runId ?? null;
    if (end.state === "running") {
      const outcome = outcomeOf(end.session, id, {
        status: "running",
        run_id: runId,
        repeated: decision.repeated,
        waited_ms: end.waitedMs,
        message: args.message,
        next: WAIT_NEXT,
      });
      return { structured: outcome, text: outcomeText(outcome) };
    }
    const outcome = finished(
      end.session,
      id,
      args.message,
      decision.repeated,
      end.runSucceeded,
      end.waitedMs,
      runId,
    );
    return { structured: outcome, text: outcomeText(outcome) };
  },
});

/** Under the session's lock: join, report, refuse or dispatch. */
async function decide(ctx: ToolContext, args: z.infer<typeof Input>): Promise<Decision> {
  const id = args.session_id;
  const session = await ctx.client.getSession(id, { signal: ctx.signal });
  const busy = session.task_status != null;
  const last = ctx.desk.last(id);
  const ours = last?.kind === "turn" && last.message === args.message ? last : undefined;
  if (args.repeat !== true) {
    const shown = lastUserMessage(session) === args.message;
    // A turn this server dispatched that has not written its message yet (still queued).
    const queued = busy && ours !== undefined && userCount(session) === ours.usersBefore;
    if (shown && !busy) return { kind: "repeated-done", session };
    if (shown || queued) return { kind: "joined", run: ours?.run, repeated: true };
  }
  if (busy) {
    refuse(
      "session_busy",
      `The session is busy (${session.task_status}) with another task. Nothing was sent.`,
      "call puffle_wait_for_idle, then puffle_get_draft to see what it did, before sending this message.",
    );
  }
  const names = ctx.settings.availableVarNames;
  let run: RunHandle;
  try {
    // No signal: once decided, the dispatch completes, so its fate is known and remembered.
    run = await ctx.client.runTurn(
      id,
      names ? { message: args.message, availableVarNames: [...names] } : { message: args.message },
      dispatchBounds(ctx),
    );
  } catch (error) {
    if (error instanceof DispatchUnknownError)
      return { kind: "unknown", session: error.session, evidence: error.evidence };
    if (error instanceof SessionBusyError && args.repeat !== true) {
      // Another client claimed it between the read and the send: is it this very message?
      const now = await ctx.client.getSession(id, { signal: ctx.signal });
      if (lastUserMessage(now) === args.message)
        return { kind: "joined", run: undefined, repeated: true };
    }
    throw error;
  }
  ctx.desk.note(id, {
    kind: "turn",
    message: args.message,
    run,
    usersBefore: userCount(session),
    at: Date.now(),
  });
  await ctx.progress("Turn sent to Puffle; waiting for the reply.").catch(() => {});
  return { kind: "dispatched", run, repeated: false };
}

/** The outcome of a turn whose session is idle again: its reply, or the refusal of a failed turn. */
function finished(
  session: Session | undefined,
  id: string,
  message: string,
  repeated: boolean,
  runSucceeded: boolean,
  waitedMs: number,
  runId: string | null,
) {
  const outcome = outcomeOf(session, id, {
    status: "done",
    run_id: runId,
    repeated,
    waited_ms: waitedMs,
    message,
    next: "read the draft with puffle_get_draft, send another turn, or generate examples with puffle_generate_examples.",
  });
  if (outcome.reply === null && !runSucceeded) {
    refuse(
      "task_failed",
      "The session is idle again but holds no reply to this message: the turn failed at Puffle.",
      "call puffle_get_draft to see the session, then send the message again with repeat: true.",
    );
  }
  return outcome;
}
