/**
 * Lead-name helpers: the name an example is for, and the normalisation `resolve` matches names
 * with ("normalizes first_name + last_name and matches against leads"; the exact rule is
 * undocumented, so the emulator's is: Unicode NFKD, accents dropped, lower case, whitespace
 * collapsed).
 *
 * @module
 */

/** `first last` normalised: NFKD, combining marks dropped, lower-cased, single spaces, trimmed. */
export function normaliseName(name: string): string {
  return name.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** The full name of a lead-like object: `first_name last_name`, else `full_name` / `name` / `lead_name`. */
export function leadName(lead: Readonly<Record<string, unknown>>): string | undefined {
  const first = str(lead.first_name);
  const last = str(lead.last_name);
  if (first || last) return [first, last].filter(Boolean).join(" ");
  return str(lead.full_name) ?? str(lead.name) ?? str(lead.lead_name);
}
