/**
 * The realtime entry's own SSE parser (src/realtime/sse.ts) against `eventsource-parser` as the
 * oracle: arbitrary event streams (CRLF, LF and CR line ends, comments, BOM, multi-line data,
 * ids, unknown fields), cut into arbitrary pieces, give the same events; and one event larger
 * than the limit throws instead of growing.
 */

import { createParser } from "eventsource-parser";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSseParser, type SseEvent } from "../../src/realtime/sse";

const line = fc.oneof(
  fc.constantFrom("", ": ping", "event: batch", "retry: 10", "id", "data", "data:", "bogus: x"),
  fc.string({ maxLength: 12 }).map((s) => `data: ${s.replace(/[\r\n]/g, "")}`),
  fc.string({ maxLength: 6 }).map((s) => `id: ${s.replace(/[\r\n\0]/g, "")}`),
  fc.string({ maxLength: 6 }).map((s) => `data:${s.replace(/[\r\n]/g, "")}`),
);
const stream = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.tuple(line, fc.constantFrom("\n", "\r\n", "\r")), { maxLength: 30 }),
  )
  .map(([bom, lines]) => (bom ? "\uFEFF" : "") + lines.map(([l, end]) => l + end).join(""));

function cut(text: string, points: number[]): string[] {
  const at = [...new Set(points.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let start = 0;
  for (const p of at) {
    pieces.push(text.slice(start, p));
    start = p;
  }
  pieces.push(text.slice(start));
  return pieces;
}

describe("createSseParser", () => {
  it("gives the same events as eventsource-parser, however the stream is cut", () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 8 }), (text, points) => {
        const expected: SseEvent[] = [];
        const oracle = createParser({
          onEvent: (e) => expected.push({ event: e.event ?? "", data: e.data, id: e.id }),
        });
        oracle.feed(text);
        const actual: SseEvent[] = [];
        const feed = createSseParser((e) => actual.push(e), 1_000_000);
        for (const piece of cut(text, points)) feed(piece);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("throws a RangeError as soon as one event passes the limit, pending or complete", () => {
    const feed = createSseParser(() => {}, 100);
    feed("data: ");
    expect(() => feed("x".repeat(200))).toThrow(RangeError);
    const lines = createSseParser(() => {}, 100);
    expect(() => {
      for (let i = 0; i < 20; i++) lines("data: 0123456789\n");
    }).toThrow(/an event of more than 100 characters/);
  });
});
