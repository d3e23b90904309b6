import { createLocator } from "./position";
import type { InstructionPart, TemplatePart, TextPosition, VariablePart } from "./types";

/**
 * A variable name: dot-separated segments; the first segment starts with a letter or `_` (so `%20`,
 * `100%` never open a variable), later segments may start with a digit; letters, combining marks,
 * decimal digits and `_` follow. Unicode letters are accepted (`%société%`).
 */
const NAME = /[\p{L}_][\p{L}\p{M}\p{Nd}_]*(?:\.[\p{L}\p{Nd}_][\p{L}\p{M}\p{Nd}_]*)*/uy;

/** Anchored (whole-string) form of the variable-name rule. @internal */
export const NAME_PATTERN =
  /^[\p{L}_][\p{L}\p{M}\p{Nd}_]*(?:\.[\p{L}\p{Nd}_][\p{L}\p{M}\p{Nd}_]*)*$/u;

const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;
const PERCENT = 37; // %
const AMP = 38; // &
const OPEN_BRACE = 123; // {
const SPACE = 32;
const TAB = 9;

/**
 * Whether `name` is a valid variable name for `%name%` / `{{name}}` (see {@link parseTemplate}).
 *
 * @example
 * ```ts
 * import { isVariableName } from "puffle-chat/template";
 * isVariableName("custom_fields.industry"); // true
 * isVariableName("20 off"); // false
 * ```
 */
export function isVariableName(name: string): boolean {
  return typeof name === "string" && NAME_PATTERN.test(name);
}

function nameAt(src: string, at: number): string | undefined {
  NAME.lastIndex = at;
  return NAME.exec(src)?.[0];
}

function skipBlanks(src: string, at: number): number {
  let j = at;
  for (;;) {
    const c = src.charCodeAt(j);
    if (c !== SPACE && c !== TAB) return j;
    j++;
  }
}

interface Match {
  name: string;
  syntax: "percent" | "braces";
  end: number;
}

/** `%name%` starting at `i` (which holds `%`). */
function matchPercent(src: string, i: number): Match | undefined {
  const name = nameAt(src, i + 1);
  if (name === undefined) return undefined;
  const close = i + 1 + name.length;
  if (src.charCodeAt(close) !== PERCENT) return undefined;
  // `%E2%80`: a percent-encoded byte followed by another one is URL encoding, not a variable.
  if (HEX_PAIR.test(name) && HEX_PAIR.test(src.slice(close + 1, close + 3))) return undefined;
  return { name, syntax: "percent", end: close + 1 };
}

/** `{{name}}` or `{{ name }}` starting at `i` (which holds `{{`). */
function matchBraces(src: string, i: number): Match | undefined {
  const from = skipBlanks(src, i + 2);
  const name = nameAt(src, from);
  if (name === undefined) return undefined;
  const close = skipBlanks(src, from + name.length);
  return src.startsWith("}}", close) ? { name, syntax: "braces", end: close + 2 } : undefined;
}

function matchVariable(src: string, i: number): Match | undefined {
  const c = src.charCodeAt(i);
  if (c === PERCENT) return matchPercent(src, i);
  if (c === OPEN_BRACE && src.charCodeAt(i + 1) === OPEN_BRACE) return matchBraces(src, i);
  return undefined;
}

/** The text being parsed, with its offset-to-position locator. */
interface Source {
  src: string;
  locate: (offset: number) => TextPosition;
}

function variablePart({ src, locate }: Source, start: number, m: Match): VariablePart {
  return {
    kind: "variable",
    name: m.name,
    syntax: m.syntax,
    raw: src.slice(start, m.end),
    start,
    end: m.end,
    ...locate(start),
  };
}

