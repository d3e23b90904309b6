import { asDraft } from "./draft";
import { parseTemplate } from "./parse";
import type { DraftSource, TemplatePart, VariablePart } from "./types";

function textsOf(textOrDraft: string | DraftSource | null | undefined): string[] {
  if (typeof textOrDraft === "string") return [textOrDraft];
  if (typeof textOrDraft !== "object" || textOrDraft === null) return [];
  const { subject, body } = asDraft(textOrDraft);
  return [subject, body].filter((t): t is string => typeof t === "string");
}

/**
 * Every variable of parsed parts in text order, those inside instruction blocks included.
 * @internal
 */
export function variablesOf(parts: readonly TemplatePart[]): VariablePart[] {
  const out: VariablePart[] = [];
  for (const part of parts) {
    if (part.kind === "variable") out.push(part);
    else if (part.kind === "instruction") out.push(...part.variables);
  }
  return out;
}

/**
 * The unique variable names used by a text or a draft, in order of first use (subject before body).
 * Both `%name%` and `{{name}}` count, as do variables written inside `&&…&&` blocks. Names are
 * compared exactly as written (`firstName` and `first_name` are two names). Never throws; a value
 * that is neither a string nor an object gives `[]`.
 *
 * @param textOrDraft - a subject or body, a draft `{ subject, body }`, or a session.
 * @example
 * ```ts
 * import { listVariables } from "puffle-chat/template";
 * listVariables({ subject: "%company% x %first_name%", body: "Hi {{first_name}}, &&about %industry%&&" });
 * // ["company", "first_name", "industry"]
 * ```
 */
export function listVariables(textOrDraft: string | DraftSource | null | undefined): string[] {
  const seen = new Set<string>();
  for (const text of textsOf(textOrDraft)) {
    for (const variable of variablesOf(parseTemplate(text))) seen.add(variable.name);
  }
  return [...seen];
}

/**
 * Rewrites every `{{name}}` / `{{ name }}` variable as `%name%`, the form Puffle writes, inside
 * instruction blocks too. Everything else is left byte for byte. A braces variable whose rewrite
 * would merge with the text around it (`%é{{company}}` would read as `%é%` + `company%`) is left
 * as written, so the result always has the same variables as the input. Never throws; a non-string
 * gives `""`.
 *
 * @example
 * ```ts
 * import { toPercentSyntax } from "puffle-chat/template";
 * toPercentSyntax("Hi {{ first_name }}, 20% off"); // "Hi %first_name%, 20% off"
 * ```
 */
export function toPercentSyntax(text: string): string {
  if (typeof text !== "string") return "";
  const variables = variablesOf(parseTemplate(text));
  const convert = new Set(variables.filter((v) => v.syntax === "braces"));
  for (let attempt = 0; attempt < 8 && convert.size > 0; attempt++) {
    let out = "";
    let at = 0;
    const expected: { variable: VariablePart; start: number; end: number }[] = [];
    for (const variable of variables) {
      out += text.slice(at, variable.start);
      const marker = convert.has(variable) ? `%${variable.name}%` : variable.raw;
      expected.push({ variable, start: out.length, end: out.length + marker.length });
      out += marker;
      at = variable.end;
    }
    out += text.slice(at);
    const found = new Map(variablesOf(parseTemplate(out)).map((v) => [v.start, v.end]));
    const broken = expected.filter((e) => found.get(e.start) !== e.end);
    if (broken.length === 0 && found.size === expected.length) return out;
    // Keep the braces of every converted variable next to a break, then try again.
    let reverted = 0;
    for (const e of broken) if (convert.delete(e.variable)) reverted++;
    if (reverted === 0) break;
  }
  return text;
}

/**
 * Replaces em dashes (U+2014), which Puffle's quality gate rejects, and optionally en dashes (U+2013).
 * An em dash with spaces around it (`a — b`) and one between words (`a—b`) both become
 * `replacement` with single spaces around it. Never throws.
 *
 * @param text - the text to clean.
 * @param options.replacement - what a dash becomes; default `"-"` (written as `" - "` between words).
 * @param options.enDash - also replace en dashes; default `false` (en dashes in ranges like
 *   `9–5` are usually fine).
 * @example
 * ```ts
 * import { replaceDashes } from "puffle-chat/template";
 * replaceDashes("Fast—and cheap"); // "Fast - and cheap"
 * replaceDashes("Q1 — Q2", { replacement: "to" }); // "Q1 to Q2"
 * ```
 */
export function replaceDashes(
  text: string,
  options: { replacement?: string; enDash?: boolean } = {},
): string {
  if (typeof text !== "string") return "";
  const replacement = options.replacement ?? "-";
  const dash = options.enDash === true ? /[ \t]*[\u2014\u2013][ \t]*/g : /[ \t]*\u2014[ \t]*/g;
  return text.replace(dash, (match, offset: number) => {
    const atStart = offset === 0 || /[\r\n]/.test(text.charAt(offset - 1));
    const end = offset + match.length;
    const atEnd = end === text.length || /[\r\n]/.test(text.charAt(end));
    return `${atStart ? "" : " "}${replacement}${atEnd ? "" : " "}`;
  });
}
