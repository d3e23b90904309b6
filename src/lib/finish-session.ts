import type {
  CampaignDetail,
  FinishSessionResult,
  FinishStep,
  GeneratedMessage,
  SequenceNode,
  SequenceNodeInput,
} from "../core/campaign-types";
import { FinishSessionError, type FinishSessionRefusal } from "../core/errors";
import type { FinishSessionOptions, RequestOptions } from "../core/options";
import type { Session } from "../core/types";
import { type LintIssue, type LintOptions, type LintResult, lintDraft } from "../template/lint";
import {
  type CampaignContext,
  COMPARED_NODE_KEYS,
  generateCampaignMessages,
  getCampaign,
  sequenceMatches,
  updateCampaignDetailed,
  updateSequenceNode,
} from "./campaigns";
import { withDeadline } from "./context";

/** What finishSession needs beyond the campaign context. */
export interface FinishContext extends CampaignContext {
  getSession(id: string, options: RequestOptions | undefined): Promise<Session>;
}

/** One finishSession call in progress: what every step reads, and the report so far. */
interface Finishing {
  ctx: FinishContext;
  sessionId: string;
  requestOptions: RequestOptions | undefined;
  steps: FinishStep[];
  campaignId?: string;
  nodeId?: string;
}

/** What the write steps did: the node as stored, and how. */
interface Written {
  node: SequenceNode;
  copied: boolean;
  via: FinishSessionResult["via"];
  lint: LintResult | undefined;
}

/** The draft a session holds, as it is copied onto its node. */
interface Draft {
  subject: string;
  body: string;
}

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

const WRITABLE_TYPES = new Set(["email", "connection_request", "message", "delay", "ai", "end"]);

/** Run finishSession for a validated session id. */
export async function finishSession(
  ctx: FinishContext,
  sessionId: string,
  options: FinishSessionOptions,
): Promise<FinishSessionResult> {
  const { via = "updateSequenceNode", lint = {}, resolve = true, ...rest } = options;
  const requestOptions = withDeadline(rest);
  const run: Finishing = { ctx, sessionId, requestOptions, steps: [] };

  const session = await readSession(run);
  const detail = await readCampaign(run, session);
  const node = findNode(run, session, detail);
  const written =
    node.type === "ai"
      ? checkExamples(run, session, node)
      : await writeEmailDraft(run, session, detail, node, { via, lint });
  const messages = resolve
    ? await resolveMessages(run, detail.campaign.id, node)
    : skipResolve(run);

  return {
    session,
    campaign: detail.campaign,
    node: written.node,
    copied: written.copied,
    via: written.via,
    lint: written.lint,
    messages,
    nodeMessages: messages.filter((m) => sameId(m.node_id, node.id)),
    resolved: resolve,
    steps: run.steps,
  };
}

/** Record a step that was done (or deliberately skipped). */
function record(
  run: Finishing,
  step: FinishStep["step"],
  outcome: "done" | "skipped",
  detail: string,
) {
  run.steps.push({ step, outcome, detail });
}

/** Record the refusal as the last step and throw it with the steps done so far. */
function refuse(
  run: Finishing,
  reason: FinishSessionRefusal,
  step: FinishStep["step"],
  detail: string,
  lintIssues?: LintIssue[],
): never {
  run.steps.push({ step, outcome: "refused", detail });
  throw new FinishSessionError(`finishSession refused (${reason}): ${detail}`, {
    reason,
    steps: [...run.steps],
    sessionId: run.sessionId,
    campaignId: run.campaignId,
    nodeId: run.nodeId,
    ...(lintIssues ? { lintIssues } : {}),
  });
}

/** Step read-session: the session must be idle (a busy one is still changing its draft). */
async function readSession(run: Finishing): Promise<Session> {
  const session = await run.ctx.getSession(run.sessionId, run.requestOptions);
  run.campaignId = session.campaign_id;
  run.nodeId = session.node_id;
  if (session.task_status !== null) {
    refuse(
      run,
      "session-busy",
      "read-session",
      `session ${run.sessionId} is busy (${session.task_status}); wait for it to be idle (waitForIdle) and call finishSession again.`,
    );
  }
  record(run, "read-session", "done", `session ${run.sessionId} is idle`);
  return session;
}

