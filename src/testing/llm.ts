import {
  type Intent,
  keyWords,
  type MessageIntent,
  plain,
  readIntent,
  readMessage,
  saidNothing,
  stripEmDash,
  type Tone,
} from "./llm-intent";
import { renderTemplate } from "./llm-render";
import type { EmulatorMessage } from "./types";

/**
 * A deterministic stand-in for Puffle's framework LLM: same input, same answer. It visibly takes
 * up what was said (read by `llm-intent.ts`): the first turn asks the clarifying questions the
 * brief leaves open; later turns write a skeleton and a draft that use only the allowed
 * variables, speak in the asked tone (greeting, wording, sign-off), honour shorter / longer, ask
 * for the stated goal, quote the proof points and the answers, and never contain an em dash. On
 * an email node, asking for the final text fills every `&&instruction&&` block (a draft that
 * passes `lintDraft`); an ai node keeps its blocks, which Puffle fills per lead at launch. A
 * follow-up (`sequenceContext.position > 0` or `prior_nodes`) refers to the earlier email.
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

/**
 * Where the email sits in the sequence. `prior_nodes` is free-form on the wire; the stand-in
 * reads each entry's `draft_subject` (or `subject`) to name the earlier email, the last one that
 * has a subject winning.
 */
export interface StandInSequenceContext {
  position?: number;
  total_nodes?: number;
  prior_nodes?: Record<string, unknown>[];
}

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
  sequenceContext?: StandInSequenceContext | undefined;
  /** The session's node type (`"email"`, `"ai"`); unknown counts as email. */
  nodeType?: string | undefined;
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

/** The variables and references one draft is written with. */
interface Writing {
  intent: Intent;
  /** `%first_name%` etc. when allowed. */
  first?: string | undefined;
  company?: string | undefined;
  position?: string | undefined;
  topic: string;
  words: string[];
  /** Blocks filled: the final text of an email node. */
  filled: boolean;
  /** The earlier email's subject, for a follow-up; "" when it has none. */
  earlier?: string | undefined;
}

const QUESTIONS = [
  "1) Who exactly reads this email, and what is their role?",
  "2) What single outcome do you want from them?",
  "3) Which proof points (numbers, customers, results) can I use?",
] as const;

function userMessages(history: readonly EmulatorMessage[], message: string): string[] {
  return [...history.filter((m) => m.role === "user").map((m) => m.content), message];
}

function v(name: string, allowed: readonly string[]): string | undefined {
  return allowed.includes(name) ? `%${name}%` : undefined;
}

function quoteList(items: readonly string[]): string {
  return items.map((w) => `"${w}"`).join(", ");
}

/** The brief's key words as a quoted list (or its first 40 characters). */
function quotedBrief(brief: string): string {
  const words = keyWords(brief);
  return words.length > 0 ? quoteList(words) : `"${plain(brief).slice(0, 40)}"`;
}

/** The first turn: thank, note what the brief already says, ask only what it leaves open. */
function questionsTurn(intent: Intent): FrameworkTurnResult | undefined {
  const open = QUESTIONS.filter(
    (_q, i) => [intent.audience, intent.goal, intent.proof[0]][i] === undefined,
  );
  if (open.length === 0) return undefined;
  const noted = [
    intent.audience && `readers: ${intent.audience}`,
    intent.goal && `goal: ${intent.goal}`,
    intent.proof.length > 0 && `proof: ${intent.proof.join("; ")}`,
  ].filter((x): x is string => typeof x === "string");
  const note = noted.length > 0 ? ` I noted ${noted.join(", ")}.` : "";
  const few = open.length === 1 ? "one question" : "a few questions";
  return {
    reply: stripEmDash(
      `Thanks for the brief about ${quotedBrief(intent.brief)}.${note} Before I build a framework, ${few}: ${open.join(" ")}`,
    ),
    skeleton: null,
    draft: null,
  };
}

/** The subject of the last prior node that has one ("" when none has), cleaned for quoting. */
function earlierSubject(
  context: StandInSequenceContext | undefined,
  allowed: readonly string[],
): string | undefined {
  const prior = Array.isArray(context?.prior_nodes) ? context.prior_nodes : [];
  if ((context?.position ?? 0) <= 0 && prior.length === 0) return undefined;
  let subject = "";
  for (const node of prior) {
    const text = node?.draft_subject ?? node?.subject;
    if (typeof text === "string" && text.trim() !== "") subject = text;
  }
  return quoteDraft(subject, allowed);
}

/**
 * Draft text safe to quote in another draft: blocks dropped, allowed `%variables%` kept (others
 * become plain words), the rest {@link plain}; at most about 80 characters, cut between words so
 * a variable is never split.
 */
function quoteDraft(text: string, allowed: readonly string[]): string {
  const vars: string[] = [];
  const held = text
    .replace(/&&[^&]*&&/g, "")
    .replace(/%([A-Za-z0-9_.]+)%/g, (whole, name: string) => {
      if (!allowed.includes(name)) return name;
      vars.push(whole);
      return `\uE000${vars.length - 1}\uE000`;
    });
  const quoted = plain(held).replace(
    /\uE000(\d+)\uE000/g,
    (_m, i: string) => vars[Number(i)] ?? "",
  );
  return quoted.length > 80 ? quoted.slice(0, quoted.lastIndexOf(" ", 80)) : quoted;
}

