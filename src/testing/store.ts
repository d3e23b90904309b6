import { randomUuid } from "./ids";
import type {
  CampaignRow,
  GeneratedMessageRow,
  LeadRow,
  NodeRow,
  SessionRow,
  UserRow,
} from "./types";

/**
 * The emulator's in-memory Puffle database: users, campaigns, nodes, leads and sessions.
 *
 * @module
 */

/** Current time as the ISO string the API sends (`…Z`). */
export function nowIso(): string {
  return new Date().toISOString();
}

/** In-memory tables of the emulated Puffle server. */
export class Store {
  readonly users = new Map<string, UserRow>();
  readonly campaigns = new Map<string, CampaignRow>();
  readonly nodes = new Map<string, NodeRow>();
  readonly leads = new Map<string, LeadRow>();
  readonly sessions = new Map<string, SessionRow>();
  readonly messages = new Map<string, GeneratedMessageRow>();

  /** The user owning `apiKey`, if any. */
  userByKey(apiKey: string): UserRow | undefined {
    for (const user of this.users.values()) if (user.apiKey === apiKey) return user;
    return undefined;
  }

  /** A new empty session for (user, campaign, node), every content field null. */
  createSession(userId: string, campaignId: string, nodeId: string): SessionRow {
    const now = nowIso();
    const row: SessionRow = {
      id: randomUuid(),
      user_id: userId,
      campaign_id: campaignId,
      node_id: nodeId,
      title: null,
      messages: null,
      draft_subject: null,
      draft_body: null,
      skeleton: null,
      skeleton_history: null,
      draft_history: null,
      framework_version: null,
      generated_examples: null,
      task_status: null,
      created_at: now,
      updated_at: now,
    };
    this.sessions.set(row.id, row);
    return row;
  }

  /** The session `id` when `userId` owns it. */
  ownedSession(id: string, userId: string): SessionRow | undefined {
    const row = this.sessions.get(id);
    return row && row.user_id === userId ? row : undefined;
  }

  /** Sessions of `userId` in `campaignId`, oldest first. */
  listSessions(userId: string, campaignId: string): SessionRow[] {
    return [...this.sessions.values()].filter(
      (s) => s.user_id === userId && s.campaign_id === campaignId,
    );
  }

  /** The campaign `id` when `userId` owns it. */
  ownedCampaign(id: string, userId: string): CampaignRow | undefined {
    const row = this.campaigns.get(id);
    return row && row.user_id === userId ? row : undefined;
  }

  /** Nodes of one campaign in position order. */
  campaignNodes(campaignId: string): NodeRow[] {
    return [...this.nodes.values()]
      .filter((n) => n.campaign_id === campaignId)
      .sort((a, b) => a.position - b.position);
  }

  /** Generated messages of one campaign, in insertion order. */
  campaignMessages(campaignId: string): GeneratedMessageRow[] {
    return [...this.messages.values()].filter((m) => m.campaign_id === campaignId);
  }

  /** Leads of one campaign, in insertion order. */
  campaignLeads(campaignId: string): LeadRow[] {
    return [...this.leads.values()].filter((l) => l.campaign_id === campaignId);
  }
}
