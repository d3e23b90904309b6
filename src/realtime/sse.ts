/**
 * A small server-sent events parser (the WHATWG "event stream" format), bounded in memory.
 *
 * Why our own: the realtime entry already carries one SSE parser that cannot be dropped (the one
 * `@electric-sql/client` imports for its own SSE mode), and it is not ours to import (not a
 * declared dependency, no size bound). A second full parser did not fit the 20 KB browser budget;
 * this one is what the chat stream needs, and it refuses to hold more than `maxChars` of one event.
 *
 * @internal
 * @module
 */

/** One dispatched event: its `event:` name (`""` when none), its data and its own `id:`. @internal */
export interface SseEvent {
  event: string;
  data: string;
  /** The `id:` field of this event, when it had one (the resume position). */
  id: string | undefined;
}

/**
 * A parser fed with decoded text in pieces of any size. Lines end with CRLF, LF or CR (even when a
 * CRLF is split between two pieces); a leading BOM is dropped; `:` lines are comments; an empty
 * line dispatches the event when it has data. Throws a `RangeError` as soon as the pending line
 * plus the event's data pass `maxChars`, so a hostile stream cannot grow memory without bound.
 * @internal
 */
export function createSseParser(
  onEvent: (event: SseEvent) => void,
  maxChars: number,
): (text: string) => void {
  let pending = "";
  let started = false;
  let skipLF = false;
  let data: string[] = [];
  let size = 0;
  let event = "";
  let id: string | undefined;

  const line = (text: string) => {
    if (text === "") {
      if (data.length > 0) onEvent({ event, data: data.join("\n"), id });
      data = [];
      size = 0;
      event = "";
      id = undefined;
      return;
    }
    const colon = text.indexOf(":");
    if (colon === 0) return;
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") {
      data.push(value);
      size += value.length + 1;
    } else if (field === "event") event = value;
    else if (field === "id" && !value.includes("\0")) id = value;
  };

  return (text) => {
    let chunk = text;
    if (!started && chunk !== "") {
      started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    if (skipLF && chunk !== "") {
      skipLF = false;
      if (chunk[0] === "\n") chunk = chunk.slice(1);
    }
    const buffer = pending + chunk;
    // `pending` holds no line end: scan only the new text.
    const ends = /\r\n?|\n/g;
    ends.lastIndex = pending.length;
    let start = 0;
    for (;;) {
      const match = ends.exec(buffer);
      if (match === null) break;
      line(buffer.slice(start, match.index));
      start = ends.lastIndex;
      if (match[0] === "\r" && start === buffer.length) skipLF = true;
      if (size > maxChars) break;
    }
    pending = buffer.slice(start);
    if (pending.length + size > maxChars)
      throw new RangeError(`an event of more than ${maxChars} characters`);
  };
}
