import { asDraft } from "./draft";
import { canonicalVariableName, type LeadSource, resolveLeadVariable } from "./lead";
import { parseTemplate } from "./parse";
import type { DraftField, DraftSource, TextPosition, VariablePart } from "./types";

/**
 * Where a variable or an instruction sits in the draft: field, UTF-16 offsets in that field's
 * original text, and the 1-based line and column of `start`.
 *
 * @example
 * ```ts
 * import type { TemplateLocation } from "puffle-chat/template";
 * const at: TemplateLocation = { field: "body", start: 3, end: 15, line: 1, column: 4 };
 * ```
 */
export interface TemplateLocation extends TextPosition {
  field: DraftField;
  start: number;
  end: number;
}

/**
 * What a fallback function is told about the variable it is asked to fill.
 *
 * @example
 * ```ts
 * import type { FallbackContext } from "puffle-chat/template";
 * const fallback = (name: string, ctx: FallbackContext) => (ctx.field === "subject" ? "" : "there");
 * ```
 */
export interface FallbackContext extends TemplateLocation {
  syntax: VariablePart["syntax"];
  raw: string;
}

/**
 * What to write for a variable the lead has no value for: one string for every variable, a record
 * by variable name (looked up exactly, then by {@link canonicalVariableName}, so `firstName` finds a
 * `first_name` entry), or a function returning the text or `undefined` to leave the marker as is.
 *
 * @example
 * ```ts
 * import type { Fallback } from "puffle-chat/template";
 * const byName: Fallback = { first_name: "there", company: "your team" };
 * const fn: Fallback = (name) => (name === "first_name" ? "there" : undefined);
 * ```
 */
export type Fallback =
  | string
  | Readonly<Record<string, string>>
  | ((name: string, context: FallbackContext) => string | undefined);

/**
 * What {@link renderDraft} does with `&&instruction&&` blocks: `"keep"` leaves them as written
 * (variables inside are not filled), `"remove"` deletes them and tidies the whitespace they leave,
 * a function returns the text that replaces each block (an empty string removes it like
 * `"remove"`; a non-string keeps it). The function gets the block's trimmed text with its variables
 * unfilled (fill them with {@link resolveLeadVariable} if needed), the lead, and where the block is.
 *
 * @example
 * ```ts
 * import type { InstructionHandling } from "puffle-chat/template";
 * const handling: InstructionHandling = (instruction, lead) => `[${instruction} for ${lead?.first_name ?? "?"}]`;
 * ```
 */
export type InstructionHandling =
  | "keep"
  | "remove"
  | ((
      instruction: string,
      lead: LeadSource | null | undefined,
      context: TemplateLocation & { raw: string },
    ) => string);

/**
 * Options of {@link renderDraft}.
 *
 * @example
 * ```ts
 * import type { RenderOptions } from "puffle-chat/template";
 * const options: RenderOptions = { fallback: { first_name: "there" }, instructions: "remove" };
 * ```
 */
export interface RenderOptions {
  /** Text for variables the lead cannot fill. Default: none, the marker stays as written. */
  fallback?: Fallback | undefined;
  /** What to do with instruction blocks. Default `"keep"`. */
  instructions?: InstructionHandling | undefined;
}

/**
 * A variable the lead had no value for. `fallback` is the text written in its place, or `null` when
 * the raw marker was left in the output.
 *
 * @example
 * ```ts
 * import { renderDraft, type MissingVariable } from "puffle-chat/template";
 * const [m]: MissingVariable[] = renderDraft({ body: "Hi %first_name%" }, {}).missing;
 * // { name: "first_name", field: "body", syntax: "percent", raw: "%first_name%", fallback: null, start: 3, … }
 * ```
 */
export interface MissingVariable extends FallbackContext {
  name: string;
  fallback: string | null;
}

/**
 * An instruction block met while rendering, and what was done with it. `replacement` is the text
 * written in its place (`null` when kept or removed).
 *
 * @example
 * ```ts
 * import { renderDraft, type RenderedInstruction } from "puffle-chat/template";
 * const [i]: RenderedInstruction[] = renderDraft({ body: "&&say hi&&" }, {}).instructions;
 * // { instruction: "say hi", raw: "&&say hi&&", action: "kept", replacement: null, field: "body", … }
 * ```
 */
export interface RenderedInstruction extends TemplateLocation {
  instruction: string;
  raw: string;
  action: "kept" | "removed" | "replaced";
  replacement: string | null;
}

/**
 * The result of {@link renderDraft}. `subject` / `body` are `null` when the draft's field was
 * `null` or missing.
 *
 * @example
 * ```ts
 * import { renderDraft, type RenderResult } from "puffle-chat/template";
 * const result: RenderResult = renderDraft({ subject: "Hi", body: null }, {});
 * // { subject: "Hi", body: null, missing: [], instructions: [] }
 * ```
 */
export interface RenderResult {
  subject: string | null;
  body: string | null;
  /** Variables the lead could not fill, in draft order (subject first). */
  missing: MissingVariable[];
  /** Every instruction block, in draft order (subject first). */
  instructions: RenderedInstruction[];
}

interface Replacement {
  start: number;
  end: number;
  text: string;
}

const CLOSING_PUNCTUATION = /[.,!?;:)\]]/;

function isBlank(c: string): boolean {
  return c === " " || c === "\t";
}

function isBreak(c: string): boolean {
  return c === "\n" || c === "\r";
}

/**
 * The range to delete for a removed block `[s, e)`: the whole line when the block is alone on it,
 * else the block plus the spaces that would otherwise double up or sit before punctuation.
 */
