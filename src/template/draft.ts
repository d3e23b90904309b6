/**
 * Read a {@link DraftSource} as `{ subject, body }`.
 *
 * @internal
 * @module
 */
import type { DraftSource, TemplateDraft } from "./types";

/**
 * The `{ subject, body }` view of a draft or a session. A `subject` or `body` key wins; otherwise
 * `draft_subject` / `draft_body` are read (a session). Anything else reads as an empty draft.
 */
export function asDraft(source: DraftSource | null | undefined): TemplateDraft {
  if (typeof source !== "object" || source === null) return {};
  if (Object.hasOwn(source, "subject") || Object.hasOwn(source, "body"))
    return source as TemplateDraft;
  const out: TemplateDraft = {};
  const fields = source as { draft_subject?: unknown; draft_body?: unknown };
  if ("draft_subject" in source) out.subject = asText(fields.draft_subject);
  if ("draft_body" in source) out.body = asText(fields.draft_body);
  return out;
}

function asText(value: unknown): string | null | undefined {
  return value === undefined || typeof value === "string" ? value : null;
}