/**
 * Splits a Puffle template into text, merge variables and instruction blocks.
 *
 * Rules, applied left to right:
 * - `&&…&&` is an instruction block: an `&&` opens it and the next `&&` closes it; it may span
 *   lines. An `&&` with no closing `&&` after it is text (flag it with {@link lintDraft}).
 * - `%name%` is a variable when `name` is a variable name: dot-separated segments of letters,
 *   digits, combining marks and `_`, the first starting with a letter or `_` (`%first_name%`,
 *   `%custom_fields.industry%`, `%industry%`). Any other `%` is text: `20% off`, `100%`, `%20`,
 *   `50 % of`, and `%first name%` (a space is not allowed).
 * - Percent-encoded URL bytes stay text: `%E2%80%94`, `%C3%A9` (a two-hex-digit name directly
 *   followed by two more hex digits is not a variable; a lone `%E2%` still is).
 * - `{{name}}` and `{{ name }}` (spaces or tabs inside the braces) are variables too, with
 *   `syntax: "braces"`; any other `{{` is text.
 * - Variables inside an instruction block are listed on the block (`variables`), not as parts.
 * - Adjacent text is merged into one text part; a part is never empty.
 *
 * Concatenating `value` (text parts) and `raw` (other parts) gives back the input exactly, for any
 * string, including lone surrogates. Offsets are UTF-16 code units; `line` / `column` are 1-based
 * (see {@link positionAt}). Runs in linear time. Never throws; a non-string input gives `[]`.
 *
 * @param text - the subject or body of a draft.
 * @returns the parts, in order.
 * @example
 * ```ts
 * import { parseTemplate } from "puffle-chat/template";
 * parseTemplate("Hi %first_name%, 20% off &&mention their role&&").map((p) => p.kind);
 * // ["text", "variable", "text", "instruction"]
 * ```
 */
export function parseTemplate(text: string): TemplatePart[] {
  const src = typeof text === "string" ? text : "";
  const locate = createLocator(src);
  const source: Source = { src, locate };
  const parts: TemplatePart[] = [];
  let textStart = 0;
  let i = 0;
  // Once an `&&` finds no closing `&&`, no later `&&` can either: skip the search from then on.
  let unclosedAmp = false;

  const flushText = (to: number) => {
    if (to > textStart) {
      parts.push({
        kind: "text",
        value: src.slice(textStart, to),
        start: textStart,
        end: to,
        ...locate(textStart),
      });
    }
  };

  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (c === AMP && !unclosedAmp && src.charCodeAt(i + 1) === AMP) {
      const close = src.indexOf("&&", i + 2);
      if (close === -1) {
        unclosedAmp = true;
        i++;
        continue;
      }
      flushText(i);
      const end = close + 2;
      const raw = src.slice(i, end);
      const block: InstructionPart = {
        kind: "instruction",
        instruction: src.slice(i + 2, close).trim(),
        raw,
        variables: scanVariables(source, i + 2, close),
        start: i,
        end,
        ...locate(i),
      };
      parts.push(block);
      i = end;
      textStart = i;
      continue;
    }
    const m = matchVariable(src, i);
    if (m !== undefined) {
      flushText(i);
      parts.push(variablePart(source, i, m));
      i = m.end;
      textStart = i;
      continue;
    }
    i++;
  }
  flushText(src.length);
  return parts;
}

/** Variables in `src[from, to)`; a name cannot contain `&`, so no match runs past `to`. */
function scanVariables(source: Source, from: number, to: number): VariablePart[] {
  const found: VariablePart[] = [];
  let i = from;
  while (i < to) {
    const m = matchVariable(source.src, i);
    if (m !== undefined && m.end <= to) {
      found.push(variablePart(source, i, m));
      i = m.end;
    } else {
      i++;
    }
  }
  return found;
}

/**
 * Puts parsed parts back together: `value` of text parts and `raw` of the others, in order. For the
 * parts of {@link parseTemplate}, gives back the parsed text exactly. Never throws.
 *
 * @example
 * ```ts
 * import { parseTemplate, stringifyParts } from "puffle-chat/template";
 * stringifyParts(parseTemplate("Hi %first_name%")); // "Hi %first_name%"
 * ```
 */
export function stringifyParts(parts: readonly TemplatePart[]): string {
  let out = "";
  for (const part of parts) out += part.kind === "text" ? part.value : part.raw;
  return out;
}
