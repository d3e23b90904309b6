/**
 * RunUpdate: one snapshot of a Trigger.dev run as the realtime feed reports it, decoded the same way
 * by every transport (the default Electric one and the optional `@trigger.dev/sdk` one).
 *
 * @module
 */

import type { RunErrorInfo, RunStatus } from "./events";

/**
 * A decoded snapshot of a run, yielded by `subscribeToRun` (puffle-chat/realtime) every time the run row changes.
 *
 * @example
 * ```ts
 * for await (const run of subscribeToRun({ runId, publicAccessToken })) {
 *   console.log(run.status, run.isCompleted ? run.output : "…");
 * }
 * ```
 */
export interface RunUpdate {
  /** The run's public id (`run_…`). */
  id: string;
  /** The task that runs, for example `framework-chat-turn`. */
  taskIdentifier: string;
  /** The mapped status (see {@link mapRunStatus}). */
  status: RunStatus;
  /** QUEUED, PENDING_VERSION or DELAYED. */
  isQueued: boolean;
  /** WAITING. */
  isWaiting: boolean;
  /** EXECUTING or DEQUEUED. */
  isExecuting: boolean;
  /** The run finished for good (`completedAt` is set); the feed ends after this update. */
  isCompleted: boolean;
  /** Status COMPLETED. */
  isSuccess: boolean;
  /** Status FAILED, CRASHED, SYSTEM_FAILURE, EXPIRED or TIMED_OUT. */
  isFailed: boolean;
  /** Status CANCELED. */
  isCancelled: boolean;
  /** The run's payload, decoded from its packet, when the feed carries it. */
  payload?: unknown;
  /** The run's output, decoded from its JSON packet, once it has one. */
  output?: unknown;
  /** The run's metadata, decoded from its packet (`$$streams` lists its realtime streams). */
  metadata?: Record<string, unknown>;
  /** The error of a failed run. */
  error?: RunErrorInfo;
  createdAt: Date;
  updatedAt: Date;
  startedAt?: Date;
  queuedAt?: Date;
  delayedUntil?: Date;
  expiredAt?: Date;
  /** When the run finished (`completedAt` on the wire). */
  finishedAt?: Date;
  /** The run's tags. */
  tags: string[];
  /** Realtime stream keys the run has written (`realtimeStreams` column). */
  realtimeStreams: string[];
  isTest: boolean;
  /** Compute time so far, in milliseconds. */
  durationMs: number;
  costInCents: number;
  baseCostInCents: number;
  idempotencyKey?: string;
}

/**
 * Map a database run status to the name the official client uses. `PENDING`→QUEUED,
 * `EXECUTING`/`RETRYING_AFTER_FAILURE`→EXECUTING, `COMPLETED_SUCCESSFULLY`→COMPLETED,
 * `COMPLETED_WITH_ERRORS`/`INTERRUPTED`→FAILED, `PAUSED`/`WAITING_TO_RESUME`→WAITING,
 * `WAITING_FOR_DEPLOY`/`PENDING_VERSION`→PENDING_VERSION (as the official client does);
 * CANCELED, CRASHED, SYSTEM_FAILURE, EXPIRED, TIMED_OUT, DELAYED, DEQUEUED keep their names; anything
 * else reads as QUEUED.
 *
 * @example
 * ```ts
 * mapRunStatus("COMPLETED_SUCCESSFULLY"); // "COMPLETED"
 * mapRunStatus("SOMETHING_NEW");          // "QUEUED"
 * ```
 */
export function mapRunStatus(dbStatus: string): RunStatus {
  switch (dbStatus) {
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
    case "WAITING_FOR_DEPLOY":
    case "PENDING_VERSION":
      return "PENDING_VERSION";
    case "CANCELED":
    case "CRASHED":
    case "SYSTEM_FAILURE":
    case "EXPIRED":
    case "TIMED_OUT":
    case "DELAYED":
    case "DEQUEUED":
      return dbStatus;
    default:
      return "QUEUED";
  }
}

const FAILED = new Set(["FAILED", "CRASHED", "SYSTEM_FAILURE", "EXPIRED", "TIMED_OUT"]);

/**
 * The boolean helpers of a {@link RunUpdate}, from its mapped status and whether it has finished.
 * @internal
 */
export function statusFlags(
  status: RunStatus,
  finished: boolean,
): Pick<
  RunUpdate,
  | "isQueued"
  | "isWaiting"
  | "isExecuting"
  | "isCompleted"
  | "isSuccess"
  | "isFailed"
  | "isCancelled"
> {
  return {
    isQueued: status === "QUEUED" || status === "PENDING_VERSION" || status === "DELAYED",
    isWaiting: status === "WAITING",
    isExecuting: status === "EXECUTING" || status === "DEQUEUED",
    isCompleted: finished,
    isSuccess: status === "COMPLETED",
    isFailed: FAILED.has(status),
    isCancelled: status === "CANCELED",
  };
}

/**
 * Decode a Trigger.dev data packet. `application/json` is parsed (left as the string when it is not
 * JSON); `application/super+json` is parsed and its `json` member returned (superjson's extra type
 * information, such as Dates, is not revived); `text/plain` and unknown types stay strings;
 * `application/store` (a packet offloaded to object storage) cannot be fetched with a public token
 * and reads as `undefined`.
 * @internal
 */
