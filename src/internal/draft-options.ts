/**
 * The specs of the campaign driver's arguments and options (`advanceSession`'s plan and options,
 * `draftCampaign`'s options), in check-options.ts's shape: unknown keys refused with the nearest
 * name, every problem listed in one {@link RequestValidationError}, before anything is sent.
 *
 * @internal
 * @module
 */

import type { AdvancePlan, AdvanceSessionOptions, DraftCampaignOptions } from "../core/draft-types";
import { RequestValidationError, type ValidationIssue } from "../core/errors";
import { type Check, checkOptions, defineSpec, REQUEST_OPTIONS } from "./check-options";
import { describe, is, isPlainObject } from "./option-values";

/** A whole number from `min` to `max`. */
const wholeNumber =
  (min: number, max: number): Check =>
  (value) =>
    typeof value === "number" && Number.isInteger(value) && value >= min && value <= max
      ? undefined
      : `must be a whole number from ${min} to ${max} (got ${describe(value)})`;

/** A non-empty string (not only whitespace). */
const text: Check = (value) =>
  typeof value === "string" && value.trim() !== ""
    ? undefined
    : `must be a non-empty string (got ${describe(value)})`;

/** An array of non-empty strings. */
const texts: Check = (value, path, issues) => {
  if (!Array.isArray(value)) return `must be an array of strings (got ${describe(value)})`;
  value.forEach((item, i) => {
    const problem = text(item, [...path, i], issues);
    if (problem) issues.push({ path: [...path, i], message: problem });
  });
  return undefined;
};

/** An array of plain objects (leads). */
const objects: Check = (value) =>
  Array.isArray(value) && value.every(isPlainObject)
    ? undefined
    : `must be an array of objects (got ${describe(value)})`;

const plainObject: Check = (value) =>
  isPlainObject(value) ? undefined : `must be an object (got ${describe(value)})`;

/** `store`: an object with `get` and `set` functions. */
const store: Check = (value) => {
  const v = value as { get?: unknown; set?: unknown } | null;
  return typeof v === "object" &&
    v !== null &&
    typeof v.get === "function" &&
    typeof v.set === "function"
    ? undefined
    : `must be a store: an object with get(key) and set(key, value) functions (got ${describe(value)})`;
};

/** `advanceSession`'s plan. */
export const ADVANCE_PLAN = defineSpec<AdvancePlan>()({
  nodeType: is.oneOf("email", "ai"),
  messages: texts,
  maxTurns: wholeNumber(1, 100),
  availableVarNames: is.strings,
  sampleLeads: objects,
  sequenceContext: plainObject,
  examples: objects,
});

/** Options of `advanceSession`. */
export const ADVANCE_SESSION_OPTIONS = defineSpec<AdvanceSessionOptions>()(
  {
    ...REQUEST_OPTIONS.keys,
    store,
    wait: is.oneOf("return", "block"),
    quietPeriod: is.duration,
    onUnknown: is.oneOf("needs_attention", "resend"),
    acquire: is.function,
    stillOwner: is.function,
    compose: is.function,
  },
  ["deadlineAt"],
);

/** Options of `draftCampaign`. */
export const DRAFT_CAMPAIGN_OPTIONS = defineSpec<DraftCampaignOptions>()({
  ...REQUEST_OPTIONS.keys,
  brief: text,
  answers: (value, path, issues) =>
    typeof value === "function" ? undefined : texts(value, path, issues),
  nodes: is.strings,
  maxTurnsPerNode: wholeNumber(1, 50),
  maxTurns: wholeNumber(1, 10_000),
  concurrency: wholeNumber(1, 50),
  requestsPerMinute: wholeNumber(1, 100_000),
  availableVarNames: is.strings,
  sampleLeads: objects,
  examples: objects,
  finish: is.boolean,
  store,
  quietPeriod: is.duration,
  onUnknown: is.oneOf("needs_attention", "resend"),
  onProgress: is.function,
});

/** Check `advanceSession`'s plan: its keys and values, `nodeType` and `messages` required. */
export function checkPlan(plan: unknown): AdvancePlan {
  const issues: ValidationIssue[] = [];
  if (isPlainObject(plan)) {
    for (const key of ["nodeType", "messages"] as const) {
      if (plan[key] === undefined) issues.push({ path: ["plan", key], message: "is required" });
    }
  }
  if (issues.length) throw new RequestValidationError("advanceSession", issues);
  if (plan === undefined) {
    throw new RequestValidationError("advanceSession", [
      { path: ["plan"], message: "is required" },
    ]);
  }
  checkOptions("advanceSession", "plan", plan, ADVANCE_PLAN);
  return plan as AdvancePlan;
}

/** Check `draftCampaign`'s options: its keys and values, `brief` required. */
export function checkDraftOptions(options: unknown): DraftCampaignOptions {
  if (!isPlainObject(options) || options.brief === undefined) {
    throw new RequestValidationError("draftCampaign", [
      {
        path: ["options", "brief"],
        message: "is required: say what the campaign is for (it is the first turn of every node)",
      },
    ]);
  }
  checkOptions("draftCampaign", "options", options, DRAFT_CAMPAIGN_OPTIONS);
  return options as unknown as DraftCampaignOptions;
}
