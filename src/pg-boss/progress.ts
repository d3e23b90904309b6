/**
 * What the workers recorded of a campaign: one row per selected node.
 *
 * @module
 */
import { ensureSchema, type Sql } from "./schema";

/** One node's state as the workers last recorded it. */
export interface NodeProgress {
  nodeId: string;
  position: number;
  /** `pending`, `running`, `drafted`, `finished`, `needs_attention` or `failed`. */
  status: string;
  sessionId: string | null;
  turns: number;
  /** Turns whose message appears more than once in the transcript: paid twice, reported. */
  duplicates: number[];
  detail: string;
  updatedAt: Date;
}

/**
 * The progress of a queued campaign draft, in sequence order (empty before its campaign job ran).
 *
 * @param sql - pg-boss's database (`boss.getDb()`).
 * @param campaignId - the campaign.
 * @param schema - the adapter's schema; default `puffle_chat`.
 * @returns one row per node.
 * @example
 * ```ts
 * import { PgBoss } from "pg-boss";
 * import { campaignDraftProgress } from "puffle-chat/pg-boss";
 * const boss = new PgBoss(process.env.DATABASE_URL ?? "");
 * await boss.start();
 * const nodes = await campaignDraftProgress(boss.getDb(), process.env.PUFFLE_CAMPAIGN_ID ?? "");
 * console.log(nodes.every((n) => n.status === "drafted"));
 * ```
 */
export async function campaignDraftProgress(
  sql: Sql,
  campaignId: string,
  schema = "puffle_chat",
): Promise<NodeProgress[]> {
  await ensureSchema(sql, schema);
  const { rows } = await sql.executeSql(
    `SELECT node_id, position, status, session_id, turns, duplicates, detail, updated_at
     FROM ${schema}.nodes WHERE campaign_id = $1 ORDER BY position`,
    [campaignId],
  );
  return rows.map((r) => ({
    nodeId: String(r.node_id),
    position: Number(r.position),
    status: String(r.status),
    sessionId: r.session_id === null ? null : String(r.session_id),
    turns: Number(r.turns),
    duplicates: (r.duplicates as number[]) ?? [],
    detail: String(r.detail),
    updatedAt: r.updated_at as Date,
  }));
}
