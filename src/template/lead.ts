/**
 * The named fields of a lead a draft can use: the shape Puffle accepts for `/turn` and
 * `/generate-examples` (snake_case strings), plus `email` from the generate-content lead, plus
 * `custom_fields`. Every key is optional and `null` is accepted. It has no index signature, so the
 * SDK's `Lead` and `ContentLead` interfaces fit it as they are (this module imports nothing).
 */
export interface LeadFields {
  first_name?: string | null | undefined;
  last_name?: string | null | undefined;
  full_name?: string | null | undefined;
  company?: string | null | undefined;
  position?: string | null | undefined;
  headline?: string | null | undefined;
  linkedin_url?: string | null | undefined;
  email?: string | null | undefined;
  custom_fields?: Record<string, unknown> | null | undefined;
}

/**
 * The lead a draft is rendered for: {@link LeadFields} plus any other key (reachable by its exact
 * name).
 */
export interface TemplateLead extends LeadFields {
  [key: string]: unknown;
}

/**
 * A lead the template functions accept: the SDK's `Lead` and `ContentLead` (they fit
 * {@link LeadFields}), or any {@link TemplateLead} record.
 *
 * @example
 * ```ts
 * import { renderDraft, type LeadSource } from "puffle-chat/template";
 * const lead: LeadSource = { first_name: "Ada", company: "Acme" };
 * renderDraft({ subject: "Hi %first_name%" }, lead).subject; // "Hi Ada"
 * ```
 */
export type LeadSource = TemplateLead | LeadFields;

/**
 * The standard lead fields a variable can name (the API's `Lead` object), in snake_case.
 *
 * @example
 * ```ts
 * import { LEAD_FIELDS } from "puffle-chat/template";
 * LEAD_FIELDS.includes("first_name"); // true
 * ```
 */
export const LEAD_FIELDS = [
  "first_name",
  "last_name",
  "full_name",
  "company",
  "position",
  "headline",
  "linkedin_url",
  "email",
] as const;

/**
 * Synonyms of standard fields, keyed by their canonical form (see {@link canonicalVariableName}).
 */
const SYNONYMS: Readonly<Record<string, (typeof LEAD_FIELDS)[number]>> = {
  firstname: "first_name",
  first: "first_name",
  lastname: "last_name",
  last: "last_name",
  fullname: "full_name",
  name: "full_name",
  company_name: "company",
  companyname: "company",
  title: "position",
  job_title: "position",
  jobtitle: "position",
  linked_in_url: "linkedin_url",
  linkedinurl: "linkedin_url",
  linkedin: "linkedin_url",
  email_address: "email",
};

/**
 * The canonical form of a variable name: camelCase split into snake_case, then lower-cased
 * (`firstName`, `FirstName`, `FIRST_NAME` → `first_name`; `linkedinURL` → `linkedin_url`).
 * Used to match names loosely; never throws.
 *
 * @example
 * ```ts
 * import { canonicalVariableName } from "puffle-chat/template";
 * canonicalVariableName("firstName"); // "first_name"
 * ```
 */
export function canonicalVariableName(name: string): string {
  if (typeof name !== "string") return "";
  return name
    .replace(/(\p{Ll}|\p{Nd})(\p{Lu})/gu, "$1_$2")
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, "$1_$2")
    .toLowerCase();
}

/**
 * The standard lead field a variable name refers to, if any: exact snake_case names, their camelCase
 * or other-case spellings, and a few synonyms (`name` → `full_name`, `title` / `job_title` →
 * `position`, `company_name` → `company`, `linkedin` → `linkedin_url`, `firstname` → `first_name`).
 *
 * @example
 * ```ts
 * import { standardLeadField } from "puffle-chat/template";
 * standardLeadField("firstName"); // "first_name"
 * standardLeadField("industry"); // undefined
 * ```
 */
