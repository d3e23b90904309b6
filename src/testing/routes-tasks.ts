import type { EmulatorContext } from "./context";
import type { ActiveFault } from "./faults";
import { fail, json, readJsonObject } from "./http";
import { type ExamplesInput, startExamplesTask, startTurnTask, type TurnInput } from "./tasks";
import type { SessionRow, StreamVersion } from "./types";

/**
 * Route handlers that dispatch a task: `/turn` and `/generate-examples`. Both claim the session
 * atomically (409 when busy), release the claim on a dispatch 500, and answer a RunHandle.
 *
 * @module
 */

/** Per-request overrides read from `x-emulator-*` headers. */
export function requestOverrides(
  ctx: EmulatorContext,
  request: Request,
): { durationMs: number; streamVersion: StreamVersion } {
  const raw = request.headers.get("x-emulator-task-duration-ms");
  const parsed = raw === null ? Number.NaN : Number(raw);
  const version = request.headers.get("x-emulator-stream-version");
  return {
    durationMs: Number.isFinite(parsed) && parsed >= 0 ? parsed : ctx.settings.taskDurationMs,
    streamVersion: version === "v1" || version === "v2" ? version : ctx.settings.streamVersion,
  };
}

function isRecordArray(value: unknown): value is Record<string, unknown>[] {
  return (
    Array.isArray(value) &&
    value.every((v) => typeof v === "object" && v !== null && !Array.isArray(v))
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Validate the body of `/turn`: the input, or a 400 answer. */
export function parseTurnBody(
  body: Record<string, unknown>,
  keys = { leads: "sampleLeads", context: "sequenceContext" },
): TurnInput | Response {
  const { message, availableVarNames } = body;
  const sampleLeads = body[keys.leads];
  const sequenceContext = body[keys.context];
  if (typeof message !== "string" || message.trim() === "") return fail(400, "message is required");
  if (
    availableVarNames !== undefined &&
    !(Array.isArray(availableVarNames) && availableVarNames.every((v) => typeof v === "string"))
  ) {
    return fail(400, "availableVarNames must be an array of strings");
  }
  if (sampleLeads !== undefined && !isRecordArray(sampleLeads))
    return fail(400, `${keys.leads} must be an array of objects`);
  if (sequenceContext !== undefined && !isObject(sequenceContext))
    return fail(400, `${keys.context} must be an object`);
  return {
    message,
    availableVarNames: availableVarNames as string[] | undefined,
    sampleLeads,
    sequenceContext: sequenceContext as TurnInput["sequenceContext"],
  };
}

/** Claim `session` for `status`; the 409 answer when it is busy. */
export function claim(session: SessionRow, status: string): Response | undefined {
  if (session.task_status !== null) return fail(409, `Session is busy (${session.task_status})`);
  session.task_status = status;
  return undefined;
}

function dispatchFailed(session: SessionRow): Response {
  session.task_status = null;
  return fail(500, "Failed to dispatch the task. The session was released; retry.");
}

function handle(ctx: EmulatorContext, runId: string, fault: ActiveFault | undefined): Response {
  const ttl = fault?.kind === "expiredToken" ? -1 : ctx.settings.tokenTtlMs;
  return json(200, { runId, publicAccessToken: ctx.runs.mintToken(runId, ttl) });
}

/** `POST …/{id}/turn`. */
export async function turn(
  ctx: EmulatorContext,
  request: Request,
  session: SessionRow,
  fault: ActiveFault | undefined,
): Promise<Response> {
  const body = await readJsonObject(request);
  if (body instanceof Response) return body;
  const input = parseTurnBody(body);
  if (input instanceof Response) return input;
  const busy = claim(session, "chat_processing");
  if (busy) return busy;
  if (fault?.kind === "dispatch500") return dispatchFailed(session);
  const { durationMs, streamVersion } = requestOverrides(ctx, request);
  const run = ctx.runs.create({
    taskIdentifier: "framework-chat-turn",
    payload: { sessionId: session.id, ...body },
    sessionId: session.id,
    streamVersion,
  });
  ctx.ledger.dispatches.push({
    operation: "turn",
    sessionId: session.id,
    runId: run.friendlyId,
    message: input.message,
    at: Date.now(),
  });
  startTurnTask(ctx, run, session.id, input, { durationMs, streamVersion, fault });
  return handle(ctx, run.friendlyId, fault);
}

/** `POST …/{id}/generate-examples`. */
export async function generateExamples(
  ctx: EmulatorContext,
  request: Request,
  session: SessionRow,
  fault: ActiveFault | undefined,
): Promise<Response> {
  const body = await readJsonObject(request);
  if (body instanceof Response) return body;
  const { leads, isFirstBatch, sequenceContext } = body;
  if (!isRecordArray(leads) || leads.length === 0)
    return fail(400, "leads must be a non-empty array of objects");
  if (isFirstBatch !== undefined && typeof isFirstBatch !== "boolean")
    return fail(400, "isFirstBatch must be a boolean");
  if (sequenceContext !== undefined && !isObject(sequenceContext))
    return fail(400, "sequenceContext must be an object");
  if (!session.skeleton)
    return fail(400, "Session has no framework yet. Chat first to create one.");
  const busy = claim(session, "generating_examples");
  if (busy) return busy;
  if (fault?.kind === "dispatch500") return dispatchFailed(session);
  const { durationMs, streamVersion } = requestOverrides(ctx, request);
  const input: ExamplesInput = { leads, isFirstBatch: isFirstBatch ?? true, sequenceContext };
  const run = ctx.runs.create({
    taskIdentifier: "framework-chat-examples",
    payload: { sessionId: session.id, ...body },
    sessionId: session.id,
    streamVersion,
  });
  ctx.ledger.dispatches.push({
    operation: "generateExamples",
    sessionId: session.id,
    runId: run.friendlyId,
    at: Date.now(),
  });
  startExamplesTask(ctx, run, session.id, input, { durationMs, streamVersion, fault });
  return handle(ctx, run.friendlyId, fault);
}