const GREETING: Record<Tone, [string, string]> = {
  neutral: ["Hi", "Hi there,"],
  casual: ["Hey", "Hey there,"],
  formal: ["Dear", "Hello,"],
};
const SIGN_OFF: Record<Tone, string> = {
  neutral: "Best,",
  casual: "Cheers,",
  formal: "Kind regards,",
};

/** The call to action: asks for the goal in the tone (default: a 15 minute call). */
function callToAction(goal: string | undefined, tone: Tone): string {
  const duration = /\b(\d+)[\s-]*min(?:ute)?s?\s+(call|chat|demo|meeting|intro)\b/i.exec(
    goal ?? "",
  );
  const thing = duration
    ? `a ${duration[1]} minute ${duration[2]?.toLowerCase()}`
    : goal === undefined || /^(?:a|an|the|one|some)\s/i.test(goal)
      ? (goal ?? "a 15 minute call")
      : undefined;
  if (thing !== undefined) {
    if (tone === "casual") return `Up for ${thing} next week?`;
    if (tone === "formal") return `Would you be available for ${thing} next week?`;
    return `Would ${thing} next week make sense?`;
  }
  const ask = (goal ?? "").replace(/^(?:to|please)\s+/i, "");
  const verb = ask.charAt(0).toLowerCase() + ask.slice(1);
  if (tone === "casual") return `Want to ${verb}?`;
  if (tone === "formal") return `Would you be willing to ${verb}?`;
  return `Could we ${verb}?`;
}

function followUpLine(w: Writing): string | undefined {
  if (w.earlier === undefined) return undefined;
  const about = w.earlier !== "" ? ` about "${w.earlier}"` : "";
  if (w.intent.tone === "casual") return `Circling back on my last email${about}.`;
  if (w.intent.tone === "formal") return `I am following up on my previous email${about}.`;
  return `Following up on my earlier email${about}.`;
}

function openerLine(w: Writing): string {
  const who = w.company ?? "your team";
  if (!w.filled)
    return `&&Open with one specific observation about ${w.company ?? "the reader's team"} related to ${w.topic}&&`;
  if (w.intent.tone === "casual")
    return `I've been keeping an eye on how ${who} handles ${w.topic}.`;
  if (w.intent.tone === "formal")
    return `I have followed the work of ${who} on ${w.topic} with interest.`;
  return `I have been following how ${who} approaches ${w.topic}.`;
}

function valueLine(w: Writing): string {
  const like = `like ${w.company ?? "yours"}`;
  const who = w.intent.audience ? `${w.intent.audience} at teams ${like}` : `teams ${like}`;
  const focus = w.words.join(", ") || w.topic;
  if (w.intent.tone === "casual") return `We've been helping ${who} with ${focus}.`;
  if (w.intent.tone === "formal") return `Our firm supports ${who} with ${focus}.`;
  return `We help ${who} with ${focus}.`;
}

function roleLine(w: Writing): string {
  const role = w.position ?? "a leader";
  if (!w.filled) return `&&Connect the value to the reader's day as ${role}&&`;
  if (w.intent.tone === "casual") return `As ${role}, I bet you feel this every week.`;
  if (w.intent.tone === "formal") return `In your role as ${role}, this likely shapes your week.`;
  return `As ${role}, you are probably the one who feels this first.`;
}

function proofLine(proof: readonly string[]): string | undefined {
  if (proof.length === 0) return undefined;
  if (proof.length === 1) return `One result worth sharing: ${proof[0]}.`;
  return `A few results worth sharing: ${proof.join("; ")}.`;
}

/** The body, paragraph by paragraph: shorter drops the value and role lines, longer adds one. */
function body(w: Writing): string {
  const { intent } = w;
  const [hello, anonymous] = GREETING[intent.tone];
  const paragraphs: (string | undefined)[] = [w.first ? `${hello} ${w.first},` : anonymous];
  paragraphs.push(followUpLine(w));
  if (intent.length > -2) paragraphs.push(openerLine(w));
  if (intent.length >= 0) paragraphs.push(valueLine(w), roleLine(w));
  paragraphs.push(proofLine(intent.proof));
  if (intent.length > 0) {
    if (intent.proof.length === 0)
      paragraphs.push("Customers usually see the first results within a few weeks.");
    paragraphs.push("Happy to walk you through how similar teams rolled this out, step by step.");
  }
  paragraphs.push(callToAction(intent.goal, intent.tone));
  const text = paragraphs.filter((p): p is string => p !== undefined).join("\n\n");
  return `${text}\n\n${SIGN_OFF[intent.tone]}`;
}

function subjectLine(w: Writing): string {
  if (w.earlier) return `Re: ${w.earlier}`;
  return w.company ? `${w.topic} at ${w.company}` : `A quick idea about ${w.topic}`;
}

