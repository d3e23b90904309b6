/**
 * What `draftCampaign` plans for each node: its messages (the brief first, then the answers, then
 * requests for the final text), its sequence context from the drafts before it, and which session
 * is the node's (the oldest). Pure functions: the same campaign and options give the same plan, so a
 * resumed run matches what a crashed one sent.
 *
 * @module
 */
import type { SequenceNode } from "../core/campaign-types";
import type { AdvancePlan, DraftCampaignOptions } from "../core/draft-types";
import type { SequenceContext, Session } from "../core/types";

/** The default answer to an ai node's clarifying questions. */
export const PROCEED_MESSAGE =
  "Please go ahead on reasonable assumptions, state them in one line, and write the draft now.";
/** The default answer to an email node's clarifying questions: proceed, and the final text. */
export const PROCEED_FINAL_MESSAGE =
  "Please go ahead on reasonable assumptions, state them in one line, and give me the final text, ready to send.";
/** Asked of an email node until its draft has no `&&instruction&&` block left. */
export const FINAL_TEXT_MESSAGE =
  "Please give me the final text of this email: fill in every instruction block with real sentences, so it can be sent exactly as written.";
/** Asked of an ai node when the answers run out before its draft exists. */
export const CONTINUE_MESSAGE = "Please write the framework and the draft now.";

/** A content node of the campaign, with its place in the sequence. */
export interface ContentNode {
  node: SequenceNode;
  type: "email" | "ai";
  /** 0-based position among the campaign's sequence nodes. */
  position: number;
  /** How many nodes the sequence has. */
  total: number;
}

/** The campaign's email and ai nodes, in sequence order. */
export function contentNodes(nodes: readonly SequenceNode[]): ContentNode[] {
  const ordered = [...nodes].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  return ordered.flatMap((node, position) =>
    node.type === "email" || node.type === "ai"
      ? [{ node, type: node.type, position, total: ordered.length }]
      : [],
  );
}

/** The node's session: the oldest by `created_at`, ties by id, so racing creators converge. */
export function canonicalSession(
  sessions: readonly Session[],
  nodeId: string,
): Session | undefined {
  const mine = sessions.filter((s) => s.node_id.toLowerCase() === nodeId.toLowerCase());
  mine.sort((a, b) =>
    a.created_at === b.created_at ? (a.id < b.id ? -1 : 1) : a.created_at < b.created_at ? -1 : 1,
  );
  return mine[0];
}

/** The first turn of a node: the brief, with where the email sits and what its text must be. */
export function firstMessage(brief: string, node: ContentNode): string {
  const where = `This is email ${node.position + 1} of ${node.total} in the sequence`;
  const kind =
    node.type === "ai"
      ? "an AI node: its personalised blocks are written per lead at launch"
      : "it goes out exactly as written";
  return `${brief.trim()}\n\n(${where}; ${kind}.)`;
}

/**
 * The node's planned messages: the first turn, the answers (default: one asking to proceed on
 * stated assumptions, and for an email node the final text), then, up to `maxTurns`, requests for the final text (email) or the draft (ai).
 * With `answers` a function, only the first: the rest are composed.
 */
export function nodeMessages(
  node: ContentNode,
  options: DraftCampaignOptions,
  maxTurns: number,
): string[] {
  const first = firstMessage(options.brief, node);
  if (typeof options.answers === "function") return [first];
  const proceed = node.type === "email" ? PROCEED_FINAL_MESSAGE : PROCEED_MESSAGE;
  const messages = [first, ...(options.answers ?? [proceed])];
  const filler = node.type === "email" ? FINAL_TEXT_MESSAGE : CONTINUE_MESSAGE;
  while (messages.length < maxTurns) messages.push(filler);
  return messages.slice(0, maxTurns);
}

/** A node's draft as the nodes after it see it. */
export interface PriorDraft {
  position: number;
  type: "email" | "ai";
  subject: string | null;
  body: string | null;
}

/** A node's draft as the nodes after it see it: the session's draft, else the node's content. */
export function priorOf(content: ContentNode, session: Session | undefined): PriorDraft {
  const { node, type, position } = content;
  return {
    ...{ position, type },
    subject: session?.draft_subject ?? (node.subject || null),
    body: session?.draft_body ?? (node.body || null),
  };
}

/** Where the node sits, and the drafts of the content nodes before it (those that have one). */
export function sequenceContextOf(
  node: ContentNode,
  prior: readonly PriorDraft[],
): SequenceContext {
  return {
    position: node.position,
    total_nodes: node.total,
    prior_nodes: prior
      .filter((p) => p.position < node.position && (p.subject || p.body))
      .map((p) => ({ position: p.position, type: p.type, subject: p.subject, body: p.body })),
  };
}

/** The plan `advanceSession` gets for a node. */
export function nodePlan(
  node: ContentNode,
  options: DraftCampaignOptions,
  prior: readonly PriorDraft[],
): AdvancePlan {
  const maxTurns = options.maxTurnsPerNode ?? 4;
  return {
    nodeType: node.type,
    messages: nodeMessages(node, options, maxTurns),
    maxTurns,
    availableVarNames: options.availableVarNames,
    sampleLeads: options.sampleLeads,
    sequenceContext: sequenceContextOf(node, prior),
    examples: node.type === "ai" ? options.examples : undefined,
  };
}
