/**
 * `puffle_wait_for_idle`: wait (at most `maxWaitMs`) until the session's task is done, following
 * the run this server dispatched in realtime when it knows one, else polling.
 *
 * @internal
 * @module
 */
import * as z from "zod";
import { outcomeOf, outcomeText, TurnOutcomeSchema } from "../outcome";
import { sessionInScope } from "../scope";
import { defineTool, READS } from "../tool";
import { boundedWait } from "../wait";

const Input = z
  .object({ session_id: z.string().describe("The session whose task to wait for.") })
  .strict();

export const waitForIdle = defineTool({
  name: "puffle_wait_for_idle",
  title: "Wait for a session",
  description:
    "Wait up to about 45 s for the session's running turn or example run to finish (sends nothing to Puffle). Answers done with the last turn's reply and the draft, or running again: then call it again.",
  input: Input,
  output: TurnOutcomeSchema,
  annotations: READS,
  campaignArgument: false,
  async run(args, ctx) {
    const started = Date.now();
    const id = args.session_id;
    const session = await sessionInScope(ctx, id);
    const last = ctx.desk.last(id);
    const end =
      session.task_status == null
        ? { state: "idle" as const, session, waitedMs: 0 }
        : await boundedWait(ctx, id, last?.run, started);
    const runId = session.task_status == null ? null : (last?.run.runId ?? null);
    const outcome = outcomeOf(end.session, id, {
      status: end.state === "idle" ? "done" : "running",
      run_id: runId,
      repeated: false,
      waited_ms: end.waitedMs,
      next:
        end.state === "idle"
          ? "read the draft with puffle_get_draft, or send the next turn with puffle_send_turn."
          : "call puffle_wait_for_idle again.",
    });
    return {
      structured: outcome,
      text: outcomeText(outcome).replace(/^Turn done\./, "The session is idle."),
    };
  },
});