export function parsePacket(data: unknown, dataType: unknown): unknown {
  if (data === null || data === undefined) return undefined;
  if (typeof data !== "string") return data;
  switch (dataType) {
    case "application/json":
      return safeJson(data);
    case "application/super+json": {
      const parsed = safeJson(data);
      return isRecord(parsed) && "json" in parsed ? parsed.json : parsed;
    }
    case "application/store":
      return undefined;
    default:
      return data;
  }
}

/**
 * Normalise a run error the way the official client does (`createJsonErrorObject`):
 * `BUILT_IN_ERROR` keeps name, message and stack; string and custom errors become `{ message }`.
 * @internal
 */
export function normalizeRunError(raw: unknown): RunErrorInfo | undefined {
  const error = typeof raw === "string" ? safeJson(raw) : raw;
  if (!isRecord(error)) return error == null ? undefined : { message: String(error) };
  switch (error.type) {
    case "BUILT_IN_ERROR":
      return {
        name: error.name as string,
        message: error.message as string,
        stackTrace: error.stackTrace as string,
        ...(Array.isArray(error.causes) && error.causes.length > 0 ? { causes: error.causes } : {}),
      };
    case "STRING_ERROR":
    case "CUSTOM_ERROR":
      return { message: error.raw as string };
    case "INTERNAL_ERROR":
      return { message: `trigger.dev internal error (${String(error.code)})` };
    default:
      return { ...error };
  }
}

/**
 * Parse a feed timestamp. Trigger.dev sends `timestamp` columns as ISO strings without a zone, in
 * UTC; a value that already carries a zone is accepted as is.
 * @internal
 */
export function parseFeedDate(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value !== "string" || value === "") return undefined;
  const zoned = /(?:Z|[+-]\d\d(?::?\d\d)?)$/i.test(value) ? value : `${value}Z`;
  const date = new Date(zoned.includes("T") ? zoned : zoned.replace(" ", "T"));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Turn one decoded Electric row of the run feed into a {@link RunUpdate}. Returns a string describing
 * the problem when the row lacks the columns every run has.
 * @internal
 */
export function rowToRunUpdate(row: Record<string, unknown>): RunUpdate | string {
  const id = row.friendlyId;
  if (typeof id !== "string" || id === "") return "the row has no friendlyId";
  const rawStatus = typeof row.status === "string" ? row.status : "";
  const status = mapRunStatus(rawStatus);
  const finishedAt = parseFeedDate(row.completedAt);
  const createdAt = parseFeedDate(row.createdAt) ?? new Date(0);
  const metadata =
    row.metadata != null && row.metadataType
      ? parsePacket(row.metadata, row.metadataType)
      : undefined;
  const update: RunUpdate = {
    id,
    taskIdentifier: typeof row.taskIdentifier === "string" ? row.taskIdentifier : "",
    status,
    ...statusFlags(status, finishedAt !== undefined),
    createdAt,
    updatedAt: parseFeedDate(row.updatedAt) ?? createdAt,
    tags: stringArray(row.runTags),
    realtimeStreams: stringArray(row.realtimeStreams),
    isTest: row.isTest === true || row.isTest === "t" || row.isTest === "true",
    durationMs: numberOr(row.usageDurationMs),
    costInCents: numberOr(row.costInCents),
    baseCostInCents: numberOr(row.baseCostInCents),
  };
  if (row.payloadType) assign(update, "payload", parsePacket(row.payload, row.payloadType));
  if (row.outputType) assign(update, "output", parsePacket(row.output, row.outputType));
  if (isRecord(metadata)) update.metadata = metadata;
  assign(update, "error", row.error == null ? undefined : normalizeRunError(row.error));
  assign(update, "startedAt", parseFeedDate(row.startedAt));
  assign(update, "queuedAt", parseFeedDate(row.queuedAt));
  assign(update, "delayedUntil", parseFeedDate(row.delayUntil));
  assign(update, "expiredAt", parseFeedDate(row.expiredAt));
  assign(update, "finishedAt", finishedAt);
  if (typeof row.idempotencyKey === "string") update.idempotencyKey = row.idempotencyKey;
  return update;
}

/**
 * The stream keys a run has written: `metadata.$$streams` when it is a non-empty string array,
 * else `realtimeStreams` (the official client's rule).
 *
 * @example
 * ```ts
 * if (streamsOf(run).includes("chat")) { … }
 * ```
 */
export function streamsOf(run: Pick<RunUpdate, "metadata" | "realtimeStreams">): string[] {
  const fromMetadata = run.metadata?.$$streams;
  if (
    Array.isArray(fromMetadata) &&
    fromMetadata.length > 0 &&
    fromMetadata.every((key) => typeof key === "string")
  ) {
    return fromMetadata as string[];
  }
  return run.realtimeStreams;
}

/** @internal */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function stringArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
  if (typeof value === "string" && value.startsWith("{") && value.endsWith("}")) {
    // A Postgres array literal the Electric parser did not decode (no schema for the column).
    const inner = value.slice(1, -1);
    if (inner === "") return [];
    return inner.split(",").map((item) => item.replace(/^"(.*)"$/, "$1").replace(/\\(.)/g, "$1"));
  }
  return [];
}

function numberOr(value: unknown): number {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : 0;
}

function assign<K extends keyof RunUpdate>(
  target: RunUpdate,
  key: K,
  value: RunUpdate[K] | undefined,
) {
  if (value !== undefined) target[key] = value as RunUpdate[K];
}