/** Step read-campaign: only a draft campaign takes new content. */
async function readCampaign(run: Finishing, session: Session): Promise<CampaignDetail> {
  const detail = await getCampaign(run.ctx, session.campaign_id, run.requestOptions);
  const { campaign } = detail;
  if (campaign.status !== undefined && campaign.status !== "draft") {
    refuse(
      run,
      "campaign-not-draft",
      "read-campaign",
      `campaign ${campaign.id} is ${campaign.status}; only draft campaigns take new content or resolved messages.`,
    );
  }
  record(
    run,
    "read-campaign",
    "done",
    campaign.status === undefined
      ? `campaign ${campaign.id}: the server did not report its status; its draft-only rules decide`
      : `campaign ${campaign.id} is a draft with ${detail.sequence_nodes.length} nodes`,
  );
  return detail;
}

/** Step find-node: the session's node, which must be an "email" or an "ai" node. */
function findNode(run: Finishing, session: Session, detail: CampaignDetail): SequenceNode {
  const node = detail.sequence_nodes.find((n) => sameId(n.id, session.node_id));
  if (!node) {
    return refuse(
      run,
      "node-missing",
      "find-node",
      `node ${session.node_id} of session ${run.sessionId} is not in campaign ${detail.campaign.id}'s sequence (deleting a node does not delete its session).`,
    );
  }
  if (node.type === undefined) {
    refuse(
      run,
      "node-type-unknown",
      "find-node",
      `the server did not say node ${node.id}'s type; finishSession cannot tell what to write.`,
    );
  }
  if (node.type !== "email" && node.type !== "ai") {
    refuse(
      run,
      "node-type-unsupported",
      "find-node",
      `node ${node.id} is a "${node.type}" node; a session drafts an email, so only "email" and "ai" nodes can be finished.`,
    );
  }
  record(
    run,
    "find-node",
    "done",
    `node ${node.id} is an "${node.type}" node at position ${node.position}`,
  );
  return node;
}

/** For an "ai" node nothing is linted or copied; resolve needs the session's examples. */
function checkExamples(run: Finishing, session: Session, node: SequenceNode): Written {
  const examples = session.generated_examples ?? [];
  if (examples.length === 0) {
    refuse(
      run,
      "no-examples",
      "copy",
      `node ${node.id} is an "ai" node: nothing is copied onto it, and resolve seeds its drafts from the session's generated_examples, which are empty. Generate examples first (generateExamplesAndWait).`,
    );
  }
  record(run, "lint", "skipped", "ai node: the draft is not written, so it is not linted");
  record(
    run,
    "copy",
    "skipped",
    `ai node: it carries no subject/body; resolve copies the session's ${examples.length} generated examples onto prospects matched by name`,
  );
  return { node, copied: false, via: null, lint: undefined };
}

/** Step lint: the draft must exist, and (unless `lint: false`) have no lint errors. */
function lintAndDraft(
  run: Finishing,
  session: Session,
  lint: LintOptions | false,
): Draft & { lint: LintResult | undefined } {
  const subject = session.draft_subject ?? "";
  const body = session.draft_body ?? "";
  if (subject.trim() === "" || body.trim() === "") {
    refuse(
      run,
      "draft-missing",
      "lint",
      `session ${run.sessionId} has no ${subject.trim() === "" ? "draft_subject" : "draft_body"} yet; chat until the draft exists.`,
    );
  }
  if (lint === false) {
    record(run, "lint", "skipped", "lint: false");
    return { subject, body, lint: undefined };
  }
  const result = lintDraft({ subject, body }, lint);
  const errors = result.issues.filter((i) => i.severity === "error");
  if (errors.length > 0) {
    refuse(
      run,
      "draft-lint",
      "lint",
      `the draft has ${errors.length} lint error${errors.length === 1 ? "" : "s"} (${errors.map((e) => e.code).join(", ")}): ${errors[0]?.message} Nothing was written.`,
      errors,
    );
  }
  const warnings = result.issues.length;
  record(
    run,
    "lint",
    "done",
    warnings ? `no errors, ${warnings} warning${warnings === 1 ? "" : "s"}` : "no issues",
  );
  return { subject, body, lint: result };
}

/** Steps lint, copy and verify for an "email" node, by the route `via` names. */
async function writeEmailDraft(
  run: Finishing,
  session: Session,
  detail: CampaignDetail,
  node: SequenceNode,
  { via, lint }: { via: FinishSessionOptions["via"]; lint: LintOptions | false },
): Promise<Written> {
  const { lint: lintResult, ...draft } = lintAndDraft(run, session, lint);
  if (via === "updateCampaign") {
    const stored = await copyWithCampaignPatch(run, detail, node, draft);
    return { node: stored, copied: true, via: "updateCampaign", lint: lintResult };
  }
  const stored = await copyWithNodePut(run, detail.campaign.id, node, draft);
  return { node: stored, copied: true, via: "updateSequenceNode", lint: lintResult };
}

