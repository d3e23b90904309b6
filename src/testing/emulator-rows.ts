/**
 * What the emulator's inspection and seeding methods do to the store: kept here so that the
 * `Emulator` class stays a facade of documented one-line methods.
 *
 * @internal
 * @module
 */

import { PuffleError } from "../base/puffle-error";
import type { ChatStreamChunk } from "../realtime/events";
import { apiKeyFrom, randomUuid } from "./ids";
import { mapRunStatus, type RunState } from "./runs";
import type { Store } from "./store";
import type { LeadRow, NodeRow, StreamVersion } from "./types";

/**
 * What `Emulator.getRun` returns: a run as the emulator sees it.
 *
 * @example
 * ```ts
 * const run: EmulatorRunInfo | undefined = emu.getRun(handle.runId);
 * run?.chunks.filter((c) => c.type === "delta");
 * ```
 */
export interface EmulatorRunInfo {
  id: string;
  taskIdentifier: string;
  /** Database status, e.g. `EXECUTING`, `COMPLETED_SUCCESSFULLY`. */
  status: string;
  /** Status as the official client maps it, e.g. `COMPLETED`. */
  mappedStatus: string;
  output: unknown;
  error: Record<string, unknown> | null;
  metadata: Record<string, unknown>;
  streamVersion: StreamVersion;
  /** Every chunk written to the `chat` stream so far. */
  chunks: ChatStreamChunk[];
  completed: boolean;
}

/** A run as the emulator shows it, a deep copy. */
export function runInfo(run: RunState): EmulatorRunInfo {
  return structuredClone({
    id: run.friendlyId,
    taskIdentifier: run.taskIdentifier,
    status: run.status,
    mappedStatus: mapRunStatus(run.status),
    output: run.output,
    error: run.error,
    metadata: run.metadata,
    streamVersion: run.streamVersion,
    chunks: run.records.map((r) => r.chunk),
    completed: run.completedAt !== null,
  });
}

/** Add a user whose API key is derived from `label`. */
export function insertUser(store: Store, label: string): { userId: string; apiKey: string } {
  const userId = randomUuid();
  const apiKey = apiKeyFrom(`user/${label}`);
  store.users.set(userId, { id: userId, apiKey });
  return { userId, apiKey };
}

/** Options of `Emulator.addCampaign`. */
export interface NewCampaign {
  userId?: string;
  status?: string;
  name?: string;
  type?: string;
}

/** Add a campaign of `userId` (unless the options name another) with one `ai` node. */
export function insertCampaign(
  store: Store,
  userId: string,
  options: NewCampaign,
): { campaignId: string; nodeId: string } {
  const campaignId = randomUuid();
  store.campaigns.set(campaignId, {
    id: campaignId,
    user_id: options.userId ?? userId,
    name: options.name ?? "Emulated campaign",
    status: options.status ?? "draft",
    type: options.type ?? "email",
    created_at: new Date().toISOString(),
  });
  return { campaignId, nodeId: insertNode(store, campaignId, {}) };
}

/** Options of `Emulator.addNode`: its type, position and content. */
export type NewNode = { type?: string; position?: number } & Partial<
  Omit<NodeRow, "id" | "campaign_id" | "type" | "position">
>;

/** Add a sequence node (default `type: "ai"`, placed last) to an existing campaign. */
export function insertNode(store: Store, campaignId: string, options: NewNode): string {
  if (!store.campaigns.has(campaignId))
    throw new PuffleError(`No campaign ${campaignId} in the emulator`);
  const id = randomUuid();
  const position =
    options.position ??
    [...store.nodes.values()].filter((n) => n.campaign_id === campaignId).length;
  const { type = "ai", position: _position, ...content } = options;
  store.nodes.set(id, {
    ...structuredClone(content),
    id,
    campaign_id: campaignId,
    type,
    position,
  });
  return id;
}

/** Add a lead to a campaign; a copy of the stored row. */
export function insertLead(
  store: Store,
  campaignId: string,
  lead: Omit<LeadRow, "id" | "campaign_id">,
): LeadRow {
  const row: LeadRow = { ...lead, id: randomUuid(), campaign_id: campaignId };
  store.leads.set(row.id, row);
  return structuredClone(row);
}