export function standardLeadField(name: string): (typeof LEAD_FIELDS)[number] | undefined {
  const canonical = canonicalVariableName(name);
  const direct = LEAD_FIELDS.find((f) => f === canonical);
  return direct ?? (Object.hasOwn(SYNONYMS, canonical) ? SYNONYMS[canonical] : undefined);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A value usable in an email: non-blank string, finite number, boolean or bigint. */
function asText(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim() === "" ? undefined : value;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  return undefined;
}

/** `record[path]` as a key, else walked segment by segment through nested plain objects. */
function lookupPath(record: Record<string, unknown>, path: string): string | undefined {
  const direct = asText(own(record, path));
  if (direct !== undefined || !path.includes(".")) return direct;
  let current: unknown = record;
  for (const segment of path.split(".")) {
    if (!isRecord(current)) return undefined;
    current = own(current, segment);
  }
  return asText(current);
}

/** A key of `record` whose canonical form equals that of `name`. */
function lookupLoose(record: Record<string, unknown>, name: string): string | undefined {
  const wanted = canonicalVariableName(name);
  for (const key of Object.keys(record)) {
    if (canonicalVariableName(key) === wanted) {
      const value = asText(record[key]);
      if (value !== undefined) return value;
    }
  }
  return undefined;
}

function standardValue(lead: Record<string, unknown>, field: (typeof LEAD_FIELDS)[number]) {
  const value = asText(own(lead, field));
  if (value !== undefined || field !== "full_name") return value;
  const first = asText(own(lead, "first_name"))?.trim();
  const last = asText(own(lead, "last_name"))?.trim();
  const joined = [first, last].filter((s) => s !== undefined && s !== "").join(" ");
  return joined === "" ? undefined : joined;
}

const CUSTOM_PREFIX = "custom_fields.";

/**
 * The value a variable takes for a lead, or `undefined` when the lead has none. Lookup order:
 * 1. `custom_fields.<key>` reads only `custom_fields` (exact key, then a nested path, then a
 *    case/camelCase-insensitive key);
 * 2. otherwise an exact own key of the lead (a standard field or any other key; dotted names also
 *    walk nested objects);
 * 3. the standard field the name stands for (see {@link standardLeadField}); `full_name` is derived
 *    from `first_name` and `last_name` when absent;
 * 4. `custom_fields` by exact key or path, then case/camelCase-insensitive key.
 *
 * Only non-blank strings, finite numbers, booleans and bigints count as values (numbers are written
 * with `String()`); `null`, blank strings, objects and arrays count as missing. Only own properties
 * are read, so `%constructor%` or `%__proto__%` never reach the prototype. Never throws for plain
 * data (a throwing getter on the lead propagates).
 *
 * @example
 * ```ts
 * import { resolveLeadVariable } from "puffle-chat/template";
 * const lead = { first_name: "Ada", last_name: "Lovelace", custom_fields: { industry: "Fintech" } };
 * resolveLeadVariable(lead, "firstName"); // "Ada"
 * resolveLeadVariable(lead, "full_name"); // "Ada Lovelace"
 * resolveLeadVariable(lead, "custom_fields.industry"); // "Fintech"
 * resolveLeadVariable(lead, "industry"); // "Fintech"
 * ```
 */
export function resolveLeadVariable(
  lead: LeadSource | null | undefined,
  name: string,
): string | undefined {
  if (!isRecord(lead) || typeof name !== "string" || name === "") return undefined;
  const custom = own(lead, "custom_fields");
  const customRecord = isRecord(custom) ? custom : undefined;

  if (name.startsWith(CUSTOM_PREFIX)) {
    const key = name.slice(CUSTOM_PREFIX.length);
    if (customRecord === undefined || key === "") return undefined;
    return lookupPath(customRecord, key) ?? lookupLoose(customRecord, key);
  }
  const exact = lookupPath(lead, name);
  if (exact !== undefined) return exact;
  const field = standardLeadField(name);
  if (field !== undefined) {
    const value = standardValue(lead, field);
    if (value !== undefined) return value;
  }
  if (customRecord === undefined) return undefined;
  return lookupPath(customRecord, name) ?? lookupLoose(customRecord, name);
}