/** Copy with updateSequenceNode (one node's PUT), verified on the node it returns. */
async function copyWithNodePut(
  run: Finishing,
  campaignId: string,
  node: SequenceNode,
  { subject, body }: Draft,
): Promise<SequenceNode> {
  const written = await updateSequenceNode(
    run.ctx,
    campaignId,
    node.id,
    { subject, body },
    run.requestOptions,
  );
  record(
    run,
    "copy",
    "done",
    `PUT subject (${subject.length} chars) and body (${body.length} chars) onto node ${node.id}`,
  );
  if (!sameId(written.id, node.id) || written.subject !== subject || written.body !== body) {
    refuse(
      run,
      "copy-not-stored",
      "verify",
      `the node PUT returned does not hold the draft verbatim.`,
    );
  }
  record(run, "verify", "done", "the returned node holds the draft verbatim");
  return written;
}

/** Copy with updateCampaign (the whole sequence in one PATCH), verified by reading it back. */
async function copyWithCampaignPatch(
  run: Finishing,
  detail: CampaignDetail,
  node: SequenceNode,
  draft: Draft,
): Promise<SequenceNode> {
  const campaignId = detail.campaign.id;
  const elements = sequenceWithDraft(run, detail.sequence_nodes, node, draft);
  const outcome = await updateCampaignDetailed(
    run.ctx,
    campaignId,
    { sequence_nodes: elements },
    run.requestOptions,
  );
  record(
    run,
    "copy",
    "done",
    `whole-sequence PATCH of ${elements.length} nodes${outcome.reconciled ? " (answer lost; the read-back showed it stored)" : ""}`,
  );
  const after = await getCampaign(run.ctx, campaignId, run.requestOptions);
  const stored = after.sequence_nodes.find((n) => sameId(n.id, node.id));
  if (
    !stored ||
    !sequenceMatches(elements, after.sequence_nodes) ||
    stored.subject !== draft.subject ||
    stored.body !== draft.body
  ) {
    return refuse(
      run,
      "copy-not-stored",
      "verify",
      `the read-back of campaign ${campaignId} does not show the draft on node ${node.id} with every node id kept; the PATCH's effect is not what was sent.`,
    );
  }
  record(
    run,
    "verify",
    "done",
    `read back: ${after.sequence_nodes.length} nodes, ids kept, node ${node.id} holds the draft`,
  );
  return stored;
}

/** The whole sequence as updateCampaign elements, the draft on `target`; refuses unknown types. */
function sequenceWithDraft(
  run: Finishing,
  nodes: SequenceNode[],
  target: SequenceNode,
  { subject, body }: Draft,
): SequenceNodeInput[] {
  return nodes.map((n) => {
    if (n.type === undefined || !WRITABLE_TYPES.has(n.type)) {
      refuse(
        run,
        "node-type-unknown",
        "copy",
        `node ${n.id} has type ${n.type === undefined ? "(not reported)" : `"${n.type}"`}, so the whole sequence cannot be rewritten faithfully; use via: "updateSequenceNode".`,
      );
    }
    return sameId(n.id, target.id) ? { ...toInput(n), subject, body } : toInput(n);
  });
}

/** Step resolve: generate-messages with action "resolve" turns the drafts into messages. */
async function resolveMessages(
  run: Finishing,
  campaignId: string,
  node: SequenceNode,
): Promise<GeneratedMessage[]> {
  const result = await generateCampaignMessages(
    run.ctx,
    campaignId,
    { action: "resolve" },
    run.requestOptions,
  );
  const messages =
    "messages" in result && Array.isArray(result.messages)
      ? (result.messages as GeneratedMessage[])
      : [];
  const mine = messages.filter((m) => sameId(m.node_id, node.id)).length;
  record(run, "resolve", "done", `${messages.length} draft messages, ${mine} for node ${node.id}`);
  return messages;
}

function skipResolve(run: Finishing): GeneratedMessage[] {
  record(run, "resolve", "skipped", "resolve: false");
  return [];
}

/** A node as an updateCampaign element: its id, type and the content keys it has. */
function toInput(node: SequenceNode): SequenceNodeInput {
  const out: Record<string, unknown> = { id: node.id, type: node.type };
  for (const key of COMPARED_NODE_KEYS) {
    if (key === "type") continue;
    const value = node[key];
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out as SequenceNodeInput;
}
