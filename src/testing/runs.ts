import type { ChatStreamChunk } from "../realtime/events";
import { newPublicToken, randomAlnum } from "./ids";
import type { StreamVersion } from "./types";

/**
 * Trigger.dev runs of the emulator: their rows (as the run feed sends them), their change log
 * (for long-poll offsets), their `chat` stream chunks and their public access tokens.
 *
 * @module
 */

/** One chunk written to a run's stream. */
export interface StreamRecord {
  /** 1-based position in the stream (the v2 `seq_num`). */
  seq: number;
  /** Epoch ms when written. */
  timestamp: number;
  /** The v1 event id: `<timestamp>-<seq>` (a Redis stream id). */
  v1Id: string;
  /** The v2 record body id, used by clients to de-duplicate. */
  recordId: string;
  chunk: ChatStreamChunk;
}

/** A run as the emulator keeps it. Dates are `Date`; the feed encodes them. */
export interface RunState {
  internalId: string;
  friendlyId: string;
  number: number;
  taskIdentifier: string;
  status: string;
  createdAt: Date;
  updatedAt: Date;
  queuedAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  payload: unknown;
  output: unknown;
  metadata: Record<string, unknown>;
  error: Record<string, unknown> | null;
  usageDurationMs: number;
  costInCents: number;
  tags: string[];
  streamVersion: StreamVersion;
  /** The Electric shape handle of this run's feed. */
  handle: string;
  /** Offset counter: goes up by one on every change of the row. */
  version: number;
  /** Which columns changed at which version. */
  changes: { version: number; columns: string[] }[];
  /** Chunks of the `chat` stream. */
  records: StreamRecord[];
  /** True once no chunk will ever be added. */
  streamClosed: boolean;
  listeners: Set<() => void>;
}

/** Columns of the run feed and their `electric-schema` types. */
export const RUN_SCHEMA: Record<string, { type: string; dims?: number; pk_index?: number }> = {
  id: { type: "text", pk_index: 0 },
  friendlyId: { type: "text" },
  taskIdentifier: { type: "text" },
  status: { type: "text" },
  createdAt: { type: "timestamp" },
  updatedAt: { type: "timestamp" },
  startedAt: { type: "timestamp" },
  delayUntil: { type: "timestamp" },
  queuedAt: { type: "timestamp" },
  expiredAt: { type: "timestamp" },
  completedAt: { type: "timestamp" },
  idempotencyKey: { type: "text" },
  number: { type: "int4" },
  isTest: { type: "bool" },
  usageDurationMs: { type: "int4" },
  costInCents: { type: "float8" },
  baseCostInCents: { type: "float8" },
  ttl: { type: "text" },
  payload: { type: "text" },
  payloadType: { type: "text" },
  metadata: { type: "text" },
  metadataType: { type: "text" },
  output: { type: "text" },
  outputType: { type: "text" },
  runTags: { type: "text", dims: 1 },
  error: { type: "jsonb" },
  realtimeStreams: { type: "text", dims: 1 },
};

/** The Electric row key of a run. */
export function rowKey(run: RunState): string {
  return `"public"."TaskRun"/"${run.internalId}"`;
}

/** A timestamp as Postgres text in the feed: ISO without the trailing `Z`. */
export function feedDate(date: Date | null): string | null {
  return date ? date.toISOString().slice(0, -1) : null;
}

function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, "\\$&")}"`).join(",")}}`;
}

/** Encode a run as the feed sends it (every value a string or null); only `columns` when given. */
export function encodeRow(
  run: RunState,
  columns?: readonly string[],
): Record<string, string | null> {
  const streams = Array.isArray(run.metadata.$$streams) ? (run.metadata.$$streams as string[]) : [];
  const full: Record<string, string | null> = {
    id: run.internalId,
    friendlyId: run.friendlyId,
    taskIdentifier: run.taskIdentifier,
    status: run.status,
    createdAt: feedDate(run.createdAt),
    updatedAt: feedDate(run.updatedAt),
    startedAt: feedDate(run.startedAt),
    delayUntil: null,
    queuedAt: feedDate(run.queuedAt),
    expiredAt: null,
    completedAt: feedDate(run.completedAt),
    idempotencyKey: null,
    number: String(run.number),
    isTest: "f",
    usageDurationMs: String(run.usageDurationMs),
    costInCents: String(run.costInCents),
    baseCostInCents: "0",
    ttl: null,
    payload: JSON.stringify(run.payload),
    payloadType: "application/json",
    metadata: JSON.stringify(run.metadata),
    metadataType: "application/json",
    output: run.output === undefined ? null : JSON.stringify(run.output),
    outputType: run.output === undefined ? null : "application/json",
    runTags: pgArray(run.tags),
    error: run.error ? JSON.stringify(run.error) : null,
    realtimeStreams: pgArray(streams),
  };
  if (!columns) return full;
  const out: Record<string, string | null> = {};
  for (const c of columns) out[c] = full[c] ?? null;
  return out;
}

