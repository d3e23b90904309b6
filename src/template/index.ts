/**
 * `puffle-chat/template`: the draft tools, offline and dependency-free. Parse a subject or body
 * with Puffle's merge fields (`%first_name%`) and `&&instruction&&` blocks, lint a draft against
 * the variables your leads have, and render it for one lead, with no API call.
 *
 * @example
 * ```ts
 * import { lintDraft, renderDraft } from "puffle-chat/template";
 * const draft = { subject: "Hi %first_name%", body: "Quick question about %company%." };
 * lintDraft(draft, { availableVarNames: ["first_name", "company"] }).ok; // true
 * renderDraft(draft, { first_name: "Ada", company: "Acme" }).subject; // "Hi Ada"
 * ```
 *
 * @module
 */

export {
  canonicalVariableName,
  LEAD_FIELDS,
  type LeadFields,
  type LeadSource,
  resolveLeadVariable,
  standardLeadField,
  type TemplateLead,
} from "./lead";
export {
  type LintCode,
  type LintIssue,
  type LintOptions,
  type LintResult,
  lintDraft,
} from "./lint";
export { isVariableName, parseTemplate, stringifyParts } from "./parse";
export { positionAt } from "./position";
export {
  type Fallback,
  type FallbackContext,
  type InstructionHandling,
  type MissingVariable,
  type RenderedInstruction,
  type RenderOptions,
  type RenderResult,
  renderDraft,
  type TemplateLocation,
} from "./render";
export type {
  DraftField,
  DraftSource,
  InstructionPart,
  SessionDraftFields,
  TemplateDraft,
  TemplatePart,
  TemplatePartBase,
  TextPart,
  TextPosition,
  VariablePart,
} from "./types";
export { listVariables, replaceDashes, toPercentSyntax } from "./variables";
