/**
 * The tables the pg-boss adapter keeps beside pg-boss's own, in a schema of their own
 * (`puffle_chat` by default): the dispatch store, the fleet's request window and 429 pause, and
 * each campaign node's progress. Created once per process by {@link ensureSchema}, in one
 * statement under an advisory lock, so that workers starting together do not race.
 *
 * @internal
 * @module
 */

/** What the adapter runs its SQL through: pg-boss's own pool (`boss.getDb()`). */
export interface Sql {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** A schema name we put in SQL text: plain identifiers only. */
export function checkSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new TypeError(
      `puffle-chat/pg-boss: schema must be a plain lower-case identifier (letters, digits, _), got ${JSON.stringify(schema)}.`,
    );
  }
  return schema;
}

/**
 * The request window is 61 s, not 60: a request is counted when the database admits it and
 * reaches Puffle a little later, so two requests admitted 60.0 s apart can arrive 59.9 s apart.
 * One second of margin keeps Puffle's own 60 s count within the limit.
 */
export const WINDOW_SECONDS = 61;

/** The DDL and the admission function, idempotent. */
function ddl(s: string): string {
  return `
DO $setup$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('puffle-chat/pg-boss/${s}'));
  CREATE SCHEMA IF NOT EXISTS ${s};
  CREATE TABLE IF NOT EXISTS ${s}.store (
    key text PRIMARY KEY,
    value jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE IF NOT EXISTS ${s}.requests (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT clock_timestamp()
  );
  CREATE INDEX IF NOT EXISTS requests_at ON ${s}.requests (at);
  CREATE TABLE IF NOT EXISTS ${s}.pause (
    id int PRIMARY KEY,
    until timestamptz NOT NULL
  );
  CREATE TABLE IF NOT EXISTS ${s}.nodes (
    campaign_id text NOT NULL,
    node_id text NOT NULL,
    position int NOT NULL,
    status text NOT NULL,
    session_id text,
    turns int NOT NULL DEFAULT 0,
    duplicates jsonb NOT NULL DEFAULT '[]',
    detail text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (campaign_id, node_id)
  );
  -- Admit one request under limit per ${WINDOW_SECONDS} s for the whole fleet: 0 when admitted (and
  -- counted), else the milliseconds to wait. Serialised by a transaction-scoped advisory lock.
  CREATE OR REPLACE FUNCTION ${s}.admit(lim int) RETURNS double precision
  LANGUAGE plpgsql AS $admit$
  DECLARE
    n int;
    oldest timestamptz;
    paused timestamptz;
    now_ts timestamptz := clock_timestamp();
  BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('puffle-chat/admit/${s}'));
    DELETE FROM ${s}.requests WHERE at <= now_ts - interval '${WINDOW_SECONDS} seconds';
    SELECT until INTO paused FROM ${s}.pause WHERE id = 1;
    IF paused IS NOT NULL AND paused > now_ts THEN
      RETURN GREATEST(1, EXTRACT(EPOCH FROM (paused - now_ts)) * 1000);
    END IF;
    SELECT count(*), min(at) INTO n, oldest FROM ${s}.requests;
    IF lim IS NULL OR n < lim THEN
      INSERT INTO ${s}.requests (at) VALUES (now_ts);
      RETURN 0;
    END IF;
    RETURN GREATEST(1, EXTRACT(EPOCH FROM (oldest + interval '${WINDOW_SECONDS} seconds' - now_ts)) * 1000);
  END
  $admit$;
END
$setup$;`;
}

const done = new WeakMap<Sql, Map<string, Promise<void>>>();

/** Create the schema once per pool and schema name (later calls share the first one's promise). */
export function ensureSchema(sql: Sql, schema: string): Promise<void> {
  let bySchema = done.get(sql);
  if (!bySchema) {
    bySchema = new Map();
    done.set(sql, bySchema);
  }
  let ready = bySchema.get(schema);
  if (!ready) {
    ready = sql.executeSql(ddl(checkSchemaName(schema))).then(() => undefined);
    ready.catch(() => bySchema.delete(schema));
    bySchema.set(schema, ready);
  }
  return ready;
}
