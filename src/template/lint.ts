import { asDraft } from "./draft";
import { canonicalVariableName, standardLeadField } from "./lead";
import { NAME_PATTERN, parseTemplate } from "./parse";
import { createLocator } from "./position";
import type {
  DraftField,
  DraftSource,
  TemplateDraft,
  TemplatePart,
  TextPart,
  TextPosition,
} from "./types";
import { variablesOf } from "./variables";

/**
 * What a lint issue is about.
 * - `unknown-variable` (error): a variable that is not in `availableVarNames`.
 * - `unfilled-instruction` (error by default): an `&&…&&` block left in the draft.
 * - `unbalanced-marker` (error; warning for a `%word` that is not a known variable): an `&&` never
 *   closed, a `{{` never closed, a `%name` with no closing `%`, a known `name%` with no opening `%`.
 * - `malformed-variable` (error): `{{…}}` around something that is not a variable name (`{{first name}}`).
 * - `empty-subject`, `empty-body` (error): the field is null, empty or only whitespace.
 * - `em-dash` (error): U+2014, rejected by Puffle's quality gate.
 * - `en-dash` (warning): U+2013, often an em dash in disguise.
 * - `braces-variable` (warning): `{{name}}` where Puffle writes `%name%`.
 *
 * @example
 * ```ts
 * import { lintDraft, type LintCode } from "puffle-chat/template";
 * const codes: LintCode[] = lintDraft({ body: "a — b" }).issues.map((i) => i.code); // ["em-dash"]
 * ```
 */
export type LintCode =
  | "unknown-variable"
  | "unfilled-instruction"
  | "unbalanced-marker"
  | "malformed-variable"
  | "empty-subject"
  | "empty-body"
  | "em-dash"
  | "en-dash"
  | "braces-variable";

/**
 * One problem found by {@link lintDraft}. `start` / `end` are UTF-16 offsets in the field's text
 * (`text.slice(start, end)` is the offending text; for an empty field both are 0 or span the blank
 * text), `line` / `column` the 1-based position of `start`.
 *
 * @example
 * ```ts
 * import { lintDraft, type LintIssue } from "puffle-chat/template";
 * const [issue]: LintIssue[] = lintDraft({ subject: "Hi %frist_name%" }, { availableVarNames: ["first_name"] }).issues;
 * // { code: "unknown-variable", severity: "error", field: "subject", start: 3, end: 15, line: 1, column: 4, message: "…" }
 * ```
 */
export interface LintIssue extends TextPosition {
  code: LintCode;
  severity: "error" | "warning";
  /** What is wrong and what to do about it, in one sentence or two. */
  message: string;
  field: DraftField;
  start: number;
  end: number;
}

/**
 * Options of {@link lintDraft}.
 *
 * @example
 * ```ts
 * import type { LintOptions } from "puffle-chat/template";
 * const options: LintOptions = { availableVarNames: ["first_name", "company"], instructions: "warning" };
 * ```
 */
export interface LintOptions {
  /**
   * The variables the campaign's leads have (what you send as `availableVarNames` on a turn). When
   * given, every other variable is an `unknown-variable` error. `%custom_fields.x%` is accepted when
   * `x` or `custom_fields.x` is listed, and `%x%` when `custom_fields.x` is. Default: not checked.
   */
  availableVarNames?: readonly string[] | undefined;
  /** Severity of `unfilled-instruction`, or `"off"` to allow blocks. Default `"error"`. */
  instructions?: "error" | "warning" | "off" | undefined;
  /**
   * Whether an empty subject is an error. Default `true`; set `false` for follow-ups sent in the
   * same thread, which keep the previous subject.
   */
  requireSubject?: boolean | undefined;
  /** Whether to warn about en dashes (U+2013). Default `true`. */
  enDash?: boolean | undefined;
}

/**
 * The result of {@link lintDraft}: `ok` is `true` when no issue is an error (warnings allowed).
 *
 * @example
 * ```ts
 * import { lintDraft, type LintResult } from "puffle-chat/template";
 * const result: LintResult = lintDraft({ subject: "Hi", body: "Hello %first_name%" });
 * result.ok; // true
 * ```
 */
