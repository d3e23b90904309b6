/**
 * The fixed inputs of the demo and of `/examples`: variables, sample leads and the demo's turns.
 *
 * @module
 */

import type { Lead } from "../index";
import {
  type LintOptions,
  type RenderResult,
  renderDraft,
  type TemplateDraft,
} from "../template/index";

/**
 * The merge variables the CLI's leads have; sent as `availableVarNames` on every turn and used to
 * lint the draft.
 *
 * @example
 * ```ts
 * lintDraft(draft, { availableVarNames: SAMPLE_VAR_NAMES });
 * ```
 */
export const SAMPLE_VAR_NAMES: readonly string[] = [
  "first_name",
  "last_name",
  "company",
  "position",
];

/**
 * The three leads examples are generated for (the same people as the emulator's demo leads).
 *
 * @example
 * ```ts
 * await puffle.generateExamples(id, { leads: [...SAMPLE_LEADS] });
 * ```
 */
export const SAMPLE_LEADS: readonly Lead[] = [
  {
    first_name: "Ada",
    last_name: "Lovelace",
    company: "Analytical Engines",
    position: "VP of Sales",
  },
  {
    first_name: "Grace",
    last_name: "Hopper",
    company: "Cobol Systems",
    position: "Head of Revenue",
  },
  { first_name: "Alan", last_name: "Turing", company: "Enigma Labs", position: "Sales Director" },
];

/**
 * The demo's three user messages: a brief (answered with clarifying questions), the answers (a
 * skeleton and a draft), and a revision.
 *
 * @example
 * ```ts
 * for (const message of DEMO_MESSAGES) await client.chat(id, { message });
 * ```
 */
export const DEMO_MESSAGES: readonly string[] = [
  "Write an intro email to VPs of Sales at B2B SaaS companies about our pipeline analytics platform.",
  "They should book a 15 minute demo. Proof: customers grow qualified pipeline 30% in one quarter. Mention SOC 2 compliance.",
  "Make it shorter, please.",
];

/**
 * A one-line label for a lead: "Ada Lovelace, VP of Sales at Analytical Engines".
 *
 * @example
 * ```ts
 * leadLabel({ first_name: "Ada", company: "Acme" }); // "Ada at Acme"
 * ```
 */
export function leadLabel(lead: Lead | undefined): string {
  if (!lead) return "unknown lead";
  const name = [lead.first_name, lead.last_name].filter(Boolean).join(" ") || "unnamed lead";
  const role = lead.position ? `, ${lead.position}` : "";
  const company = lead.company ? ` at ${lead.company}` : "";
  return `${name}${role}${company}`;
}

/**
 * How the CLI lints a draft: `lintDraft`'s own defaults (so the report's severities are the ones
 * `lintDraft` gives), with the variables checked against {@link SAMPLE_VAR_NAMES}.
 *
 * @example
 * ```ts
 * const report = lintDraft({ subject, body }, LINT_OPTIONS);
 * ```
 */
export const LINT_OPTIONS: LintOptions = {
  availableVarNames: SAMPLE_VAR_NAMES,
};

/**
 * The draft rendered for one lead with `renderDraft`: variables filled from the lead, each
 * `&&instruction&&` shown as `[instruction]` (with its own variables filled).
 *
 * @example
 * ```ts
 * renderForLead({ subject: "Hi %first_name%", body: "&&about %company%&&" }, { first_name: "Ada", company: "Acme" });
 * // { subject: "Hi Ada", body: "[about Acme]", … }
 * ```
 */
export function renderForLead(draft: TemplateDraft, lead: Lead | undefined): RenderResult {
  return renderDraft(draft, lead, {
    instructions: (text, l) => `[${renderDraft({ body: text }, l).body ?? text}]`,
  });
}
