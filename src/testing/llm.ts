import type { EmulatorExample, EmulatorMessage } from "./types";

/**
 * A deterministic stand-in for Puffle's framework LLM. Same transcript in, same answer out.
 * Turn 1 asks clarifying questions; later turns write a skeleton and a draft that use only the
 * allowed variables (`%name%`), contain `&&instruction&&` blocks, quote key words of the brief,
 * honour "shorter" / "longer" / "mention X", and never contain an em dash.
 *
 * @module
 */

/**
 * Variables used when a turn names none.
 *
 * @example
 * ```ts
 * DEFAULT_VAR_NAMES.includes("company"); // true
 * ```
 */
export const DEFAULT_VAR_NAMES = ["first_name", "last_name", "company", "position"] as const;

/** Input of one framework turn. */
export interface FrameworkTurnInput {
  /** The transcript before this turn. */
  history: readonly EmulatorMessage[];
  /** The user's new message. */
  message: string;
  /** The session's current skeleton. */
  skeleton: Record<string, unknown> | null;
  availableVarNames?: readonly string[] | undefined;
  sampleLeads?: readonly Record<string, unknown>[] | undefined;
  sequenceContext?: { position?: number; total_nodes?: number } | undefined;
}

/** What one framework turn produced. */
export interface FrameworkTurnResult {
  /** The assistant's reply (no em dash). */
  reply: string;
  /** The new skeleton, or null when the turn produced none. */
  skeleton: Record<string, unknown> | null;
  /** The new draft, or null when the turn produced none. */
  draft: { subject: string; body: string } | null;
}

/** Replace em and en dashes (and the spaces around them) by a comma, as the quality gate wants. */
export function stripEmDash(text: string): string {
  return text.replace(/\s*[\u2014\u2013]\s*/g, ", ");
}

const STOP = new Set(
  "about above after again against also because been before being below between both cannot could does doing down during each email emails from further have having here into more most much need other ought over please same should some such than that their them then there these they this those through under until very want were what when where which while will with would write your yours make intro like just shorter longer mention".split(
    " ",
  ),
);

/** Up to `max` distinctive words of `text`, in order of appearance. */
export function keyWords(text: string, max = 4): string[] {
  const words = stripEmDash(text).match(/[A-Za-z0-9][A-Za-z0-9'-]*/g) ?? [];
  const out: string[] = [];
  for (const w of words) {
    if (w.length < 4 || STOP.has(w.toLowerCase())) continue;
    if (!out.some((o) => o.toLowerCase() === w.toLowerCase())) out.push(w);
    if (out.length >= max) break;
  }
  return out;
}

function userMessages(history: readonly EmulatorMessage[], message: string): string[] {
  return [...history.filter((m) => m.role === "user").map((m) => m.content), message];
}

function mentions(messages: readonly string[]): string[] {
  const out: string[] = [];
  for (const m of messages) {
    for (const match of stripEmDash(m).matchAll(/\bmention\s+([^.,;!?\n]+)/gi)) {
      const phrase = match[1]?.trim();
      if (phrase && !out.includes(phrase)) out.push(phrase);
    }
  }
  return out;
}

function lengthLevel(messages: readonly string[]): number {
  let level = 0;
  for (const m of messages) {
    if (/\bshort(er)?\b|\bconcise\b|\bbrief(er)?\b/i.test(m)) level -= 1;
    if (/\blong(er)?\b|\bmore detail\b/i.test(m)) level += 1;
  }
  return level;
}

function v(name: string, allowed: readonly string[]): string | undefined {
  return allowed.includes(name) ? `%${name}%` : undefined;
}

/** Run one deterministic framework turn. */
export function frameworkTurn(input: FrameworkTurnInput): FrameworkTurnResult {
  const messages = userMessages(input.history, input.message);
  const brief = messages[0] ?? input.message;
  const words = keyWords(brief);
  const quoted =
    words.length > 0
      ? words.map((w) => `"${w}"`).join(", ")
      : `"${stripEmDash(brief).slice(0, 40)}"`;

  if (messages.length === 1 && !input.skeleton) {
    return {
      reply: `Thanks for the brief about ${quoted}. Before I build a framework, a few questions: 1) Who exactly reads this email, and what is their role? 2) What single outcome do you want from them? 3) Which proof points (numbers, customers, results) can I use?`,
      skeleton: null,
      draft: null,
    };
  }

  const allowed =
    input.availableVarNames && input.availableVarNames.length > 0
      ? input.availableVarNames
      : DEFAULT_VAR_NAMES;
  const first = v("first_name", allowed);
  const company = v("company", allowed);
  const position = v("position", allowed);
  const topic = words.slice(0, 2).join(" ") || "your goals";
  const level = lengthLevel(messages);
  const extra = mentions(messages).map(stripEmDash);
  const followUp = (input.sequenceContext?.position ?? 0) > 0;

  const subject = company ? `${topic} at ${company}` : `A quick idea about ${topic}`;
  const greeting = first ? `Hi ${first},` : "Hi there,";
  const openerFields = [company, position]
    .filter((x): x is string => !!x)
    .map((x) => x.slice(1, -1));
  const opener = `&&Open with one specific observation about ${company ?? "the reader's team"} related to ${topic}&&`;
  const valueLine = `We help teams like ${company ?? "yours"} with ${words.join(", ") || topic}${extra.length > 0 ? `, including ${extra.join(" and ")}` : ""}.`;
  const roleBlock = `&&Connect the value to the reader's day as ${position ?? "a leader"}&&`;
  const proof = "Customers usually see the first results within a few weeks.";
  const cta = "Would a 15 minute call next week make sense?";

  const lines = [greeting, ""];
  if (followUp) lines.push("Following up on my earlier note.", "");
  lines.push(opener, "");
  if (level < 0) {
    lines.push(cta);
  } else {
    lines.push(valueLine, "", roleBlock, "");
    if (level > 0) lines.push(proof, "");
    lines.push(cta);
  }
  lines.push("", "Best,");
  const body = lines.join("\n");

  const blocks: Record<string, unknown>[] = [
    {
      name: "opener",
      strategy: `A specific observation tied to ${topic}`,
      personalization: {
        fields: openerFields,
        approach: "Reference something concrete about the company",
        fallback: "Mention the industry instead",
      },
    },
  ];
  if (level >= 0) {
    blocks.push({
      name: "role_fit",
      strategy: "Tie the value to the reader's role",
      personalization: {
        fields: position ? ["position"] : [],
        approach: "Speak to the role's daily pain",
        fallback: "Speak to the team in general",
      },
    });
  }
  const lead = input.sampleLeads?.[0] ?? {
    first_name: "Sam",
    company: "Acme",
    position: "VP of Sales",
  };
  const example = renderTemplate(subject, body, lead);
  const skeleton: Record<string, unknown> = {
    subject,
    body,
    blocks,
    exampleSubject: example.subject,
    exampleBody: example.body,
  };
  const shape = level < 0 ? "a shorter version" : level > 0 ? "a longer version" : "a framework";
  const reply = stripEmDash(
    `Here is ${shape} built around ${quoted}${extra.length > 0 ? `, mentioning ${extra.map((e) => `"${e}"`).join(", ")}` : ""}. Subject: ${subject}. The body has ${blocks.length} personalised block${blocks.length === 1 ? "" : "s"}. Tell me what to change, for example "shorter".`,
  );
  return { reply, skeleton, draft: { subject, body } };
}

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
