/**
 * `finishSession`: from a finished chat to launch-ready drafts (API-CAMPAIGNS.md §12). The
 * composition is the SDK's design [inferred]; every call in it is documented.
 *
 * @internal
 * @module
 */
import { PuffleError } from "../base/puffle-error";
import type {
  FinishSessionResult,
  FinishStep,
  GeneratedMessage,
  SequenceNode,
  SequenceNodeInput,
} from "../core/campaign-types";
import { FinishSessionError, type FinishSessionRefusal } from "../core/errors";
import type { FinishSessionOptions, RequestOptions } from "../core/options";
import type { Session } from "../core/types";
import { type LintResult, lintDraft } from "../template/lint";
import {
  type CampaignContext,
  generateCampaignMessages,
  getCampaign,
  sequenceMatches,
  updateCampaignDetailed,
  updateSequenceNode,
} from "./campaigns";

/** What finishSession needs beyond the campaign context. */
export interface FinishContext extends CampaignContext {
  getSession(id: string, options: RequestOptions | undefined): Promise<Session>;
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
  checkFinishOptions(via, lint, resolve);
  const requestOptions = ctx.requestOptions("finishSession", rest);
  const steps: FinishStep[] = [];
  let campaignId: string | undefined;
  let nodeId: string | undefined;
  const refuse = (
    reason: FinishSessionRefusal,
    step: FinishStep["step"],
    detail: string,
    extra: { lintIssues?: FinishSessionError["lintIssues"] } = {},
  ): never => {
    steps.push({ step, outcome: "refused", detail });
    throw new FinishSessionError(`finishSession refused (${reason}): ${detail}`, {
      reason,
      steps: [...steps],
      sessionId,
      campaignId,
      nodeId,
      ...extra,
    });
  };

  const session = await ctx.getSession(sessionId, requestOptions);
  campaignId = session.campaign_id;
  nodeId = session.node_id;
  if (session.task_status !== null) {
    refuse(
      "session-busy",
      "read-session",
      `session ${sessionId} is busy (${session.task_status}); wait for it to be idle (waitForIdle) and call finishSession again.`,
    );
  }
  steps.push({ step: "read-session", outcome: "done", detail: `session ${sessionId} is idle` });

  const detail = await getCampaign(ctx, session.campaign_id, requestOptions);
  const { campaign } = detail;
  if (campaign.status !== undefined && campaign.status !== "draft") {
    refuse(
      "campaign-not-draft",
      "read-campaign",
      `campaign ${campaign.id} is ${campaign.status}; only draft campaigns take new content or resolved messages.`,
    );
  }
  steps.push({
    step: "read-campaign",
    outcome: "done",
    detail:
      campaign.status === undefined
        ? `campaign ${campaign.id}: the server did not report its status; its draft-only rules decide`
        : `campaign ${campaign.id} is a draft with ${detail.sequence_nodes.length} nodes`,
  });

  const node = detail.sequence_nodes.find((n) => sameId(n.id, session.node_id));
  if (!node) {
    refuse(
      "node-missing",
      "find-node",
      `node ${session.node_id} of session ${sessionId} is not in campaign ${campaign.id}'s sequence (deleting a node does not delete its session).`,
    );
  }
  const found = node as SequenceNode;
  if (found.type === undefined) {
    refuse(
      "node-type-unknown",
      "find-node",
      `the server did not say node ${found.id}'s type; finishSession cannot tell what to write.`,
    );
  }
  if (found.type !== "email" && found.type !== "ai") {
    refuse(
      "node-type-unsupported",
      "find-node",
      `node ${found.id} is a "${found.type}" node; a session drafts an email, so only "email" and "ai" nodes can be finished.`,
    );
  }
  steps.push({
    step: "find-node",
    outcome: "done",
    detail: `node ${found.id} is an "${found.type}" node at position ${found.position}`,
  });

  let written: SequenceNode = found;
  let copied = false;
  let usedVia: FinishSessionResult["via"] = null;
  let lintResult: LintResult | undefined;

