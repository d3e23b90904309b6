/**
 * The fleet's request limiter in PostgreSQL: every Puffle request of every worker on every
 * machine is admitted by one SQL function (`<schema>.admit`, see schema.ts) that counts the
 * requests of the last 61 s under an advisory lock, so that requests per minute stay under the
 * limit across the fleet, whatever the number of workers. A 429 from Puffle pauses the whole
 * fleet until its `Retry-After` (capped), on top of the SDK's own retry of that request.
 *
 * @module
 */
import { sleep } from "../realtime/internal";
import { ensureSchema, type Sql } from "./schema";

/** The longest pause a 429's `Retry-After` imposes on the fleet (the SDK's own cap is 60 s). */
const MAX_PAUSE_MS = 60_000;

/** A limiter shared through the database. */
export interface PgRequestLimiter {
  /** `fetch` through the limiter: each call waits for the fleet's admission first. */
  wrap(fetch: typeof globalThis.fetch): typeof globalThis.fetch;
  /** Requests this process was admitted for so far. */
  readonly admitted: number;
}

/** `Retry-After` in ms (seconds or an HTTP date), capped; undefined when absent or bad. */
function pauseOf(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1_000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, MAX_PAUSE_MS) : undefined;
}

/**
 * A request limiter of `requestsPerMinute` for every process that uses the same database and
 * schema.
 *
 * @param sql - pg-boss's database (`boss.getDb()`).
 * @param requestsPerMinute - the fleet's limit (Puffle's per-key limit, or lower).
 * @param schema - the adapter's schema; default `puffle_chat`.
 * @returns the limiter.
 * @throws TypeError when the limit is not a whole number of at least 1.
 * @example
 * ```ts
 * import { PgBoss } from "pg-boss";
 * import { PuffleClient } from "puffle-chat";
 * import { createPgRequestLimiter } from "puffle-chat/pg-boss";
 * const boss = new PgBoss(process.env.DATABASE_URL ?? "");
 * await boss.start();
 * const limiter = createPgRequestLimiter(boss.getDb(), 120);
 * const puffle = new PuffleClient({ fetch: limiter.wrap(fetch) });
 * ```
 */
export function createPgRequestLimiter(
  sql: Sql,
  requestsPerMinute: number,
  schema = "puffle_chat",
): PgRequestLimiter {
  if (!Number.isSafeInteger(requestsPerMinute) || requestsPerMinute < 1) {
    throw new TypeError(
      `puffle-chat/pg-boss: requestsPerMinute must be a whole number of at least 1 (got ${String(requestsPerMinute)}).`,
    );
  }
  let admitted = 0;
  const admit = async (signal: AbortSignal | null | undefined) => {
    await ensureSchema(sql, schema);
    for (;;) {
      const { rows } = await sql.executeSql(`SELECT ${schema}.admit($1) AS wait`, [
        requestsPerMinute,
      ]);
      const wait = Number(rows[0]?.wait ?? 0);
      if (wait <= 0) return;
      await sleep(Math.min(wait, 5_000), signal ?? undefined);
    }
  };
  const pause = async (ms: number) => {
    await sql.executeSql(
      `INSERT INTO ${schema}.pause (id, until) VALUES (1, clock_timestamp() + $1 * interval '1 millisecond')
       ON CONFLICT (id) DO UPDATE SET until = GREATEST(${schema}.pause.until, EXCLUDED.until)`,
      [ms],
    );
  };
  return {
    wrap: (fetch) => async (input, init) => {
      const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
      await admit(signal);
      admitted += 1;
      const response = await fetch(input, init);
      const ms = response.status === 429 ? pauseOf(response.headers.get("retry-after")) : undefined;
      if (ms !== undefined) await pause(ms);
      return response;
    },
    get admitted() {
      return admitted;
    },
  };
}
