import { stripEmDash } from "./llm-intent";
import type { EmulatorExample } from "./types";

/**
 * The stand-in's per-lead rendering: fill `%var%` / `{{var}}` from a lead and write each
 * `&&instruction&&` block as a sentence (what Puffle's per-lead generation does), and the split
 * of a reply into streamed deltas.
 *
 * @module
 */

function field(lead: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const direct = lead[name];
  if (typeof direct === "string" && direct !== "") return direct;
  const custom = lead.custom_fields;
  if (custom && typeof custom === "object") {
    const value = (custom as Record<string, unknown>)[name];
    if (typeof value === "string" || typeof value === "number") return String(value);
  }
  return undefined;
}

const FALLBACK: Record<string, string> = {
  first_name: "there",
  company: "your team",
  position: "a leader",
};

/** Fill `%var%` / `{{var}}` from `lead` and replace each `&&instruction&&` with a sentence. */
export function renderTemplate(
  subject: string,
  body: string,
  lead: Readonly<Record<string, unknown>>,
): { subject: string; body: string } {
  const fill = (text: string) =>
    text.replace(
      /%([A-Za-z0-9_]+)%|\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g,
      (_m, a: string | undefined, b: string | undefined) => {
        const name = a ?? b ?? "";
        return field(lead, name) ?? FALLBACK[name] ?? "";
      },
    );
  let index = 0;
  const company = field(lead, "company") ?? "your team";
  const role = field(lead, "position");
  const withBlocks = body.replace(/&&([^&]*)&&/g, () => {
    index += 1;
    return index === 1
      ? `I noticed what ${company} has been building lately and it stood out.`
      : `As ${role ?? "a leader"}, you probably feel this every week.`;
  });
  return { subject: stripEmDash(fill(subject)), body: stripEmDash(fill(withBlocks)) };
}

/** One example email for `lead` from the session's draft (or skeleton). */
export function renderExample(
  template: { subject: string; body: string },
  lead: Readonly<Record<string, unknown>>,
): EmulatorExample {
  const id = lead.id ?? lead.lead_id;
  const rendered = renderTemplate(template.subject, template.body, lead);
  return { lead_id: typeof id === "string" ? id : null, ...rendered };
}

/** Split `text` into `parts` roughly equal pieces on word boundaries (concatenation = text). */
export function splitDeltas(text: string, parts = 4): string[] {
  const words = text.split(/(?<=\s)/);
  const size = Math.max(1, Math.ceil(words.length / parts));
  const out: string[] = [];
  for (let i = 0; i < words.length; i += size) out.push(words.slice(i, i + size).join(""));
  return out;
}
