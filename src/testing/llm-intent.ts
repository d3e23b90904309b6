/**
 * What the stand-in LLM hears: a pure reading of the user's messages into an {@link Intent}
 * (brief, tone, length, goal, audience, proof points, whether the final text was asked for).
 * Plain regular expressions, no randomness: the same messages always read the same way.
 *
 * @module
 */

/** The register the draft is written in. */
export type Tone = "neutral" | "casual" | "formal";

/** What one user message asks for; absent fields: the message did not say. */
export interface MessageIntent {
  /** A new brief that replaces everything said before ("New brief: …", "Start over: …"). */
  newBrief?: string;
  tone?: Tone;
  /** -1 shorter, +1 longer. */
  length?: -1 | 1;
  audience?: string | undefined;
  goal?: string | undefined;
  /** Proof points to quote ("Proof: …", "mention …", a clause with a figure). */
  proof: string[];
  /** true: fill the instruction blocks / give the final text; false: put the blocks back. */
  final?: boolean;
  /** "Proceed on stated assumptions" (draftCampaign's default answer): go ahead, add nothing. */
  proceed?: boolean;
}

/** Everything said so far, folded in order (a later message wins). */
export interface Intent {
  /** The brief in force: the first message, or the text of the last new brief. */
  brief: string;
  tone: Tone;
  /** Sum of the shorter (-1) / longer (+1) requests, clamped to -2..2. */
  length: number;
  audience?: string | undefined;
  goal?: string | undefined;
  /** At most three, oldest first. */
  proof: string[];
  final: boolean;
  /** Key words of an answer that named no audience, goal or proof: worked into the value line. */
  answerWords: string[];
}

/** Replace em and en dashes (and the spaces around them) by a comma, as the quality gate wants. */
export function stripEmDash(text: string): string {
  return text.replace(/\s*[\u2014\u2013]\s*/g, ", ");
}

/**
 * User text made safe to quote in a draft: no dashes the quality gate refuses, no `&&` / `{{`
 * markers, and no `%` that could open a variable (`30%ARR` would lint as an unbalanced marker).
 */
export function plain(text: string): string {
  return stripEmDash(text)
    .replace(/&&|\{\{|\}\}/g, "")
    .replace(/%(?=[\p{L}_])/gu, "% ")
    .replace(/\s+/g, " ")
    .trim();
}

