/**
 * Validation of `chat` stream chunks into typed {@link ChatStreamEvent}s.
 *
 * Written as small guards rather than with zod: zod (even `zod/mini`) would add about 5 KB gzip to
 * the browser entry, a quarter of its budget, for seven flat shapes.
 *
 * @module
 */

import type { ChatStreamEvent } from "./events";

type Guard = (chunk: Record<string, unknown>) => boolean;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isString = (value: unknown) => typeof value === "string";
const isOptional = (value: unknown, guard: (v: unknown) => boolean) =>
  value === undefined || guard(value);

const SHAPES: Record<string, Guard> = {
  status: (c) => isString(c.status),
  delta: (c) => isString(c.text),
  skeleton: (c) =>
    isObject(c.skeleton) && isOptional(c.framework_version, (v) => typeof v === "number"),
  draft: (c) => isString(c.subject) && isString(c.body),
  example: (c) =>
    isObject(c.example) &&
    isString(c.example.subject) &&
    isString(c.example.body) &&
    isOptional(c.example.lead_id, (v) => v === null || isString(v)),
  completed: () => true,
  failed: (c) => isString(c.status) && isOptional(c.error, isObject),
};

/**
 * Turn one raw stream chunk into a {@link ChatStreamEvent}: a chunk that matches one of the
 * documented shapes comes back typed (extra keys kept, the object is not copied); anything else
 * comes back as `{ type: "unknown", raw }`. Never throws.
 *
 * @example
 * ```ts
 * toChatEvent({ type: "delta", text: "Hi" }); // { type: "delta", text: "Hi" }
 * toChatEvent({ type: "delta", text: 42 });   // { type: "unknown", raw: { type: "delta", text: 42 } }
 * toChatEvent("hello");                       // { type: "unknown", raw: "hello" }
 * ```
 */
export function toChatEvent(raw: unknown): ChatStreamEvent {
  if (isObject(raw) && typeof raw.type === "string" && Object.hasOwn(SHAPES, raw.type)) {
    const guard = SHAPES[raw.type];
    if (guard?.(raw)) return raw as unknown as ChatStreamEvent;
  }
  return { type: "unknown", raw };
}
