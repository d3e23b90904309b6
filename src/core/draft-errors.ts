/**
 * The error `draftCampaign` throws when the campaign cannot be drafted as asked. It is thrown after
 * the campaign was read (free) and before any session is created or any turn sent.
 *
 * @module
 */
import { PuffleError } from "../base/puffle-error";

/**
 * Why `draftCampaign` refused.
 * - `campaign-not-draft`: only draft campaigns take new content.
 * - `unknown-node`: a node of `nodes` is not an email or ai node of the campaign (the message lists them).
 * - `no-content-nodes`: the campaign has no email or ai node.
 * - `finish-needs-examples`: `finish: true` with ai nodes needs `examples` (finishSession copies them).
 *
 * @example
 * ```ts
 * import type { DraftCampaignRefusal } from "puffle-chat/campaign";
 * const fixable = (reason: DraftCampaignRefusal) => reason !== "campaign-not-draft";
 * ```
 */
export type DraftCampaignRefusal =
  | "campaign-not-draft"
  | "unknown-node"
  | "no-content-nodes"
  | "finish-needs-examples";

/**
 * `draftCampaign` refused before sending anything but the campaign read: `reason` says why.
 *
 * @example
 * ```ts
 * import { DraftCampaignError } from "puffle-chat/campaign";
 * try { await puffle.draftCampaign(campaignId, { brief }); } catch (error) {
 *   if (error instanceof DraftCampaignError) console.error(error.reason, error.message);
 * }
 * ```
 */
export class DraftCampaignError extends PuffleError {
  static override readonly brand: string = "DraftCampaignError";
  /** Why it refused. */
  readonly reason: DraftCampaignRefusal;
  /** The campaign. */
  readonly campaignId: string;

  constructor(message: string, init: { reason: DraftCampaignRefusal; campaignId: string }) {
    super(message);
    this.reason = init.reason;
    this.campaignId = init.campaignId;
  }
}
