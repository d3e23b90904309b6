import { brand, hasKind } from "../base/brand";
import { PuffleError } from "../base/puffle-error";
import type { LintIssue } from "../template/lint";
import type { FinishStep } from "./campaign-types";

/**
 * Why {@link FinishSessionError} refused:
 * - `session-busy`: the session runs a task (`task_status` not null); wait for idle first.
 * - `campaign-not-draft`: the campaign's `status` is not `draft`; only drafts take content.
 * - `node-missing`: the session's node is not in the campaign's sequence (deleted nodes do not
 *   delete their sessions).
 * - `node-type-unknown`: the server did not say the node's `type`.
 * - `node-type-unsupported`: the node is neither `email` nor `ai` (sessions draft one email).
 * - `draft-missing`: an email node, but the session's `draft_subject` or `draft_body` is empty.
 * - `draft-lint`: the draft has lint errors, by default an unfilled `&&instruction&&` block
 *   (`lintIssues` lists them; pass `lint: { instructions: "off" }` to allow blocks).
 * - `no-examples`: an `ai` node, but the session has no `generated_examples` to seed drafts from.
 * - `copy-not-stored`: the write answered, but the node it returned (or the read-back) does not
 *   hold the draft: nothing is reported as copied.
 *
 * @example
 * ```ts
 * import { isFinishSessionError, type FinishSessionRefusal } from "puffle-chat";
 * try { await puffle.finishSession(sessionId); } catch (error) {
 *   if (isFinishSessionError(error)) { const why: FinishSessionRefusal = error.reason; console.log(why); }
 * }
 * ```
 */
export type FinishSessionRefusal =
  | "session-busy"
  | "campaign-not-draft"
  | "node-missing"
  | "node-type-unknown"
  | "node-type-unsupported"
  | "draft-missing"
  | "draft-lint"
  | "no-examples"
  | "copy-not-stored";

/**
 * `finishSession` refused, before or after some steps: `reason` says why, `steps` what was done
 * before (so nothing is reported as done that was not), `lintIssues` the draft's lint errors for
 * `draft-lint`.
 *
 * @example
 * ```ts
 * import { isFinishSessionError } from "puffle-chat";
 * try { await puffle.finishSession(sessionId); } catch (error) {
 *   if (isFinishSessionError(error)) console.error(error.reason, error.steps.map((s) => s.step));
 * }
 * ```
 */
export class FinishSessionError extends PuffleError {
  override name = "FinishSessionError";
  /** Why it refused. */
  readonly reason: FinishSessionRefusal;
  /** The steps taken before refusing, in order (the last one is the refusal). */
  readonly steps: FinishStep[];
  /** The session. */
  readonly sessionId: string;
  /** The session's campaign, once read. */
  readonly campaignId: string | undefined;
  /** The session's node, once read. */
  readonly nodeId: string | undefined;
  /** For `draft-lint`: the lint errors. */
  readonly lintIssues: LintIssue[] | undefined;

  constructor(
    message: string,
    init: {
      reason: FinishSessionRefusal;
      steps: FinishStep[];
      sessionId: string;
      campaignId?: string | undefined;
      nodeId?: string | undefined;
      lintIssues?: LintIssue[] | undefined;
    },
  ) {
    super(message);
    this.reason = init.reason;
    this.steps = init.steps;
    this.sessionId = init.sessionId;
    this.campaignId = init.campaignId;
    this.nodeId = init.nodeId;
    this.lintIssues = init.lintIssues;
    brand(this, "FinishSessionError");
  }
}

/**
 * True when `value` is a {@link FinishSessionError}. Works across realms.
 *
 * @example
 * ```ts
 * if (isFinishSessionError(error) && error.reason === "draft-lint") console.log(error.lintIssues);
 * ```
 */
export function isFinishSessionError(value: unknown): value is FinishSessionError {
  return hasKind(value, "FinishSessionError");
}

/**
 * The answer of a paid `generate_ai` was lost (connection dropped, timeout, a 5xx, an unreadable
 * 2xx): whether the server queued the generation, and charged credits for it, is unknown. It was
 * not sent again, so as not to pay twice. `dispatch` is `"unknown"`; `cause` is the failure.
 *
 * What to do: look at the node's messages later (`listGeneratedMessages`) and send again only if
 * nothing was generated.
 *
 * @example
 * ```ts
 * import { isGenerateMessagesUnknownError } from "puffle-chat";
 * try { await puffle.generateCampaignMessages(campaignId, { action: "generate_ai", node_id }); } catch (error) {
 *   if (isGenerateMessagesUnknownError(error)) console.warn("maybe queued and charged:", error.message);
 * }
 * ```
 */
export class GenerateMessagesUnknownError extends PuffleError {
  override name = "GenerateMessagesUnknownError";
  /** The campaign. */
  readonly campaignId: string;
  /** The AI node the generation was for. */
  readonly nodeId: string;

  constructor(init: { campaignId: string; nodeId: string; cause: unknown }) {
    super(
      `generate_ai on campaign ${init.campaignId} (node ${init.nodeId}): its answer was lost, so whether the generation was queued and charged is unknown. It was not sent again, to avoid paying twice: check listGeneratedMessages later and send again only if nothing was generated.`,
      { cause: init.cause },
    );
    this.campaignId = init.campaignId;
    this.nodeId = init.nodeId;
    this.dispatch = "unknown";
    brand(this, "GenerateMessagesUnknownError");
  }
}

/**
 * True when `value` is a {@link GenerateMessagesUnknownError}. Works across realms.
 *
 * @example
 * ```ts
 * if (isGenerateMessagesUnknownError(error)) console.warn(error.campaignId, error.nodeId);
 * ```
 */
export function isGenerateMessagesUnknownError(
  value: unknown,
): value is GenerateMessagesUnknownError {
  return hasKind(value, "GenerateMessagesUnknownError");
}