/** Map a database run status to the name the official client uses. */
export function mapRunStatus(status: string): string {
  switch (status) {
    case "PENDING":
      return "QUEUED";
    case "EXECUTING":
    case "RETRYING_AFTER_FAILURE":
      return "EXECUTING";
    case "COMPLETED_SUCCESSFULLY":
      return "COMPLETED";
    case "COMPLETED_WITH_ERRORS":
    case "INTERRUPTED":
      return "FAILED";
    case "PAUSED":
    case "WAITING_TO_RESUME":
      return "WAITING";
    default:
      return status;
  }
}

const COLUMN_OF: Record<string, string[]> = {
  status: ["status"],
  startedAt: ["startedAt"],
  completedAt: ["completedAt"],
  output: ["output", "outputType"],
  metadata: ["metadata", "realtimeStreams"],
  error: ["error"],
  usageDurationMs: ["usageDurationMs"],
  costInCents: ["costInCents"],
};

/** A patch of a run's mutable fields. */
export type RunPatch = Partial<
  Pick<
    RunState,
    | "status"
    | "startedAt"
    | "completedAt"
    | "output"
    | "metadata"
    | "error"
    | "usageDurationMs"
    | "costInCents"
  >
>;

/** What a new run is made of. */
interface NewRun {
  taskIdentifier: string;
  payload: unknown;
  sessionId: string;
  streamVersion: StreamVersion;
}

/** A PENDING run numbered `number`, with an empty `chat` stream. */
function newRun(number: number, options: NewRun): RunState {
  const now = new Date();
  return {
    internalId: `cm${randomAlnum(23)}`,
    friendlyId: `run_${randomAlnum(25)}`,
    number,
    taskIdentifier: options.taskIdentifier,
    status: "PENDING",
    createdAt: now,
    updatedAt: now,
    queuedAt: now,
    startedAt: null,
    completedAt: null,
    payload: options.payload,
    output: undefined,
    metadata: { $$streams: ["chat"], session_id: options.sessionId },
    error: null,
    usageDurationMs: 0,
    costInCents: 0,
    tags: [`session:${options.sessionId}`],
    streamVersion: options.streamVersion,
    handle: `${number}-${Date.now()}`,
    version: 0,
    changes: [],
    records: [],
    streamClosed: false,
    listeners: new Set(),
  };
}

/** The runs, stream records and public tokens of one emulator. */
export class RunRegistry {
  readonly runs = new Map<string, RunState>();
  readonly #tokens = new Map<string, { runId: string; expiresAt: number }>();
  #number = 0;

  /** Create a PENDING run with a `chat` stream. */
  create(options: NewRun): RunState {
    this.#number += 1;
    const run = newRun(this.#number, options);
    this.runs.set(run.friendlyId, run);
    return run;
  }

  /** Apply `patch`, bump the offset, record the changed columns and wake waiters. */
  update(run: RunState, patch: RunPatch): void {
    const columns = new Set<string>(["updatedAt"]);
    for (const [key, value] of Object.entries(patch)) {
      (run as unknown as Record<string, unknown>)[key] = value;
      for (const c of COLUMN_OF[key] ?? [key]) columns.add(c);
    }
    run.updatedAt = new Date();
    run.version += 1;
    run.changes.push({ version: run.version, columns: [...columns] });
    this.#notify(run);
  }

  /** Columns changed after version `since`. */
  changedSince(run: RunState, since: number): string[] {
    const out = new Set<string>();
    for (const change of run.changes)
      if (change.version > since) for (const c of change.columns) out.add(c);
    return [...out];
  }

  /** Give the feed a new shape handle (clients holding the old one get 409 must-refetch). */
  rotateHandle(run: RunState): void {
    run.handle = `${run.number}-${Date.now()}-${randomAlnum(4)}`;
  }

  /** Append one chunk to the run's `chat` stream. */
  append(run: RunState, chunk: ChatStreamChunk): void {
    if (run.streamClosed) return;
    const seq = run.records.length + 1;
    const timestamp = Date.now();
    run.records.push({
      seq,
      timestamp,
      v1Id: `${timestamp}-${seq}`,
      recordId: randomAlnum(16),
      chunk,
    });
    this.#notify(run);
  }

  /** No more chunks will be written. */
  closeStream(run: RunState): void {
    run.streamClosed = true;
    this.#notify(run);
  }

  /** Call `listener` on every change of `run`; returns the unsubscribe function. */
  listen(run: RunState, listener: () => void): () => void {
    run.listeners.add(listener);
    return () => run.listeners.delete(listener);
  }

  #notify(run: RunState): void {
    for (const listener of [...run.listeners]) listener();
  }

  /** Mint a public token for `runId`, valid `ttlMs` (a non-positive ttl gives an expired token). */
  mintToken(runId: string, ttlMs: number): string {
    const token = newPublicToken();
    this.#tokens.set(token, { runId, expiresAt: Date.now() + ttlMs });
    return token;
  }

  /** Whether `token` is valid now for `runId`. */
  tokenValid(token: string | undefined, runId: string): boolean {
    if (!token) return false;
    const entry = this.#tokens.get(token);
    return !!entry && entry.runId === runId && entry.expiresAt > Date.now();
  }

  /** Expire every token of `runId` now. */
  expireTokens(runId: string): void {
    for (const entry of this.#tokens.values()) if (entry.runId === runId) entry.expiresAt = 0;
  }
}
