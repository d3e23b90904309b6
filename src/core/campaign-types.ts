/**
 * Public types of the campaign routes that finish the chat-session flow, as aliases over the
 * types generated from `openapi.yaml`. Field names stay snake_case, as the server sends them.
 * Parts the public docs do not state are marked "inferred".
 *
 * @module
 */
import type { components } from "../../generated/openapi";
import type { LintResult } from "../template/lint";
import type { Session } from "./types";

/** A schema of openapi.yaml, by name (what the named interfaces below extend). */
type Schema<K extends keyof components["schemas"]> = components["schemas"][K];

/**
 * A campaign. Only `id` is guaranteed (the newer documented sample omits `type` and `status`);
 * `status` is one of `draft`, `launching`, `active`, `paused`, `completed`. Unknown keys are kept.
 *
 * @example
 * ```ts
 * const { campaign } = await puffle.getCampaign(campaignId);
 * if (campaign.status !== "draft") console.log("only drafts take new content");
 * ```
 */
export interface Campaign extends Schema<"Campaign"> {}

/**
 * The AI extension of an `ai` node (`node.ai_node`): `purpose` and `output_type` (sample value
 * `"email"`; the enum is undocumented).
 *
 * @example
 * ```ts
 * const purpose = node.ai_node?.purpose;
 * ```
 */
export interface AiNode extends Schema<"AiNode"> {}

/**
 * A sequence node (`campaign_sequence_nodes` row). `type` is one of `email`,
 * `connection_request`, `message`, `delay`, `ai`, `end`; keys that do not apply to the type may
 * be absent; `ai_node` is `null` on non-AI nodes.
 *
 * @example
 * ```ts
 * const { sequence_nodes } = await puffle.getCampaign(campaignId);
 * const emails = sequence_nodes.filter((n: SequenceNode) => n.type === "email");
 * ```
 */
export interface SequenceNode extends Schema<"SequenceNode"> {}

/**
 * What `getCampaign` resolves with: the campaign, its nodes in position order (top level, next
 * to `campaign`), and prospect counts by status and by node.
 *
 * @example
 * ```ts
 * const detail: CampaignDetail = await puffle.getCampaign(campaignId);
 * console.log(detail.campaign.name, detail.sequence_nodes.length, detail.prospects_by_status);
 * ```
 */
export interface CampaignDetail extends Schema<"CampaignDetail"> {}

/**
 * A generated campaign message (`campaign_prospect_messages` row), unique per (campaign,
 * prospect, node). `status` is `draft`, `pending` or `sent`; `manually_edited` rows are never
 * overwritten by `resolve`.
 *
 * @example
 * ```ts
 * for (const m of await puffle.listGeneratedMessages(campaignId)) console.log(m.prospect_id, m.subject);
 * ```
 */
export interface GeneratedMessage extends Schema<"GeneratedMessage"> {}

/**
 * The body of `updateSequenceNode`: any subset; only keys present are applied, and only those that
 * apply to the node's type (`subject`, `is_reply`: email; `body`: email, message,
 * connection_request; `include_message`: connection_request; delays: delay; `ai_node`: ai).
 * `type`, `position` and `campaign_id` are immutable and refused before sending.
 */
export interface SequenceNodePatch extends Schema<"SequenceNodePatch"> {}

/**
 * One element of `updateCampaign`'s `sequence_nodes`. Positions follow array order. Inferred: an
 * element carrying an existing node's `id` keeps that row; one without `id` creates a node and
 * needs `type`.
 */
export interface SequenceNodeInput extends Schema<"SequenceNodeInput"> {}

/**
 * The body of `updateCampaign`. Every field optional. On a non-draft campaign the draft-only
 * fields (`sequence_nodes`, `sender_account_ids`, type-specific settings) are silently ignored by
 * the server. `sequence_nodes` replaces the whole sequence: include every node, `end` included.
 * Inferred: the 1..500 range belongs to `daily_limit`, the 50-item cap to `sender_account_ids`.
 */
export interface UpdateCampaignParams extends Schema<"UpdateCampaignRequest"> {}

