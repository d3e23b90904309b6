/**
 * The answer of `puffle_send_turn` and `puffle_wait_for_idle`: where the session's last task
 * stands and, once it is done, the reply to the last user message and the draft (trimmed).
 *
 * @internal
 * @module
 */
import * as z from "zod";
import type { Session } from "../core/types";
import { replyTo } from "../lib/chat";
import { trimOrNull } from "./trim";

const REPLY_CHARS = 1_500;
const BODY_CHARS = 1_500;
const READ_MORE = "call puffle_get_draft with a larger max_chars to read it all";

/** The output schema of a turn's outcome. */
export const TurnOutcomeSchema = z
  .object({
    status: z
      .enum(["done", "running", "unknown"])
      .describe(
        "done: the session is idle and this is the outcome. running: Puffle is still working; call puffle_wait_for_idle. unknown: Puffle's answer was lost; see next.",
      ),
    session_id: z.string(),
    run_id: z.string().nullable().describe("The Trigger.dev run of the task, when known."),
    repeated: z
      .boolean()
      .describe("True when this message had been sent already: it was not sent again."),
    task_status: z.string().nullable().describe("The session's busy flag; null when idle."),
    message: z.string().nullable().describe("The last user message of the transcript."),
    reply: z.string().nullable().describe("Puffle's reply to it (trimmed), once done."),
    draft_subject: z.string().nullable(),
    draft_body: z.string().nullable().describe("Trimmed; puffle_get_draft has it all."),
    has_skeleton: z.boolean(),
    framework_version: z.number().nullable(),
    examples: z.number().describe("How many generated examples the session holds."),
    waited_ms: z.number(),
    next: z.string().describe("What to do next."),
  })
  .strict();

/** A turn's outcome. */
export type TurnOutcome = z.infer<typeof TurnOutcomeSchema>;

/** The last user message of a session's transcript. */
export function lastUserMessage(session: Session | undefined): string | null {
  const users = (session?.messages ?? []).filter((m) => m?.role === "user");
  return users.at(-1)?.content ?? null;
}

/** How many user messages a session's transcript holds. */
export function userCount(session: Session | undefined): number {
  return (session?.messages ?? []).filter((m) => m?.role === "user").length;
}

/** The outcome fields read from `session` (the reply to `message`, or to its last user message). */
export function outcomeOf(
  session: Session | undefined,
  sessionId: string,
  fields: Pick<TurnOutcome, "status" | "run_id" | "repeated" | "waited_ms" | "next"> & {
    message?: string | null | undefined;
  },
): TurnOutcome {
  const message = fields.message ?? lastUserMessage(session);
  const reply =
    session && message !== null && fields.status === "done" ? replyTo(session, message) : null;
  return {
    status: fields.status,
    session_id: sessionId,
    run_id: fields.run_id,
    repeated: fields.repeated,
    task_status: session?.task_status ?? null,
    message: trimOrNull(message, REPLY_CHARS, READ_MORE),
    reply: trimOrNull(reply, REPLY_CHARS, READ_MORE),
    draft_subject: trimOrNull(session?.draft_subject, 500, READ_MORE),
    draft_body: trimOrNull(session?.draft_body, BODY_CHARS, READ_MORE),
    has_skeleton: session?.skeleton != null,
    framework_version: session?.framework_version ?? null,
    examples: session?.generated_examples?.length ?? 0,
    waited_ms: fields.waited_ms,
    next: fields.next,
  };
}

/** The short text of an outcome. */
export function outcomeText(outcome: TurnOutcome): string {
  const head =
    outcome.status === "done"
      ? `Turn done${outcome.repeated ? " (this message had been sent already: not sent again)" : ""}.`
      : outcome.status === "running"
        ? `Puffle is still working on the turn${outcome.run_id ? ` (run ${outcome.run_id})` : ""}.`
        : "The turn's fate is unknown.";
  const reply = outcome.reply
    ? ` Reply: ${outcome.reply.slice(0, 400)}${outcome.reply.length > 400 ? "…" : ""}`
    : "";
  return `${head}${reply} Next: ${outcome.next}`;
}
