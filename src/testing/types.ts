/**
 * Row types of the emulator's in-memory store. They mirror the wire shapes of `openapi.yaml` but
 * are the emulator's own: the testing entry never imports client code.
 *
 * @module
 */

/**
 * A chat message as stored in `ai_chat_sessions.messages`.
 */
export interface EmulatorMessage {
  role: string;
  content: string;
  [key: string]: unknown;
}

/**
 * One per-lead sample email stored in `generated_examples`.
 */
export interface EmulatorExample {
  lead_id: string | null;
  subject: string;
  body: string;
  [key: string]: unknown;
}

/**
 * A stored `ai_chat_sessions` row.
 */
export interface SessionRow {
  id: string;
  user_id: string;
  campaign_id: string;
  node_id: string;
  title: string | null;
  messages: EmulatorMessage[] | null;
  draft_subject: string | null;
  draft_body: string | null;
  skeleton: Record<string, unknown> | null;
  skeleton_history: Record<string, unknown>[] | null;
  draft_history: Record<string, unknown>[] | null;
  framework_version: number | null;
  generated_examples: EmulatorExample[] | null;
  task_status: string | null;
  created_at: string;
  updated_at: string;
  [key: string]: unknown;
}

/**
 * A campaign owned by one user. `status` other than `"draft"` refuses generate-content.
 *
 * @example
 * ```ts
 * const { campaignId } = emu.addCampaign({ status: "active" }); // stored as a CampaignRow
 * ```
 */
export interface CampaignRow {
  id: string;
  user_id: string;
  name: string;
  status: string;
  type: string;
  daily_limit?: number | null;
  stop_on_reply?: boolean | null;
  open_tracking?: boolean | null;
  signature?: string | null;
  skip_other_campaigns?: boolean | null;
  operating_hours?: Record<string, unknown> | null;
  sender_account_ids?: string[];
  account_limits?: { account_id: string; daily_limit: number }[];
  created_at?: string;
  updated_at?: string;
}

/**
 * A `campaign_sequence_nodes` row. Only `type: "ai"` nodes accept generate-content.
 *
 * @example
 * ```ts
 * const nodeId = emu.addNode(emu.demo.campaignId, { type: "delay" }); // stored as a NodeRow
 * ```
 */
export interface NodeRow {
  id: string;
  campaign_id: string;
  type: string;
  position: number;
  subject?: string;
  body?: string;
  body_html?: string;
  signature?: string;
  from_name?: string;
  reply_to?: string;
  cc?: string;
  bcc?: string;
  attachments?: unknown[];
  include_message?: boolean;
  is_reply?: boolean;
  delay_days?: number;
  delay_hours?: number;
  delay_minutes?: number;
  /** The AI extension row (ai nodes only); `null` until written. */
  ai_node?: { purpose?: string; output_type?: string } | null;
}

/**
 * A generated campaign message (`campaign_prospect_messages` row), unique per (campaign,
 * prospect, node).
 */
export interface GeneratedMessageRow {
  id: string;
  campaign_id: string;
  prospect_id: string;
  node_id: string;
  subject: string;
  body_text: string;
  body_html?: string;
  /** `draft`, `pending` or `sent`. */
  status: string;
  manually_edited: boolean;
  created_at: string;
}

/**
 * A lead, snake_case as on the wire (`Lead` in `openapi.yaml`), plus the emulator's own `id` and
 * `campaign_id`.
 */
export interface LeadRow {
  id: string;
  campaign_id: string;
  first_name?: string;
  last_name?: string;
  full_name?: string;
  email?: string;
  company?: string;
  position?: string;
  headline?: string;
  linkedin_url?: string;
  custom_fields?: Record<string, unknown>;
  /** Prospect status in the campaign (`pending`, `sent`, `replied`, ...). Default `pending`. */
  status?: string;
}

/**
 * A user of the emulated Puffle server, with one API key.
 *
 * @example
 * ```ts
 * const { userId, apiKey } = emu.addUser("alice"); // stored as a UserRow
 * ```
 */
export interface UserRow {
  id: string;
  apiKey: string;
  /** Credit balance for paid operations (generate_ai). Default 100 for seeded users. */
  credits?: number;
}

/**
 * Framing of a run's realtime streams: v1 plain SSE, v2 `event: batch` records.
 *
 * @example
 * ```ts
 * const emu = createEmulator({ streamVersion: "v2" satisfies StreamVersion });
 * ```
 */
export type StreamVersion = "v1" | "v2";

/**
 * Every operation the emulator answers; faults and the ledger are keyed by these names.
 *
 * @example
 * ```ts
 * emu.ledger.requests["turn" satisfies EmulatorOperation];
 * ```
 */
export type EmulatorOperation =
  | "create"
  | "list"
  | "get"
  | "update"
  | "delete"
  | "turn"
  | "generateExamples"
  | "generateContent"
  | "getCampaign"
  | "updateCampaign"
  | "updateNode"
  | "generateMessages"
  | "listMessages"
  | "updateMessage"
  | "runFeed"
  | "stream";

/**
 * Database statuses a failing run may end with.
 *
 * @example
 * ```ts
 * emu.faults.inject({ operation: "turn", kind: "runFails", failureStatus: "CRASHED" satisfies RunFailureStatus });
 * ```
 */
export type RunFailureStatus =
  | "COMPLETED_WITH_ERRORS"
  | "CRASHED"
  | "SYSTEM_FAILURE"
  | "CANCELED"
  | "TIMED_OUT"
  | "INTERRUPTED";
