import type { EmulatorContext } from "./context";
import type { ActiveFault } from "./faults";
import { fail, json } from "./http";
import type { LedgerDispatch } from "./ledger";
import {
  GenerateContentBody,
  type GenerateExamplesInput,
  parseBody,
  TurnBody,
} from "./request-schemas";
import { nowIso } from "./store";
import {
  type ExamplesInput,
  examplesTask,
  startTask,
  type Task,
  type TurnInput,
  turnTask,
} from "./tasks";
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
  const body = content
    ? await parseBody(request, GenerateContentBody)
    : await parseBody(request, TurnBody);
  if (body instanceof Response) return body;
  // generate-content names its fields in snake_case and targets a node; /turn in camelCase.
  if ("node_id" in body) {
    const { message, node_id, sample_leads, sequence_context } = body;
    return { message, node_id, sampleLeads: sample_leads, sequenceContext: sequence_context };
  }
  const { message, availableVarNames, sampleLeads, sequenceContext } = body;
  return { message, availableVarNames, sampleLeads, sequenceContext };
}

/**
 * Claim `session` for `status`; the 409 answer when it is busy. The claim is a row update, so it
 * moves `updated_at` (the API notes' decision: the sessions table stamps every update), which is
 * what lets a resumed driver tell "never received" (unchanged) from "received" (moved).
 */
export function claim(session: SessionRow, status: string): Response | undefined {
  if (session.task_status !== null) return fail(409, `Session is busy (${session.task_status})`);
  session.task_status = status;
  session.updated_at = nowIso();
  return undefined;
}

/** A dispatch 500: the claim is rolled back (the row as it was, `updated_at` included). */
function dispatchFailed(session: SessionRow, updatedAt: string): Response {
  session.task_status = null;
  session.updated_at = updatedAt;
  return fail(500, "Failed to dispatch the task. The session was released; retry.");
}

function handle(ctx: EmulatorContext, runId: string, fault: ActiveFault | undefined): Response {
  const ttl = fault?.kind === "expiredToken" ? -1 : ctx.settings.tokenTtlMs;
  return json(200, { runId, publicAccessToken: ctx.runs.mintToken(runId, ttl) });
}

/** What a dispatch route starts: the claim it takes, the task, its payload and its ledger entry. */
interface TaskDispatch {
  claim: "chat_processing" | "generating_examples";
  taskIdentifier: "framework-chat-turn" | "framework-chat-examples";
  payload: object;
  ledger: Pick<LedgerDispatch, "operation" | "message">;
  body: (task: Task) => Promise<void>;
}

/**
 * The dispatch both task routes share: claim the session (409 when busy), release it on a
 * `dispatch500` fault, create the run, record the dispatch, start the task, answer the handle.
 */
function dispatchTask(
  ctx: EmulatorContext,
  request: Request,
  session: SessionRow,
  fault: ActiveFault | undefined,
  task: TaskDispatch,
): Response {
  const before = session.updated_at;
  const busy = claim(session, task.claim);
  if (busy) return busy;
  if (fault?.kind === "dispatch500") return dispatchFailed(session, before);
  const { durationMs, streamVersion } = requestOverrides(ctx, request);
  const run = ctx.runs.create({
    taskIdentifier: task.taskIdentifier,
    payload: { sessionId: session.id, ...task.payload },
    sessionId: session.id,
    streamVersion,
  });
  ctx.ledger.dispatches.push({
    ...task.ledger,
    sessionId: session.id,
    runId: run.friendlyId,
    at: Date.now(),
  });
  startTask(ctx, run, session.id, { durationMs, streamVersion, fault }, task.body);
  return handle(ctx, run.friendlyId, fault);
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
  return dispatchTask(ctx, request, session, fault, {
    claim: "chat_processing",
    taskIdentifier: "framework-chat-turn",
    payload: input,
    ledger: { operation: "turn", message: input.message },
    body: (task) => turnTask(task, input),
  });
}

/** `POST …/{id}/generate-examples`, its body already read. */
export function generateExamples(
  ctx: EmulatorContext,
  request: Request,
  session: SessionRow,
  fault: ActiveFault | undefined,
  body: GenerateExamplesInput,
): Response {
  if (!session.skeleton)
    return fail(400, "Session has no framework yet. Chat first to create one.");
  const { leads, isFirstBatch, sequenceContext } = body;
  const input: ExamplesInput = { leads, isFirstBatch: isFirstBatch ?? true, sequenceContext };
  return dispatchTask(ctx, request, session, fault, {
    claim: "generating_examples",
    taskIdentifier: "framework-chat-examples",
    payload: body,
    ledger: { operation: "generateExamples" },
    body: (task) => examplesTask(task, input),
  });
}
