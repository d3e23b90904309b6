/**
 * `puffle_get_draft`: the session's draft (subject, body, skeleton), the `lintDraft` report, and
 * a page of the transcript and of the examples, each text trimmed with a marker.
 *
 * @internal
 * @module
 */
import * as z from "zod";
import { lintDraft } from "../../template/index";
import { sessionInScope } from "../scope";
import { defineTool, READS } from "../tool";
import { DEFAULT_MAX_CHARS, pageOf, trimOrNull, trimText } from "../trim";

const TRANSCRIPT_PAGE = 6;
const EXAMPLES_PAGE = 3;
const LINT_ISSUES = 20;
const MORE = "call puffle_get_draft with a larger max_chars";

const Input = z
  .object({
    session_id: z.string().describe("The session to read."),
    transcript_offset: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .optional()
      .describe("First transcript message to show (default: the last 6)."),
    examples_offset: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .optional()
      .describe("First generated example to show (default 0; 3 per page)."),
    max_chars: z
      .number()
      .int()
      .min(200)
      .max(20_000)
      .optional()
      .describe(`Longest text of one field before it is trimmed (default ${DEFAULT_MAX_CHARS}).`),
  })
  .strict();

const page = <T extends z.ZodType>(item: T) =>
  z.object({
    total: z.number(),
    offset: z.number(),
    items: z.array(item),
    next_offset: z
      .number()
      .nullable()
      .describe("Pass it as the offset to read the next page; null at the end."),
  });

const Output = z
  .object({
    session_id: z.string(),
    campaign_id: z.string(),
    node_id: z.string(),
    task_status: z.string().nullable(),
    subject: z.string().nullable(),
    body: z.string().nullable(),
    skeleton: z.record(z.string(), z.unknown()).nullable(),
    lint: z
      .object({
        ok: z.boolean(),
        total_issues: z.number(),
        issues: z.array(
          z.object({
            code: z.string(),
            severity: z.string(),
            field: z.string(),
            line: z.number(),
            column: z.number(),
            message: z.string(),
          }),
        ),
      })
      .nullable()
      .describe("The lintDraft report of subject and body; null without a draft."),
    transcript: page(z.object({ index: z.number(), role: z.string(), content: z.string() })),
    examples: page(
      z.object({
        index: z.number(),
        lead_id: z.string().nullable(),
        subject: z.string(),
        body: z.string(),
      }),
    ),
  })
  .strict();

export const getDraft = defineTool({
  name: "puffle_get_draft",
  title: "Read a session's draft",
  description:
    "Read a session's draft email: subject, body, skeleton, the lint report (problems to fix before finishing), a page of the transcript and of the generated examples. Long texts are trimmed with a marker; pass offsets or max_chars to read more.",
  input: Input,
  output: Output,
  annotations: READS,
  campaignArgument: false,
  async run(args, ctx) {
    const session = await sessionInScope(ctx, args.session_id);
    const max = args.max_chars ?? DEFAULT_MAX_CHARS;
    const hasDraft = session.draft_subject != null || session.draft_body != null;
    const names = ctx.settings.availableVarNames;
    const report = hasDraft
      ? lintDraft(
          { subject: session.draft_subject, body: session.draft_body },
          names ? { availableVarNames: names } : {},
        )
      : null;
    const messages = session.messages ?? [];
    const examples = session.generated_examples ?? [];
    const structured = {
      session_id: session.id,
      campaign_id: session.campaign_id,
      node_id: session.node_id,
      task_status: session.task_status ?? null,
      subject: trimOrNull(session.draft_subject, max, MORE),
      body: trimOrNull(session.draft_body, max, MORE),
      skeleton: session.skeleton
        ? (trimDeep(session.skeleton, max) as Record<string, unknown>)
        : null,
      lint: report && {
        ok: report.ok,
        total_issues: report.issues.length,
        issues: report.issues.slice(0, LINT_ISSUES).map((i) => ({
          code: i.code,
          severity: i.severity,
          field: i.field,
          line: i.line,
          column: i.column,
          message: i.message,
        })),
      },
      transcript: pageOf(
        messages,
        args.transcript_offset ?? Math.max(0, messages.length - TRANSCRIPT_PAGE),
        TRANSCRIPT_PAGE,
        (m, index) => ({ index, role: m.role, content: trimText(m.content, max, MORE) }),
      ),
      examples: pageOf(examples, args.examples_offset ?? 0, EXAMPLES_PAGE, (e, index) => ({
        index,
        lead_id: e.lead_id ?? null,
        subject: trimText(e.subject, max, MORE),
        body: trimText(e.body, max, MORE),
      })),
    };
    const lint = report
      ? report.ok
        ? "lint ok"
        : `lint: ${report.issues.length} issue(s)`
      : "no draft yet";
    return {
      structured,
      text: `Draft of session ${session.id}: ${session.draft_subject ? `subject "${trimText(session.draft_subject, 120, "see subject")}"` : "no subject"}; ${lint}; ${messages.length} message(s), ${examples.length} example(s).`,
    };
  },
});

/** Every string of a JSON value cut to `max` characters. */
function trimDeep(value: unknown, max: number): unknown {
  if (typeof value === "string") return trimText(value, max, MORE);
  if (Array.isArray(value)) return value.map((v) => trimDeep(v, max));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, trimDeep(v, max)]));
  return value;
}