export interface LintResult {
  ok: boolean;
  /** Every issue, subject first, then by position. */
  issues: LintIssue[];
}

const CUSTOM_PREFIX = "custom_fields.";
const NAME_SOURCE =
  "[\\p{L}_][\\p{L}\\p{M}\\p{Nd}_]*(?:\\.[\\p{L}\\p{Nd}_][\\p{L}\\p{M}\\p{Nd}_]*)*";
const WORD_CHAR = /[\p{L}\p{N}_]/u;
const NAME_CHAR = /[\p{L}\p{M}\p{Nd}_.]/u;
const OPEN_PERCENT = new RegExp(`%(${NAME_SOURCE})`, "gu");
const MAX_BACKWARD = 200;

function quote(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function editDistanceAtMost(a: string, b: string, limit: number): boolean {
  if (Math.abs(a.length - b.length) > limit) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return false;
    previous = current;
  }
  return (previous[b.length] ?? limit + 1) <= limit;
}

class VariableCatalog {
  readonly names: readonly string[] | undefined;
  private readonly set: Set<string> | undefined;

  constructor(names: readonly string[] | undefined) {
    this.names = Array.isArray(names)
      ? names.filter((n): n is string => typeof n === "string")
      : undefined;
    this.set = this.names === undefined ? undefined : new Set(this.names);
  }

  /** `undefined` when no list was given. */
  isAvailable(name: string): boolean | undefined {
    const set = this.set;
    if (set === undefined) return undefined;
    if (set.has(name)) return true;
    if (name.startsWith(CUSTOM_PREFIX)) return set.has(name.slice(CUSTOM_PREFIX.length));
    return set.has(CUSTOM_PREFIX + name);
  }

  /** Whether a bare word looks like one of the variables (listed, or a standard lead field). */
  isKnown(name: string): boolean {
    return this.isAvailable(name) === true || standardLeadField(name) !== undefined;
  }

  suggest(name: string): string | undefined {
    const names = this.names ?? [];
    const canonical = canonicalVariableName(name);
    return (
      names.find((n) => canonicalVariableName(n) === canonical) ??
      (name.length >= 4 ? names.find((n) => editDistanceAtMost(name, n, 2)) : undefined)
    );
  }
}

class FieldLinter {
  readonly issues: LintIssue[] = [];
  private readonly locate: (offset: number) => TextPosition;

  constructor(
    readonly field: DraftField,
    readonly text: string,
    readonly catalog: VariableCatalog,
    private readonly options: LintOptions,
  ) {
    this.locate = createLocator(text);
  }

  add(
    code: LintCode,
    severity: LintIssue["severity"],
    start: number,
    end: number,
    message: string,
  ) {
    this.issues.push({
      code,
      severity,
      message,
      field: this.field,
      start,
      end,
      ...this.locate(start),
    });
  }

  run(): LintIssue[] {
    const parts = parseTemplate(this.text);
    lintVariables(this, parts);
    const instructionSeverity = this.options.instructions ?? "error";
    for (const part of parts) {
      if (part.kind === "instruction" && instructionSeverity !== "off") {
        this.add(
          "unfilled-instruction",
          instructionSeverity,
          part.start,
          part.end,
          `The instruction block ${quote(part.raw)} is still in the draft: replace it with the finished text or remove it.`,
        );
      }
      if (part.kind === "text") lintText(this, part);
    }
    lintDashes(this, this.options.enDash ?? true);
    return this.issues;
  }

  /** Next index of `needle` at or after `from`, or the text length; cached, as calls come in order. */
  nextIndex(needle: string, from: number): number {
    const cached = this.cache.get(needle);
    if (cached !== undefined && cached >= from) {
      const previousFrom = this.cacheFrom.get(needle) ?? 0;
      if (previousFrom <= from) return cached;
    }
    const found = this.text.indexOf(needle, from);
    const result = found === -1 ? this.text.length : found;
    this.cache.set(needle, result);
    this.cacheFrom.set(needle, from);
    return result;
  }
  private readonly cache = new Map<string, number>();
  private readonly cacheFrom = new Map<string, number>();
}

