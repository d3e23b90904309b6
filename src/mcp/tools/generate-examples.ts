/**
 * `puffle_generate_examples`: a paid example run (one sample email per lead), bounded like
 * `puffle_send_turn`; a repeated call while this server's run is still going joins it. The
 * answer shows a few examples, trimmed; `puffle_get_draft` pages through the rest.
 *
 * @internal
 * @module
 */
import * as z from "zod";
import { DispatchUnknownError } from "../../core/errors";
import type { Lead as PuffleLead, RunHandle, Session } from "../../core/types";
import { userCount } from "../outcome";
import { refuse } from "../result";
import { sessionInScope } from "../scope";
import { defineTool, type ToolContext, WRITES } from "../tool";
import { pageOf, trimText } from "../trim";
import { boundedWait, dispatchBounds } from "../wait";

const SHOWN = 3;
const EXAMPLE_CHARS = 1_200;
const MORE = "puffle_get_draft with examples_offset reads them all";

const Lead = z
  .object({
    first_name: z.string().max(200).optional(),
    last_name: z.string().max(200).optional(),
    full_name: z.string().max(400).optional(),
    company: z.string().max(400).optional(),
    position: z.string().max(400).optional(),
    headline: z.string().max(1_000).optional(),
    linkedin_url: z.string().max(1_000).optional(),
    custom_fields: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .optional()
      .describe("Any other lead data the email uses (e.g. industry)."),
  })
  .strict();

const Input = z
  .object({
    session_id: z.string().describe("The session (it needs a skeleton: send turns first)."),
    leads: z
      .array(Lead)
      .min(3)
      .max(10)
      .describe("3 to 10 leads: one sample email is written for each."),
    first_batch: z
      .boolean()
      .optional()
      .describe("true (default): replace the session's examples; false: add to them."),
  })
  .strict();

const Output = z
  .object({
    status: z.enum(["done", "running", "unknown"]),
    session_id: z.string(),
    run_id: z.string().nullable(),
    joined: z
      .boolean()
      .describe(
        "True when an example run this server started was still going: no new run was paid for.",
      ),
    examples: z.object({
      total: z.number(),
      offset: z.number(),
      items: z.array(
        z.object({
          index: z.number(),
          lead_id: z.string().nullable(),
          subject: z.string(),
          body: z.string(),
        }),
      ),
      next_offset: z.number().nullable(),
    }),
    waited_ms: z.number(),
    next: z.string(),
  })
  .strict();

type Started =
  | { kind: "run"; run: RunHandle | undefined; joined: boolean }
  | { kind: "unknown"; evidence: string };

export const generateExamples = defineTool({
  name: "puffle_generate_examples",
  title: "Generate example emails",
  description:
    "Write one sample email per lead from the session's skeleton (a paid run) and wait up to about 45 s. Answers done with the first examples (trimmed), or running (then call puffle_wait_for_idle and read them with puffle_get_draft).",
  input: Input,
  output: Output,
  annotations: WRITES,
  campaignArgument: false,
  async run(args, ctx) {
    const started = Date.now();
    const id = args.session_id;
    await sessionInScope(ctx, id);
    const start = await ctx.desk.exclusive(id, () => startRun(ctx, args));
    const base = { session_id: id, waited_ms: 0, joined: false, run_id: null };
    if (start.kind === "unknown") {
      const structured = {
        ...base,
        status: "unknown" as const,
        examples: examplesPage(undefined),
        next: `Puffle's answer was lost (${start.evidence}). Call puffle_wait_for_idle, then puffle_get_draft: do not start another run before you know whether this one ran.`,
      };
      return { structured, text: `The example run's fate is unknown. Next: ${structured.next}` };
    }
    const end = await boundedWait(ctx, id, start.run, started);
    const structured = {
      ...base,
      status: end.state === "idle" ? ("done" as const) : ("running" as const),
      run_id: start.run?.runId ?? null,
      joined: start.joined,
      examples: examplesPage(end.state === "idle" ? end.session : undefined),
      waited_ms: end.waitedMs,
      next:
        end.state === "idle"
          ? "review the examples (puffle_get_draft pages through them), refine with puffle_send_turn, or finish with puffle_finish_session."
          : "call puffle_wait_for_idle, then read the examples with puffle_get_draft.",
    };
    const head =
      end.state === "idle"
        ? `${structured.examples.total} example(s) ready${start.joined ? " (joined the run already going)" : ""}.`
        : "Puffle is still writing the examples.";
    return { structured, text: `${head} Next: ${structured.next}` };
  },
});

/** Under the session's lock: join this server's running example run, refuse, or start one. */
async function startRun(ctx: ToolContext, args: z.infer<typeof Input>): Promise<Started> {
  const id = args.session_id;
  const session = await ctx.client.getSession(id, { signal: ctx.signal });
  const last = ctx.desk.last(id);
  if (session.task_status === "generating_examples" && last?.kind === "examples")
    return { kind: "run", run: last.run, joined: true };
  if (session.task_status != null) {
    refuse(
      "session_busy",
      `The session is busy (${session.task_status}). Nothing was sent.`,
      "call puffle_wait_for_idle, then call puffle_generate_examples again.",
    );
  }
  if (session.skeleton == null) {
    // Puffle would refuse it too (400): refused here, nothing is sent.
    refuse(
      "skeleton_required",
      "The session has no skeleton yet, so it cannot write examples. Nothing was sent.",
      "send more turns with puffle_send_turn until puffle_get_draft shows a skeleton.",
    );
  }
  try {
    const run = await ctx.client.generateExamples(
      id,
      // zod leaves absent keys absent: the parsed leads are Leads.
      { leads: args.leads as PuffleLead[], isFirstBatch: args.first_batch ?? true },
      dispatchBounds(ctx),
    );
    ctx.desk.note(id, { kind: "examples", run, usersBefore: userCount(session), at: Date.now() });
    await ctx.progress("Example run started at Puffle.").catch(() => {});
    return { kind: "run", run, joined: false };
  } catch (error) {
    if (error instanceof DispatchUnknownError) return { kind: "unknown", evidence: error.evidence };
    throw error;
  }
}

function examplesPage(session: Session | undefined) {
  return pageOf(session?.generated_examples ?? [], 0, SHOWN, (e, index) => ({
    index,
    lead_id: e.lead_id ?? null,
    subject: trimText(e.subject, EXAMPLE_CHARS, MORE),
    body: trimText(e.body, EXAMPLE_CHARS, MORE),
  }));
}