  if (found.type === "ai") {
    const examples = session.generated_examples ?? [];
    if (examples.length === 0) {
      refuse(
        "no-examples",
        "copy",
        `node ${found.id} is an "ai" node: nothing is copied onto it, and resolve seeds its drafts from the session's generated_examples, which are empty. Generate examples first (generateExamplesAndWait).`,
      );
    }
    steps.push({
      step: "lint",
      outcome: "skipped",
      detail: "ai node: the draft is not written, so it is not linted",
    });
    steps.push({
      step: "copy",
      outcome: "skipped",
      detail: `ai node: it carries no subject/body; resolve copies the session's ${examples.length} generated examples onto prospects matched by name`,
    });
  } else {
    const subject = session.draft_subject ?? "";
    const body = session.draft_body ?? "";
    if (subject.trim() === "" || body.trim() === "") {
      refuse(
        "draft-missing",
        "lint",
        `session ${sessionId} has no ${subject.trim() === "" ? "draft_subject" : "draft_body"} yet; chat until the draft exists.`,
      );
    }
    if (lint === false) {
      steps.push({ step: "lint", outcome: "skipped", detail: "lint: false" });
    } else {
      lintResult = lintDraft({ subject, body }, lint);
      const errors = lintResult.issues.filter((i) => i.severity === "error");
      if (errors.length > 0) {
        refuse(
          "draft-lint",
          "lint",
          `the draft has ${errors.length} lint error${errors.length === 1 ? "" : "s"} (${errors.map((e) => e.code).join(", ")}): ${errors[0]?.message} Nothing was written.`,
          { lintIssues: errors },
        );
      }
      const warnings = lintResult.issues.length;
      steps.push({
        step: "lint",
        outcome: "done",
        detail: warnings
          ? `no errors, ${warnings} warning${warnings === 1 ? "" : "s"}`
          : "no issues",
      });
    }

    if (via === "updateCampaign") {
      const elements: SequenceNodeInput[] = [];
      for (const n of detail.sequence_nodes) {
        if (n.type === undefined || !WRITABLE_TYPES.has(n.type)) {
          refuse(
            "node-type-unknown",
            "copy",
            `node ${n.id} has type ${n.type === undefined ? "(not reported)" : `"${n.type}"`}, so the whole sequence cannot be rewritten faithfully; use via: "updateSequenceNode".`,
          );
        }
        elements.push(sameId(n.id, found.id) ? { ...toInput(n), subject, body } : toInput(n));
      }
      const outcome = await updateCampaignDetailed(
        ctx,
        campaign.id,
        { sequence_nodes: elements },
        requestOptions,
      );
      steps.push({
        step: "copy",
        outcome: "done",
        detail: `whole-sequence PATCH of ${elements.length} nodes${outcome.reconciled ? " (answer lost; the read-back showed it stored)" : ""}`,
      });
      const after = await getCampaign(ctx, campaign.id, requestOptions);
      const stored = after.sequence_nodes.find((n) => sameId(n.id, found.id));
      if (
        !stored ||
        !sequenceMatches(elements, after.sequence_nodes) ||
        stored.subject !== subject ||
        stored.body !== body
      ) {
        refuse(
          "copy-not-stored",
          "verify",
          `the read-back of campaign ${campaign.id} does not show the draft on node ${found.id} with every node id kept; the PATCH's effect is not what was sent.`,
        );
      }
      written = stored as SequenceNode;
      usedVia = "updateCampaign";
      steps.push({
        step: "verify",
        outcome: "done",
        detail: `read back: ${after.sequence_nodes.length} nodes, ids kept, node ${found.id} holds the draft`,
      });
    } else {
      written = await updateSequenceNode(
        ctx,
        campaign.id,
        found.id,
        { subject, body },
        requestOptions,
      );
      steps.push({
        step: "copy",
        outcome: "done",
        detail: `PUT subject (${subject.length} chars) and body (${body.length} chars) onto node ${found.id}`,
      });
      if (!sameId(written.id, found.id) || written.subject !== subject || written.body !== body) {
        refuse(
          "copy-not-stored",
          "verify",
          `the node PUT returned does not hold the draft verbatim.`,
        );
      }
      usedVia = "updateSequenceNode";
      steps.push({
        step: "verify",
        outcome: "done",
        detail: "the returned node holds the draft verbatim",
      });
    }
    copied = true;
  }

  let messages: GeneratedMessage[] = [];
  if (resolve) {
    const result = await generateCampaignMessages(
      ctx,
      campaign.id,
      { action: "resolve" },
      requestOptions,
    );
    messages =
      "messages" in result && Array.isArray(result.messages)
        ? (result.messages as GeneratedMessage[])
        : [];
    const mine = messages.filter((m) => sameId(m.node_id, found.id)).length;
    steps.push({
      step: "resolve",
      outcome: "done",
      detail: `${messages.length} draft messages, ${mine} for node ${found.id}`,
    });
  } else {
    steps.push({ step: "resolve", outcome: "skipped", detail: "resolve: false" });
  }

  return {
    session,
    campaign,
    node: written,
    copied,
    via: usedVia,
    lint: lintResult,
    messages,
    nodeMessages: messages.filter((m) => sameId(m.node_id, found.id)),
    resolved: resolve,
    steps,
  };
}

function checkFinishOptions(via: unknown, lint: unknown, resolve: unknown): void {
  const problems: string[] = [];
  if (via !== "updateSequenceNode" && via !== "updateCampaign")
    problems.push(
      `via must be "updateSequenceNode" or "updateCampaign" (got ${JSON.stringify(via)})`,
    );
  if (lint !== false && (typeof lint !== "object" || lint === null || Array.isArray(lint)))
    problems.push("lint must be lint options (an object) or false");
  if (typeof resolve !== "boolean") problems.push("resolve must be a boolean");
  if (problems.length > 0) {
    throw new PuffleError(`finishSession: ${problems.join("; ")}. Nothing was sent.`);
  }
}

/** A node as an updateCampaign element: its id, type and the content keys it has. */
function toInput(node: SequenceNode): SequenceNodeInput {
  const out: Record<string, unknown> = { id: node.id, type: node.type };
  for (const key of [
    "subject",
    "body",
    "signature",
    "include_message",
    "is_reply",
    "delay_days",
    "delay_hours",
    "delay_minutes",
  ] as const) {
    const value = node[key];
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out as SequenceNodeInput;
}
