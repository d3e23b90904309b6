export {
  canonicalVariableName,
  LEAD_FIELDS,
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
