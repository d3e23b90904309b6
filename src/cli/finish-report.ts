/**
 * Plain-text rendering of `finishSession`'s report, shared by `demo` and the chat's `/finish`.
 *
 * @module
 */

import type { FinishStep } from "../core/campaign-types";
import type { FinishSessionResult, GeneratedMessage, Session } from "../index";
import { leadLabel } from "./samples";

/**
 * The steps, one per line: `step  outcome  detail`.
 *
 * @example
 * ```ts
 * formatFinishSteps(result.steps); // "read-session  done     session … is idle\n…"
 * ```
 */
export function formatFinishSteps(steps: readonly FinishStep[]): string {
  return steps.map((s) => `${s.step.padEnd(13)} ${s.outcome.padEnd(8)} ${s.detail}`).join("\n");
}

/**
 * Who a resolved message is for: the lead of the session's example it was copied from (AI
 * nodes), else the prospect id.
 */
function recipient(message: GeneratedMessage, session: Session): string {
  const example = (session.generated_examples ?? []).find(
    (e) => e.subject === message.subject && e.body === message.body_text,
  ) as (Record<string, unknown> & { lead_name?: unknown }) | undefined;
  if (example && typeof example.lead_name === "string") return example.lead_name;
  if (example) return leadLabel(example as never);
  return `prospect ${message.prospect_id}`;
}

/**
 * The whole report: the steps, then every resolved message of the session's node (who it is for,
 * its subject and the first line of its body).
 *
 * @example
 * ```ts
 * print.section("Finish", formatFinish(await client.finishSession(session.id)));
 * ```
 */
export function formatFinish(result: FinishSessionResult): string {
  const lines = [formatFinishSteps(result.steps), ""];
  const what = result.copied
    ? `The draft is on node ${result.node.id} (${result.via}).`
    : `Node ${result.node.id} is an "${result.node.type}" node: nothing was written onto it.`;
  lines.push(what);
  lines.push(
    result.resolved
      ? `Resolved draft messages for launch: ${result.nodeMessages.length} for this node (${result.messages.length} in the campaign).`
      : "resolve was not run.",
  );
  for (const m of result.nodeMessages) {
    const opening = (m.body_text ?? "")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .slice(0, 2)
      .join(" ");
    lines.push(`  • ${recipient(m, result.session)}: ${m.subject ?? "(no subject)"}`);
    if (opening) lines.push(`      ${opening.length > 100 ? `${opening.slice(0, 99)}…` : opening}`);
  }
  return lines.join("\n");
}
