/**
 * Plain-text rendering of what the commands show: transcript, skeleton, draft, lint report,
 * examples and wait statistics. Pure functions, no colour, no I/O.
 *
 * @module
 */

import type { GeneratedExample, Message, Session, Skeleton } from "../index";
import type { LintResult, RenderResult } from "../template/index";

/**
 * Indent every line of `text` by `prefix` (default two spaces).
 *
 * @example
 * ```ts
 * indent("a\nb"); // "  a\n  b"
 * ```
 */
export function indent(text: string, prefix = "  "): string {
  return text
    .split("\n")
    .map((line) => (line === "" ? line : `${prefix}${line}`))
    .join("\n");
}

/**
 * An API key shortened for display: at most its first 16 characters and an ellipsis (never more
 * than 24 characters, the key's non-secret prefix).
 *
 * @example
 * ```ts
 * maskKey("pk_live_0123456789abcdef…"); // "pk_live_01234567…"
 * ```
 */
export function maskKey(key: string): string {
  return `${key.slice(0, 16)}…`;
}

/**
 * A chat transcript: one block per message, "You:" for the user, "Puffle:" for the assistant.
 *
 * @example
 * ```ts
 * formatTranscript(session.messages); // "You: Intro email…\n\nPuffle: Thanks…"
 * ```
 */
export function formatTranscript(messages: readonly Message[] | null | undefined): string {
  if (!messages || messages.length === 0) return "(no messages yet)";
  return messages
    .map((m) => {
      const who = m.role === "user" ? "You" : m.role === "assistant" ? "Puffle" : m.role;
      return `${who}: ${m.content}`;
    })
    .join("\n\n");
}

/**
 * A skeleton: its subject and one line per block (name, strategy, personalised fields).
 *
 * @example
 * ```ts
 * formatSkeleton(session.skeleton); // "Subject: …\nBlocks:\n  - opener: …"
 * ```
 */
export function formatSkeleton(skeleton: Skeleton | null | undefined): string {
  if (!skeleton) return "(no skeleton yet)";
  const lines: string[] = [];
  if (typeof skeleton.subject === "string") lines.push(`Subject: ${skeleton.subject}`);
  const blocks = Array.isArray(skeleton.blocks) ? skeleton.blocks : [];
  if (blocks.length > 0) {
    lines.push("Blocks:");
    for (const block of blocks) {
      const fields = block.personalization?.fields ?? [];
      const uses = fields.length > 0 ? ` (uses ${fields.join(", ")})` : "";
      lines.push(`  - ${block.name ?? "block"}: ${block.strategy ?? ""}${uses}`);
    }
  }
  if (lines.length === 0) lines.push(JSON.stringify(skeleton));
  return lines.join("\n");
}

/**
 * A draft email: "Subject: …", a blank line, the body.
 *
 * @example
 * ```ts
 * formatDraft(session.draft_subject, session.draft_body);
 * ```
 */
export function formatDraft(
  subject: string | null | undefined,
  body: string | null | undefined,
): string {
  if (!subject && !body) return "(no draft yet)";
  return `Subject: ${subject ?? ""}\n\n${body ?? ""}`;
}

/** Why a draft with instruction blocks is "NOT ok" although Puffle fills them in the examples. */
const INSTRUCTION_NOTE =
  '(Puffle fills &&instruction&& blocks per lead when it writes the examples. Sent as is, the draft would still contain them, hence the errors. On an ai node that is expected: /examples shows them filled, then /finish. An email node is sent as written: ask for "the final text", or /edit, before /finish.)';

/**
 * A lint report: a summary line, then one line per issue as `field:line:column severity code: message`
 * (`lintDraft`'s own severities), and a note when instruction blocks are left in.
 *
 * @example
 * ```ts
 * formatLint(lintDraft(draft, { availableVarNames }));
 * ```
 */
export function formatLint(result: LintResult): string {
  const errors = result.issues.filter((i) => i.severity === "error").length;
  const warnings = result.issues.length - errors;
  const summary = result.ok
    ? `ok (${errors} errors, ${warnings} warnings)`
    : `NOT ok (${errors} errors, ${warnings} warnings)`;
  const lines = result.issues.map(
    (i) => `  ${i.field}:${i.line}:${i.column} ${i.severity} ${i.code}: ${i.message}`,
  );
  if (result.issues.some((i) => i.code === "unfilled-instruction")) lines.push(INSTRUCTION_NOTE);
  return [summary, ...lines].join("\n");
}

/**
 * One example as Puffle wrote it, followed by the draft rendered locally for the same lead with
 * `renderDraft` (and the variables that lead could not fill).
 *
 * @example
 * ```ts
 * formatExample(1, "Ada Lovelace", example, renderDraft(draft, lead));
 * ```
 */
export function formatExample(
  index: number,
  leadLabel: string,
  example: GeneratedExample,
  rendered: RenderResult,
): string {
  const missing =
    rendered.missing.length > 0
      ? `\n  (no value for: ${[...new Set(rendered.missing.map((m) => m.name))].join(", ")})`
      : "";
  return [
    `Example ${index} for ${leadLabel}`,
    "  Written by Puffle:",
    indent(formatDraft(example.subject, example.body), "    "),
    "  Draft rendered with renderDraft for this lead:",
    indent(formatDraft(rendered.subject, rendered.body), "    ") + missing,
  ].join("\n");
}

/**
 * How a wait went: "realtime, 4 requests, 1.53 s".
 *
 * @example
 * ```ts
 * formatWait({ mode: "poll", requests: 7, elapsedMs: 2100 }); // "poll, 7 requests, 2.10 s"
 * ```
 */
export function formatWait(wait: {
  mode: string;
  requests: number;
  elapsedMs: number;
  fallbackReason?: string | undefined;
}): string {
  const fallback = wait.fallbackReason ? ` (fell back to polling: ${wait.fallbackReason})` : "";
  return `${wait.mode}, ${wait.requests} request${wait.requests === 1 ? "" : "s"}, ${(wait.elapsedMs / 1000).toFixed(2)} s${fallback}`;
}

/**
 * The state a session shows after a turn, as `[title, body]` sections: its skeleton, its draft and
 * the draft's lint report (`lint` undefined: there is no draft to lint yet).
 *
 * @example
 * ```ts
 * for (const [title, body] of formatState(session, lint)) print.section(title, body);
 * ```
 */
export function formatState(
  session: Pick<Session, "skeleton" | "draft_subject" | "draft_body">,
  lint: LintResult | undefined,
): [title: string, body: string][] {
  return [
    ["Skeleton", formatSkeleton(session.skeleton)],
    ["Draft", formatDraft(session.draft_subject, session.draft_body)],
    ["Lint report", lint ? formatLint(lint) : "(no draft to lint yet)"],
  ];
}
