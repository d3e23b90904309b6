import type { TextPosition } from "./types";

/**
 * Offsets of every line start in `text` (`\n`, `\r\n` and a lone `\r` end a line).
 * @internal
 */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/**
 * Builds a function that maps a UTF-16 offset of `text` to its line and column, in O(log lines)
 * per call after one O(n) pass.
 * @internal
 */
export function createLocator(text: string): (offset: number) => TextPosition {
  const starts = lineStarts(text);
  return (offset) => {
    const at = Math.max(0, Math.min(offset, text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - (starts[lo] ?? 0) + 1 };
  };
}

/**
 * The 1-based line and column of a UTF-16 offset in `text`, as used by the parts of
 * {@link parseTemplate} and the issues of {@link lintDraft}. Columns count UTF-16 code units; `\n`,
 * `\r\n` and a lone `\r` end a line. An offset outside the text is clamped to `0 … text.length`.
 * Never throws.
 *
 * @example
 * ```ts
 * import { positionAt } from "puffle-chat/template";
 * positionAt("Hello\r\nworld", 7); // { line: 2, column: 1 }
 * positionAt("Hello", 99); // { line: 1, column: 6 }
 * ```
 */
export function positionAt(text: string, offset: number): TextPosition {
  const source = typeof text === "string" ? text : "";
  return createLocator(source)(Number.isFinite(offset) ? Math.trunc(offset) : 0);
}
