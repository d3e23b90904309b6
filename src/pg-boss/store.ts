/**
 * The dispatch store in PostgreSQL: the `DispatchStore` of `advanceSession` (get and set JSON by
 * key), shared by every worker on every machine, so that a step retried elsewhere after a crash
 * or a lost lease reconciles the in-flight turn instead of sending it again.
 *
 * @module
 */
import type { DispatchStore } from "../core/draft-types";
import { ensureSchema, type Sql } from "./schema";

/**
 * A dispatch store in the database pg-boss uses (table `<schema>.store`).
 *
 * @param sql - pg-boss's database (`boss.getDb()`).
 * @param schema - the adapter's schema; default `puffle_chat`.
 * @returns the store.
 * @example
 * ```ts
 * import { PgBoss } from "pg-boss";
 * import { createPgStore } from "puffle-chat/pg-boss";
 * const boss = new PgBoss(process.env.DATABASE_URL ?? "");
 * await boss.start();
 * const store = createPgStore(boss.getDb());
 * await store.set("k", { a: 1 });
 * ```
 */
export function createPgStore(sql: Sql, schema = "puffle_chat"): DispatchStore {
  return {
    async get(key) {
      await ensureSchema(sql, schema);
      const { rows } = await sql.executeSql(`SELECT value FROM ${schema}.store WHERE key = $1`, [
        key,
      ]);
      return rows[0]?.value ?? undefined;
    },
    async set(key, value) {
      await ensureSchema(sql, schema);
      await sql.executeSql(
        `INSERT INTO ${schema}.store (key, value) VALUES ($1, $2::jsonb)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        [key, JSON.stringify(value ?? null)],
      );
    },
  };
}