/** The skeleton's block plans: one per `&&…&&` block left in the body. */
function blockPlans(w: Writing, text: string): Record<string, unknown>[] {
  const plans: Record<string, unknown>[] = [];
  if (text.includes("&&Open with"))
    plans.push({
      name: "opener",
      strategy: `A specific observation tied to ${w.topic}`,
      personalization: {
        fields: [w.company, w.position].filter((x): x is string => !!x).map((x) => x.slice(1, -1)),
        approach: "Reference something concrete about the company",
        fallback: "Mention the industry instead",
      },
    });
  if (text.includes("&&Connect the value"))
    plans.push({
      name: "role_fit",
      strategy: "Tie the value to the reader's role",
      personalization: {
        fields: w.position ? ["position"] : [],
        approach: "Speak to the role's daily pain",
        fallback: "Speak to the team in general",
      },
    });
  return plans;
}

/** What this turn changed, in words, so the user sees their message was taken up. */
function changes(said: MessageIntent, intent: Intent, isAi: boolean, answered: boolean): string[] {
  const out: string[] = [];
  if (answered && said.proceed) out.push("I went ahead on stated assumptions");
  if (answered && saidNothing(said) && intent.answerWords.length > 0)
    out.push(`I worked your answer into the draft (${quoteList(intent.answerWords)})`);
  if (said.audience) out.push(`it now speaks to ${said.audience}`);
  if (said.tone)
    out.push(`I made the tone ${said.tone === "neutral" ? "plain" : `more ${said.tone}`}`);
  if (said.length) out.push(`I made it ${said.length < 0 ? "shorter" : "longer"}`);
  if (said.goal) out.push(`the call to action now asks for ${said.goal}`);
  if (said.proof.length > 0)
    out.push(
      `I added the proof point${said.proof.length === 1 ? "" : "s"} ${quoteList(said.proof)}`,
    );
  if (said.final === true && !isAi)
    out.push("I filled in every instruction block, so this is the final text");
  if (said.final === true && isAi)
    out.push(
      "this is an ai node, so the instruction blocks stay: Puffle fills them for each lead at launch (generate examples to preview them)",
    );
  if (said.final === false) out.push("I put the instruction blocks back");
  return out;
}

function replyText(
  w: Writing,
  said: MessageIntent,
  input: FrameworkTurnInput,
  plans: number,
): string {
  const isAi = input.nodeType === "ai";
  const answered = input.history.filter((m) => m.role === "user").length === 1;
  const done = changes(said, w.intent, isAi, answered);
  const opening =
    said.newBrief !== undefined
      ? `Starting over on the new brief about ${quotedBrief(w.intent.brief)}.`
      : !input.skeleton
        ? `${answered ? "Thanks for the answers. " : ""}Here is a framework built around ${quotedBrief(w.intent.brief)}.`
        : done.length === 0
          ? "I kept the draft as it was."
          : "Here is the new version.";
  const what =
    done.length > 0
      ? ` ${done.map((d) => d.charAt(0).toUpperCase() + d.slice(1)).join(". ")}.`
      : "";
  const follow =
    w.earlier !== undefined
      ? ` It follows up on ${w.earlier ? `"${w.earlier}"` : "the earlier email"}.`
      : "";
  const blocks =
    plans === 0 ? "no instruction blocks" : `${plans} personalised block${plans === 1 ? "" : "s"}`;
  const next =
    w.filled || isAi
      ? ' Tell me what to change, for example "shorter".'
      : ' Tell me what to change (for example "more casual", "shorter", "Goal: a 20 minute call"), or ask for the final text and I will fill in the instruction blocks.';
  return stripEmDash(
    `${opening}${what}${follow} Subject: ${subjectLine(w)}. The body has ${blocks}.${next}`,
  );
}

/** Run one deterministic framework turn. */
export function frameworkTurn(input: FrameworkTurnInput): FrameworkTurnResult {
  const messages = userMessages(input.history, input.message);
  const intent = readIntent(messages);
  if (messages.length === 1 && !input.skeleton) {
    const asked = questionsTurn(intent);
    if (asked) return asked;
  }
  const allowed =
    input.availableVarNames && input.availableVarNames.length > 0
      ? input.availableVarNames
      : DEFAULT_VAR_NAMES;
  const briefWords = keyWords(intent.brief);
  const w: Writing = {
    intent,
    first: v("first_name", allowed),
    company: v("company", allowed),
    position: v("position", allowed),
    topic: briefWords.slice(0, 2).join(" ") || "your goals",
    words: [...briefWords, ...intent.answerWords],
    filled: intent.final && input.nodeType !== "ai",
    earlier: earlierSubject(input.sequenceContext, allowed),
  };
  const subject = subjectLine(w);
  const text = body(w);
  const blocks = blockPlans(w, text);
  const lead = input.sampleLeads?.[0] ?? {
    first_name: "Sam",
    company: "Acme",
    position: "VP of Sales",
  };
  const example = renderTemplate(subject, text, lead);
  const skeleton: Record<string, unknown> = {
    subject,
    body: text,
    blocks,
    exampleSubject: example.subject,
    exampleBody: example.body,
  };
  const reply = replyText(w, readMessage(input.message), input, blocks.length);
  return { reply, skeleton, draft: { subject, body: text } };
}
