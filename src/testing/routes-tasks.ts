import type { EmulatorContext } from "./context";
import type { ActiveFault } from "./faults";
import { fail, json } from "./http";
import { GenerateContentBody, GenerateExamplesBody, parseBody, TurnBody } from "./request-schemas";
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

/** Validate the body of `/turn` (or, with `content`, generate-content's): the input, or a 400 answer. */
export async function parseTurnBody(
  request: Request,
  content = false,
): Promise<(TurnInput & { node_id?: string }) | Response> {
  if (content) {
    const body = await parseBody(request, GenerateContentBody);
    if (body instanceof Response) return body;
    return {
      message: body.message,
      node_id: body.node_id,
      sampleLeads: body.sample_leads,
      sequenceContext: body.sequence_context,
    };
  }
  const body = await parseBody(request, TurnBody);
  if (body instanceof Response) return body;
  return {
    message: body.message,
    availableVarNames: body.availableVarNames,
    sampleLeads: body.sampleLeads,
    sequenceContext: body.sequenceContext,
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
  const input = await parseTurnBody(request);
  if (input instanceof Response) return input;
  const busy = claim(session, "chat_processing");
  if (busy) return busy;
  if (fault?.kind === "dispatch500") return dispatchFailed(session);
  const { durationMs, streamVersion } = requestOverrides(ctx, request);
  const run = ctx.runs.create({
    taskIdentifier: "framework-chat-turn",
    payload: { sessionId: session.id, ...input },
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
  const body = await parseBody(request, GenerateExamplesBody);
  if (body instanceof Response) return body;
  const { leads, isFirstBatch, sequenceContext } = body;
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
