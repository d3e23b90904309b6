/**
 * What a tool answers: a result (`structuredContent` plus a short text) or a refusal (an
 * `isError` result whose text says what went wrong and what to do next). Both pass through the
 * SDK's redaction, so no API key or public token reaches a model.
 *
 * @internal
 * @module
 */
import { PuffleError } from "../base/puffle-error";
import { redactText, redactValueWhole } from "../base/redact";

/** A `tools/call` result, as the MCP SDK takes it. */
export interface ToolResult {
  [key: string]: unknown;
  content: { type: "text"; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** What a tool body returns: the structured answer and one or two sentences for the model. */
export interface ToolAnswer<O> {
  structured: O;
  text: string;
}

/**
 * Why a tool refused, in a word a client or a test can match (the text is for the model).
 * `invalid_arguments`: fix the arguments; `out_of_scope`: this server may not touch that object;
 * `confirm_required`: call again with `confirm: true`; the rest name what Puffle answered.
 */
export type RefusalCode =
  | "invalid_arguments"
  | "out_of_scope"
  | "forbidden"
  | "confirm_required"
  | "not_found"
  | "session_busy"
  | "skeleton_required"
  | "insufficient_credits"
  | "bad_request"
  | "rate_limited"
  | "finish_refused"
  | "draft_refused"
  | "task_failed"
  | "puffle_unavailable"
  | "puffle_auth"
  | "cancelled"
  | "internal_error";

/** A refusal a tool throws; the server turns it into an `isError` result. */
export class ToolRefusal extends PuffleError {
  static override readonly brand: string = "ToolRefusal";
  /** The refusal's code. */
  readonly code: RefusalCode;
  /** What the agent should do next. */
  readonly next: string;

  constructor(code: RefusalCode, message: string, next: string) {
    super(message);
    this.code = code;
    this.next = redactText(next);
  }
}

/** Throw a refusal. */
export function refuse(code: RefusalCode, message: string, next: string): never {
  throw new ToolRefusal(code, message, next);
}

/** A result: the structured answer (redacted) and its short text. */
export function answerResult<O>(answer: ToolAnswer<O>): ToolResult {
  return {
    content: [{ type: "text", text: redactText(answer.text) }],
    structuredContent: redactValueWhole(answer.structured) as Record<string, unknown>,
  };
}

/**
 * A refusal as a tool result: `isError`, no `structuredContent` (a v1 client checks any
 * `structuredContent` against the output schema, even on an error), the code first.
 */
export function refusalResult(refusal: ToolRefusal): ToolResult {
  return {
    content: [
      { type: "text", text: `Refused (${refusal.code}): ${refusal.message} Next: ${refusal.next}` },
    ],
    isError: true,
  };
}
