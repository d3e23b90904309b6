/**
 * Where a part or an issue starts in its text: a 1-based line and a 1-based column. Columns count
 * UTF-16 code units from the start of the line (the unit of `String.prototype.slice`, of the
 * `start` / `end` offsets and of the Language Server Protocol), so an astral character such as an
 * emoji counts as two columns. `\n`, `\r\n` and a lone `\r` each end a line.
 *
 * @example
 * ```ts
 * import { positionAt } from "puffle-chat/template";
 * positionAt("Hi\nthere", 3); // { line: 2, column: 1 }
 * ```
 */
export interface TextPosition {
  /** 1-based line number. */
  line: number;
  /** 1-based column, in UTF-16 code units from the start of the line. */
  column: number;
}

/**
 * What every template part carries: its UTF-16 offsets in the parsed text (`text.slice(start, end)`
 * is the part's source) and the line and column of `start`.
 *
 * @example
 * ```ts
 * import { parseTemplate } from "puffle-chat/template";
 * const [part] = parseTemplate("Hi");
 * part?.start; // 0
 * part?.end; // 2
 * ```
 */
export interface TemplatePartBase extends TextPosition {
  /** UTF-16 offset of the first code unit of the part. */
  start: number;
  /** UTF-16 offset just past the last code unit of the part. */
  end: number;
}

/**
 * Literal text between markers. Includes every `%`, `&&` or `{{` that does not form a complete
 * marker (prices such as `20% off`, an unterminated `&&`).
 *
 * @example
 * ```ts
 * import { parseTemplate } from "puffle-chat/template";
 * parseTemplate("20% off")[0]; // { kind: "text", value: "20% off", start: 0, end: 7, line: 1, column: 1 }
 * ```
 */
export interface TextPart extends TemplatePartBase {
  kind: "text";
  /** The text itself, exactly as in the input. */
  value: string;
}

/**
 * A merge variable: `%name%` (`syntax: "percent"`, what Puffle writes) or `{{name}}` / `{{ name }}`
 * (`syntax: "braces"`, recognised but should be rewritten as `%name%`).
 *
 * @example
 * ```ts
 * import { parseTemplate } from "puffle-chat/template";
 * parseTemplate("%first_name%")[0];
 * // { kind: "variable", name: "first_name", syntax: "percent", raw: "%first_name%", start: 0, end: 12, line: 1, column: 1 }
 * ```
 */
export interface VariablePart extends TemplatePartBase {
  kind: "variable";
  /** The variable name as written, without markers or surrounding spaces (`custom_fields.industry`). */
  name: string;
  /** Which marker form was used. */
  syntax: "percent" | "braces";
  /** The whole marker exactly as in the input (`%name%`, `{{ name }}`). */
  raw: string;
}

/**
 * An `&&instruction&&` block: text the framework LLM writes per lead.
 *
 * @example
 * ```ts
 * import { parseTemplate } from "puffle-chat/template";
 * const [block] = parseTemplate("&& compliment %company% &&");
 * // block.instruction === "compliment %company%", block.variables[0].name === "company"
 * ```
 */
export interface InstructionPart extends TemplatePartBase {
  kind: "instruction";
  /** The text between the two `&&`, with surrounding whitespace trimmed. */
  instruction: string;
  /** The whole block exactly as in the input, both `&&` included. */
  raw: string;
  /**
   * Variables written inside the block, with offsets in the parsed text (not in `instruction`).
   * They are part of `raw`; they are not separate top-level parts.
   */
  variables: VariablePart[];
}

/**
 * One piece of a parsed template. Concatenating `value` (text) and `raw` (variable, instruction) of
 * every part, in order, gives back the input exactly.
 *
 * @example
 * ```ts
 * import { parseTemplate, type TemplatePart } from "puffle-chat/template";
 * const parts: TemplatePart[] = parseTemplate("Hi %first_name%");
 * ```
 */
export type TemplatePart = TextPart | VariablePart | InstructionPart;

/**
 * A draft email as stored on a session (`draft_subject` / `draft_body`) or a skeleton. `null` and a
 * missing key both mean "no text"; a field that is not a string at run time is treated as `null`.
 *
 * @example
 * ```ts
 * import type { TemplateDraft } from "puffle-chat/template";
 * const draft: TemplateDraft = { subject: session.draft_subject, body: session.draft_body };
 * ```
 */
export interface TemplateDraft {
  subject?: string | null | undefined;
  body?: string | null | undefined;
}

/**
 * The draft fields of a session: anything with `draft_subject` and `draft_body`, a
 * {@link Session} included.
 *
 * @example
 * ```ts
 * import type { SessionDraftFields } from "puffle-chat/template";
 * const fields: SessionDraftFields = { draft_subject: "Hi %first_name%", draft_body: null };
 * ```
 */
export interface SessionDraftFields {
  draft_subject: string | null | undefined;
  draft_body: string | null | undefined;
}

/**
 * What `lintDraft`, `renderDraft` and `listVariables` take: a draft `{ subject, body }` (a skeleton
 * fits too) or a session itself (`draft_subject` / `draft_body`). Any other shape is a compile
 * error.
 *
 * @example
 * ```ts
 * import type { Session } from "puffle-chat";
 * import { lintDraft, type DraftSource } from "puffle-chat/template";
 * declare const session: Session;
 * const source: DraftSource = session;
 * console.log(lintDraft(source).ok);
 * ```
 */
export type DraftSource = TemplateDraft | SessionDraftFields;

/**
 * Which field of a draft an issue, a missing variable or an instruction belongs to.
 *
 * @example
 * ```ts
 * import type { DraftField } from "puffle-chat/template";
 * const field: DraftField = "body";
 * ```
 */
export type DraftField = "subject" | "body";