const STOP = new Set(
  "about above after again against also because been before being below between both cannot could does doing down during each email emails from further have having here into more most much need other ought over please same should some such than that their them then there these they this those through under until very want were what when where which while will with would write your yours make intro like just shorter longer mention brief goal proof audience readers emphasize highlight focus".split(
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

const CASUAL = /^(casual|informal|relaxed|friendly|friendlier|warmer|conversational|laid-back)$/i;
const TONE_WORDS =
  /\b(less|more|a bit more|a little more)?\s*(casual|informal|relaxed|friendly|friendlier|warmer|conversational|laid-back|formal|professional|polished)\b/gi;
const SHORTER =
  /\b(shorter|more concise|concise|briefer|tighter|trim it|cut it down|less wordy)\b/i;
const LONGER = /\b(longer|more detail(?:ed)?|expand it|flesh it out)\b/i;
const FINAL =
  /\bfill (?:in |out )?(?:the |all |every |those |these )?(?:instruction )?blocks?\b|\bfill (?:them|it) in\b|\bfinal (?:text|version|copy|draft|email)\b|\bready to send\b|\b(?:no|without) (?:more |the |any )?(?:instruction )?blocks\b|\bwithout &&/i;
const UNFINAL =
  /\b(?:put|bring) (?:the )?(?:instruction )?blocks back\b|\bpersonali[sz]e it again\b/i;
const PROCEED = /\b(?:proceed|go ahead|stated assumptions|your call|up to you)\b/i;
const NEW_BRIEF = /\b(?:(?:a|the) new brief|new brief|start over|scratch that)\b\s*[:,-]?\s*/i;

/** The tone a message asks for: the last tone word wins; "less casual" means formal. */
function toneOf(text: string): Tone | undefined {
  let tone: Tone | undefined;
  for (const match of text.matchAll(TONE_WORDS)) {
    const casual = CASUAL.test(match[2] ?? "");
    const less = (match[1] ?? "").toLowerCase() === "less";
    tone = casual !== less ? "casual" : "formal";
  }
  return tone;
}

/** Sentences (split on . ! ? and new lines, not on the dot of "2.5x"), then `;` clauses. */
function sentences(text: string): string[] {
  return stripEmDash(text)
    .split(/[!?\n]+|\.(?=\s|$)/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** A quoted phrase: plain, without a leading "to" / "is" or trailing punctuation. */
function clean(text: string | undefined): string | undefined {
  const out = plain(text ?? "")
    .replace(/^(?:to|is|are|:)\s+/i, "")
    .replace(/[\s,;:]+$/, "");
  return out === "" ? undefined : out;
}

/** A goal, to follow "asks for": first letter lower-cased when the first word is plain
 * ("Book a demo" → "book a demo"; "SOC 2", "RevOps" stay). */
function cleanGoal(text: string | undefined): string | undefined {
  const out = clean(text);
  return out && /^\p{Lu}\p{Ll}*(?=\s|$)/u.test(out)
    ? out.charAt(0).toLowerCase() + out.slice(1)
    : out;
}

const LABEL =
  /^(goal|outcome|objective|cta|call to action|audience|readers?|persona|target|proof(?: points?)?|results?|evidence)\s*[:=]\s*(.+)$/i;
const GOAL_PHRASE =
  /\b(?:they should|we want them to|i want them to|want them to|get them to|ask (?:them )?for|aim for|the ask is)\s+(.+)$/i;
const MEETING = /\b(?:\d+[\s-]*min(?:ute)?s?|call|demo|meeting|chat)\b/i;
const BOOKING = /^(?:please\s+)?(?:book|schedule|set up|get|grab|hop on)\b/i;
const AUDIENCE_PHRASE = /^(?:the )?(?:readers?|audience)\s+(?:are|is)\s+([^,]+)/i;
const MENTION = /\bmention\s+([^.,;!?\n]+)/gi;
const FIGURE = /\d+(?:\.\d+)?\s*(?:%|x\b|percent\b)|\b(?:customers?|clients?)\b.*\d/i;
const CONTROL = new RegExp(
  `${SHORTER.source}|${LONGER.source}|${FINAL.source}|${TONE_WORDS.source}`,
  "i",
);

/** Read one labelled or plain clause into `out`. */
function readClause(clause: string, out: MessageIntent): void {
  const label = LABEL.exec(clause);
  if (label) {
    const kind = (label[1] ?? "").toLowerCase();
    const value = label[2] ?? "";
    if (/^(goal|outcome|objective|cta|call to action)$/.test(kind)) out.goal = cleanGoal(value);
    else if (/^(audience|readers?|persona|target)$/.test(kind)) out.audience = clean(value);
    else for (const p of value.split(";")) pushProof(out, p);
    return;
  }
  for (const match of clause.matchAll(MENTION)) pushProof(out, match[1]);
  const withoutMentions = clause.replace(MENTION, "").trim();
  const goal = GOAL_PHRASE.exec(withoutMentions)?.[1];
  const audience = AUDIENCE_PHRASE.exec(withoutMentions)?.[1];
  if (goal) out.goal = cleanGoal(goal);
  else if (BOOKING.test(withoutMentions) && MEETING.test(withoutMentions))
    out.goal = cleanGoal(withoutMentions.replace(/^please\s+/i, ""));
  else if (audience) out.audience = clean(audience);
  else if (FIGURE.test(withoutMentions) && !CONTROL.test(withoutMentions))
    pushProof(out, withoutMentions);
}

function pushProof(out: MessageIntent, text: string | undefined): void {
  const point = clean(text);
  if (point && !out.proof.includes(point)) out.proof.push(point);
}

/** Numbered answers to the three questions ("1) … 2) … 3) …"): audience, goal, proof. */
function readNumbered(text: string, out: MessageIntent): boolean {
  const parts = stripEmDash(text).split(/(?:^|\s)(?=[1-3]\)\s)/);
  const numbered = parts.filter((p) => /^[1-3]\)\s/.test(p));
  if (numbered.length === 0) return false;
  for (const part of numbered) {
    const value = part.slice(2).trim();
    if (part.startsWith("1")) out.audience = clean(value.replace(/[.;]\s*$/, ""));
    else if (part.startsWith("2")) out.goal = cleanGoal(value.replace(/[.;]\s*$/, ""));
    else for (const p of value.split(/;|\.(?=\s|$)/)) pushProof(out, p);
  }
  return true;
}

/** What one user message asks for. */
export function readMessage(text: string): MessageIntent {
  const out: MessageIntent = { proof: [] };
  let rest = text;
  const restart = NEW_BRIEF.exec(text);
  if (restart) {
    rest = text.slice(restart.index + restart[0].length);
    out.newBrief = plain(rest) || plain(text);
  }
  const tone = toneOf(rest);
  if (tone) out.tone = tone;
  if (SHORTER.test(rest)) out.length = -1;
  else if (LONGER.test(rest)) out.length = 1;
  if (PROCEED.test(rest)) out.proceed = true;
  if (FINAL.test(rest)) out.final = true;
  else if (UNFINAL.test(rest)) out.final = false;
  if (!readNumbered(rest, out)) {
    for (const sentence of sentences(rest)) {
      if (LABEL.test(sentence)) readClause(sentence, out);
      else for (const clause of sentence.split(";")) readClause(clause.trim(), out);
    }
  }
  return out;
}

/** True when `said` named none of audience, goal, proof, and asked for no change. */
export function saidNothing(said: MessageIntent): boolean {
  return (
    said.newBrief === undefined &&
    said.tone === undefined &&
    said.length === undefined &&
    said.final === undefined &&
    said.audience === undefined &&
    said.goal === undefined &&
    said.proof.length === 0
  );
}

/**
 * Fold every user message, oldest first, into what is in force now. The second message of a
 * brief is its answer to the clarifying questions: when it names nothing the reader above can
 * see, its key words still reach the draft, so an answer is never silently dropped.
 */
export function readIntent(messages: readonly string[]): Intent {
  let intent: Intent = fresh(messages[0] ?? "");
  let sinceBrief = 0;
  for (const [index, text] of messages.entries()) {
    const said = readMessage(text);
    if (said.newBrief !== undefined && index > 0) {
      intent = fresh(said.newBrief);
      sinceBrief = 0;
    }
    if (said.tone) intent.tone = said.tone;
    if (said.length) intent.length = Math.max(-2, Math.min(2, intent.length + said.length));
    if (said.final !== undefined) intent.final = said.final;
    if (said.audience) intent.audience = said.audience;
    if (said.goal) intent.goal = said.goal;
    intent.proof = [...intent.proof, ...said.proof.filter((p) => !intent.proof.includes(p))].slice(
      -3,
    );
    if (sinceBrief === 1 && saidNothing(said) && !said.proceed)
      intent.answerWords = keyWords(text, 3);
    sinceBrief += 1;
  }
  return intent;
}

function fresh(brief: string): Intent {
  return { brief, tone: "neutral", length: 0, proof: [], final: false, answerWords: [] };
}