/**
 * The body of `generateCampaignMessages`: `{ action: "resolve" }` (free, synchronous), or the
 * paid `{ action: "generate_ai", node_id, prospect_ids? }` (inferred: the docs do not show the key
 * naming the node).
 */
export type GenerateMessagesParams = components["schemas"]["GenerateMessagesRequest"];

/**
 * What `generateCampaignMessages` resolves with: `{ messages }` for `resolve`; for `generate_ai`
 * a queue acknowledgement (inferred shape, e.g. `{ runId, publicAccessToken }`).
 *
 * @example
 * ```ts
 * const result: GenerateMessagesResult = await puffle.generateCampaignMessages(campaignId, { action: "resolve" });
 * if ("messages" in result) console.log(result.messages.length);
 * ```
 */
export type GenerateMessagesResult = components["schemas"]["GenerateMessagesResult"];

/**
 * The answer of `resolve`: the draft messages.
 *
 * @example
 * ```ts
 * const result = await puffle.generateCampaignMessages(campaignId, { action: "resolve" });
 * const { messages } = result as ResolveMessagesResult;
 * ```
 */
export interface ResolveMessagesResult extends Schema<"GeneratedMessageListEnvelope"> {}

/**
 * Filters of `listGeneratedMessages`: `status` (default `draft`; `all` disables the filter) and
 * `prospect_id`.
 */
export interface ListGeneratedMessagesQuery {
  /** `draft` (server default), `pending`, `sent`, or `all`. */
  status?: "draft" | "pending" | "sent" | "all" | undefined;
  /** Only this prospect's messages (a UUID). */
  prospect_id?: string | undefined;
}

/**
 * The body of `updateGeneratedMessage`: the message id and `subject`, `body_text` or both. Only
 * draft messages are editable. Inferred: the edit marks the row `manually_edited`.
 */
export interface UpdateGeneratedMessageParams extends Schema<"UpdateGeneratedMessageRequest"> {}

/**
 * A step of `finishSession`:
 * `read-session` → `read-campaign` → `find-node` → `lint` → `copy` → `verify` → `resolve`.
 */
export type FinishStepName =
  | "read-session"
  | "read-campaign"
  | "find-node"
  | "lint"
  | "copy"
  | "verify"
  | "resolve";

/**
 * One step of `finishSession`'s report: what it did (`done`), did not need to do and why
 * (`skipped`), or refused (`refused`, the last step of a {@link FinishSessionError}).
 *
 * @example
 * ```ts
 * for (const s of result.steps) console.log(`${s.step}: ${s.outcome} (${s.detail})`);
 * ```
 */
export interface FinishStep {
  step: FinishStepName;
  outcome: "done" | "skipped" | "refused";
  /** What happened, in a sentence. */
  detail: string;
}

/**
 * What `finishSession` resolves with.
 *
 * @example
 * ```ts
 * const result: FinishSessionResult = await puffle.finishSession(sessionId);
 * console.log(result.copied, result.nodeMessages.length, result.steps);
 * ```
 */
export interface FinishSessionResult {
  /** The session as read (idle). */
  session: Session;
  /** The campaign as read before writing. */
  campaign: Campaign;
  /** The session's node: for an email node, as returned by the write (or the read-back). */
  node: SequenceNode;
  /** True when the draft was written onto the node and verified; false for an `ai` node. */
  copied: boolean;
  /** How it was written: `"updateSequenceNode"`, `"updateCampaign"`, or `null` when not written. */
  via: "updateSequenceNode" | "updateCampaign" | null;
  /** The lint result of the email draft (undefined for an `ai` node or with `lint: false`). */
  lint: LintResult | undefined;
  /** Every message `resolve` answered (all nodes); `[]` with `resolve: false`. */
  messages: GeneratedMessage[];
  /** The messages of this session's node. */
  nodeMessages: GeneratedMessage[];
  /** Whether `resolve` ran. */
  resolved: boolean;
  /** What happened, step by step. */
  steps: FinishStep[];
}