/** `&&` and `{{` runs that open nothing valid. */
function lintMarkers(l: FieldLinter, part: TextPart) {
  const { value, start: base } = part;
  for (const m of value.matchAll(/&{2,}/g)) {
    const start = base + m.index;
    l.add(
      "unbalanced-marker",
      "error",
      start,
      start + m[0].length,
      "This && opens an instruction block that is never closed: add the closing && or remove it.",
    );
  }
  for (const m of value.matchAll(/\{{2,}/g)) {
    const start = base + m.index;
    const runEnd = start + m[0].length;
    const close = l.nextIndex("}}", runEnd);
    const lineEnd = Math.min(l.nextIndex("\n", runEnd), l.nextIndex("\r", runEnd));
    if (close < lineEnd) {
      const raw = l.text.slice(start, close + 2);
      l.add(
        "malformed-variable",
        "error",
        start,
        close + 2,
        `${quote(raw)} is not a valid variable: names use letters, digits, _ and dots (write %first_name%).`,
      );
    } else {
      l.add(
        "unbalanced-marker",
        "error",
        start,
        runEnd,
        "This {{ is never closed with }}: write the variable as %name%, or remove the braces.",
      );
    }
  }
}

/** A `%` with a name on one side only: `%name` or `name%`. */
function lintPercents(l: FieldLinter, part: TextPart) {
  const { value, start: base } = part;
  for (const m of value.matchAll(OPEN_PERCENT)) {
    const start = base + m.index;
    const name = m[1] ?? "";
    const after = l.text.charAt(start + m[0].length);
    // After a word character it is a percentage (`50%off`); before a `%` it is URL encoding.
    if (WORD_CHAR.test(l.text.charAt(start - 1)) || after === "%") continue;
    const known = l.catalog.isKnown(name);
    l.add(
      "unbalanced-marker",
      known ? "error" : "warning",
      start,
      start + m[0].length,
      `%${quote(name)} has no closing %: write %${quote(name)}% if it is a variable${known ? "" : ", or ignore this if the % is meant as text"}.`,
    );
  }
  for (let p = value.indexOf("%"); p !== -1; p = value.indexOf("%", p + 1)) {
    // A known name written as `name%`: walk back over name characters (bounded, so linear).
    const end = base + p;
    let start = end;
    while (start > 0 && end - start < MAX_BACKWARD && NAME_CHAR.test(l.text.charAt(start - 1)))
      start--;
    const name = l.text.slice(start, end);
    const before = l.text.charAt(start - 1);
    if (name === "" || before === "%" || WORD_CHAR.test(before) || !NAME_PATTERN.test(name))
      continue;
    if (!l.catalog.isKnown(name)) continue;
    l.add(
      "unbalanced-marker",
      "error",
      start,
      end + 1,
      `${quote(name)}% has no opening %: write %${quote(name)}%.`,
    );
  }
}

function lintText(l: FieldLinter, part: TextPart) {
  lintMarkers(l, part);
  lintPercents(l, part);
}

/** `{{name}}` variables, and variables that are not available. */
function lintVariables(l: FieldLinter, parts: TemplatePart[]) {
  for (const variable of variablesOf(parts)) {
    const { name, raw, start, end } = variable;
    if (variable.syntax === "braces") {
      l.add(
        "braces-variable",
        "warning",
        start,
        end,
        `Write ${quote(raw)} as %${quote(name)}%, the variable form Puffle uses.`,
      );
    }
    if (l.catalog.isAvailable(name) === false) {
      const suggestion = l.catalog.suggest(name);
      const listed = (l.catalog.names ?? []).slice(0, 12).map((n) => `%${n}%`);
      const hint =
        suggestion !== undefined
          ? `Did you mean %${suggestion}%?`
          : listed.length > 0
            ? `Use one of ${listed.join(", ")}${(l.catalog.names?.length ?? 0) > listed.length ? ", …" : ""}, or remove it.`
            : "No variables are available: replace it with text.";
      l.add(
        "unknown-variable",
        "error",
        start,
        end,
        `%${quote(name)}% is not an available variable. ${hint}`,
      );
    }
  }
}

/** Em dashes (rejected by Puffle's quality gate) and, unless `enDash: false`, en dashes. */
function lintDashes(l: FieldLinter, enDash: boolean) {
  for (const m of l.text.matchAll(enDash ? /[\u2013\u2014]/g : /\u2014/g)) {
    if (m[0] === "\u2014") {
      l.add(
        "em-dash",
        "error",
        m.index,
        m.index + 1,
        "Replace this em dash (U+2014) with a comma, a colon, a period or ' - ': Puffle's quality gate rejects em dashes.",
      );
    } else {
      l.add(
        "en-dash",
        "warning",
        m.index,
        m.index + 1,
        "This en dash (U+2013) reads like an em dash: use '-' or rephrase, unless it marks a range.",
      );
    }
  }
}

function fieldText(draft: TemplateDraft, field: DraftField): string | null | undefined {
  if (!Object.hasOwn(draft, field)) return undefined;
  const value = draft[field];
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : null;
}

/**
 * Checks a draft before it is saved or sent: variables against `availableVarNames`, instruction
 * blocks left in, unbalanced markers, empty fields, em dashes (which Puffle's quality gate rejects)
 * and `{{name}}` variables. See {@link LintCode} for every code and its severity.
 *
 * A field is checked when present in the draft (`null` counts as present and empty); a missing or
 * `undefined` field is skipped, so `lintDraft({ body })` lints only the body. `ok` is `false` when
 * any issue is an error. Defaults: `availableVarNames` not checked, instruction blocks are errors,
 * an empty subject is an error, en dashes are warnings. Never throws: non-string fields count as
 * empty, a non-object draft lints nothing.
 *
 * @param source - a session (its `draft_subject` / `draft_body` are linted) or a draft
 * `{ subject, body }` such as a skeleton.
 * @param options - see {@link LintOptions}.
 * @example
 * ```ts
 * import { lintDraft } from "puffle-chat/template";
 * const { ok, issues } = lintDraft(
 *   { subject: "Quick idea for %company%", body: "Hi {{first_name}} — &&mention their role&&" },
 *   { availableVarNames: ["first_name", "company"] },
 * );
 * // ok === false; codes in order: braces-variable, em-dash, unfilled-instruction
 * for (const i of issues) console.log(`${i.field}:${i.line}:${i.column} ${i.severity} ${i.message}`);
 * ```
 */
export function lintDraft(source: DraftSource, options: LintOptions = {}): LintResult {
  const opts: LintOptions = typeof options === "object" && options !== null ? options : {};
  if (typeof source !== "object" || source === null) return { ok: true, issues: [] };
  const draft = asDraft(source);
  const catalog = new VariableCatalog(opts.availableVarNames);
  const issues: LintIssue[] = [];
  for (const field of ["subject", "body"] as const) {
    const text = fieldText(draft, field);
    if (text === undefined) continue;
    if (text === null || text.trim() === "") {
      const required = field === "body" || (opts.requireSubject ?? true);
      if (required) {
        const length = text?.length ?? 0;
        issues.push({
          code: field === "subject" ? "empty-subject" : "empty-body",
          severity: "error",
          message: `The ${field} is empty: write a ${field} before sending${field === "subject" ? " (or pass requireSubject: false for a follow-up in the same thread)" : ""}.`,
          field,
          start: 0,
          end: length,
          line: 1,
          column: 1,
        });
      }
      if (text === null) continue;
    }
    const fieldIssues = new FieldLinter(field, text, catalog, opts).run();
    fieldIssues.sort((a, b) => a.start - b.start || a.end - b.end);
    issues.push(...fieldIssues);
  }
  return { ok: !issues.some((i) => i.severity === "error"), issues };
}