function removalRange(text: string, s: number, e: number): [number, number] {
  let ls = s;
  while (ls > 0 && isBlank(text.charAt(ls - 1))) ls--;
  let le = e;
  while (le < text.length && isBlank(text.charAt(le))) le++;
  const atLineStart = ls === 0 || isBreak(text.charAt(ls - 1));
  const atLineEnd = le === text.length || isBreak(text.charAt(le));
  if (atLineStart && atLineEnd) {
    if (le < text.length) return [ls, le + (text.startsWith("\r\n", le) ? 2 : 1)];
    if (ls > 0) return [ls - (ls >= 2 && text.startsWith("\r\n", ls - 2) ? 2 : 1), le];
    return [0, text.length];
  }
  if (atLineEnd) return [ls, le];
  if (atLineStart) return [s, le];
  if (CLOSING_PUNCTUATION.test(text.charAt(le))) return [ls, le];
  return ls < s && le > e ? [s, le] : [s, e];
}

function fallbackFor(
  fallback: Fallback | undefined,
  name: string,
  context: FallbackContext,
): string | undefined {
  if (fallback === undefined || fallback === null) return undefined;
  if (typeof fallback === "string") return fallback;
  if (typeof fallback === "function") {
    const value = fallback(name, context);
    return typeof value === "string" ? value : undefined;
  }
  if (typeof fallback !== "object") return undefined;
  if (Object.hasOwn(fallback, name)) {
    const value = fallback[name];
    return typeof value === "string" ? value : undefined;
  }
  const canonical = canonicalVariableName(name);
  for (const key of Object.keys(fallback)) {
    const value = fallback[key];
    if (canonicalVariableName(key) === canonical && typeof value === "string") return value;
  }
  return undefined;
}

function renderField(
  field: DraftField,
  text: string,
  lead: LeadSource | null | undefined,
  options: RenderOptions,
  result: RenderResult,
): string {
  const handling = options.instructions ?? "keep";
  const replacements: Replacement[] = [];
  for (const part of parseTemplate(text)) {
    if (part.kind === "variable") {
      const value = resolveLeadVariable(lead, part.name);
      if (value !== undefined) {
        replacements.push({ start: part.start, end: part.end, text: value });
        continue;
      }
      const { name, syntax, raw, start, end, line, column } = part;
      const context: FallbackContext = { field, syntax, raw, start, end, line, column };
      const fallback = fallbackFor(options.fallback, name, context);
      result.missing.push({ name, ...context, fallback: fallback ?? null });
      if (fallback !== undefined) replacements.push({ start, end, text: fallback });
    } else if (part.kind === "instruction") {
      const { instruction, raw, start, end, line, column } = part;
      const location: TemplateLocation = { field, start, end, line, column };
      let replacement: string | undefined;
      if (typeof handling === "function") {
        const produced: unknown = handling(instruction, lead, { ...location, raw });
        replacement = typeof produced === "string" ? produced : undefined;
      } else if (handling === "remove") {
        replacement = "";
      }
      if (replacement === undefined) {
        result.instructions.push({
          instruction,
          raw,
          ...location,
          action: "kept",
          replacement: null,
        });
      } else if (replacement === "") {
        const [a, b] = removalRange(text, start, end);
        replacements.push({ start: a, end: b, text: "" });
        result.instructions.push({
          instruction,
          raw,
          ...location,
          action: "removed",
          replacement: null,
        });
      } else {
        replacements.push({ start, end, text: replacement });
        result.instructions.push({
          instruction,
          raw,
          ...location,
          action: "replaced",
          replacement,
        });
      }
    }
  }
  let out = "";
  let cursor = 0;
  for (const r of replacements) {
    const from = Math.max(r.start, cursor);
    out += text.slice(cursor, from) + r.text;
    cursor = Math.max(cursor, r.end);
  }
  return out + text.slice(cursor);
}

/**
 * Fills a draft's merge variables for one lead, the way a sample email would read.
 *
 * Each `%name%` or `{{name}}` takes the lead's value (see {@link resolveLeadVariable}: snake_case
 * fields, camelCase and other-case spellings such as `firstName`, `custom_fields.<key>` or a bare
 * custom field key, `full_name` derived from first and last name). Values are inserted as they are,
 * never parsed again. A variable without a value is reported in `missing` and replaced by the
 * `fallback` when one applies, else left as written. Instruction blocks are kept by default (see
 * {@link InstructionHandling}) and always reported in `instructions`.
 *
 * Never throws on any draft or lead (non-string fields count as `null`, a non-object lead fills
 * nothing); only an error thrown by your `fallback` or `instructions` function, or by a getter on
 * the lead, propagates.
 *
 * @param draft - a session (its `draft_subject` / `draft_body`) or a draft `{ subject, body }`.
 * @param lead - the lead to render for (the API's `Lead` fields, plus `email`).
 * @param options - `fallback` (default none) and `instructions` (default `"keep"`).
 * @example
 * ```ts
 * import { renderDraft } from "puffle-chat/template";
 * const out = renderDraft(
 *   { subject: "Idea for %company%", body: "Hi %firstName%, &&one line about %industry%&&\nBest" },
 *   { first_name: "Ada", company: "Acme" },
 *   { fallback: { industry: "your industry" }, instructions: "remove" },
 * );
 * // out.subject === "Idea for Acme"; out.body === "Hi Ada,\nBest"; out.missing === []
 * ```
 */
export function renderDraft(
  draft: DraftSource,
  lead: LeadSource | null | undefined,
  options: RenderOptions = {},
): RenderResult {
  const opts: RenderOptions = typeof options === "object" && options !== null ? options : {};
  const source = asDraft(draft);
  const result: RenderResult = { subject: null, body: null, missing: [], instructions: [] };
  for (const field of ["subject", "body"] as const) {
    const text = source[field];
    if (typeof text === "string") result[field] = renderField(field, text, lead, opts, result);
  }
  return result;
}
