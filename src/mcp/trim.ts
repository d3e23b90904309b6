/**
 * Small outputs: long texts cut with a marker that says how much is left and how to read it, and
 * lists served a page at a time with their total (so a cut list is never taken for all of it).
 *
 * @internal
 * @module
 */

/** Default longest text of one field in a tool result, in characters. */
export const DEFAULT_MAX_CHARS = 2_000;

/** `text` cut to `max` characters with a marker naming what was cut and where to read it. */
export function trimText(text: string, max: number, readMore: string): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [trimmed: ${max} of ${text.length} characters shown; ${readMore}]`;
}

/** {@link trimText} for a value that may be absent. */
export function trimOrNull(text: string | null | undefined, max: number, readMore: string) {
  return text == null ? null : trimText(text, max, readMore);
}

/** One page of a list. */
export interface Page<T> {
  /** How many items the whole list has. */
  total: number;
  /** The index of the first item shown. */
  offset: number;
  items: T[];
  /** The offset of the next page, or `null` when this page reaches the end. */
  next_offset: number | null;
}

/** The page of `items` at `offset` (clamped), `size` long. */
export function pageOf<T, U>(
  items: readonly T[],
  offset: number,
  size: number,
  map: (item: T, index: number) => U,
): Page<U> {
  const start = Math.max(0, Math.min(offset, items.length));
  const end = Math.min(items.length, start + size);
  return {
    total: items.length,
    offset: start,
    items: items.slice(start, end).map((item, i) => map(item, start + i)),
    next_offset: end < items.length ? end : null,
  };
}
