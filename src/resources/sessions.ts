/**
 * The sessions resource: `/api/campaigns/ai-chat-sessions` and its turn and example runs.
 *
 * Retry classes: reads and writes of absolute values are `idempotent`; a create is a `post`
 * (retried on 429 only); `/turn` and `/generate-examples` are `dispatch` (429 and 500, under the
 * at-most-once rule of lib/dispatch.ts).
 *
 * @internal
 * @module
 */
import * as z from "zod/mini";
import {
  CreateSessionParamsSchema,
  DeleteResultSchema,
  GenerateExamplesParamsSchema,
  RunHandleSchema,
  SessionEnvelopeSchema,
  SessionListEnvelopeSchema,
  TurnParamsSchema,
  UpdateSessionParamsSchema,
  uuid,
} from "../core/schemas";
import type {
  CreateSessionParams,
  Session,
  UpdateSessionParams,
  WithRequestID,
} from "../core/types";
import type { CallOptions } from "../internal/http";
import { withRequestId } from "../internal/with-request-id";
import { type CallContext, defineOperation, send } from "./operation";

const SESSIONS = "/api/campaigns/ai-chat-sessions";
const sessionId = /* @__PURE__ */ z.object({ sessionId: uuid });

/** `POST /api/campaigns/ai-chat-sessions`: an empty session for a campaign node. */
export const createSessionOp = /* @__PURE__ */ defineOperation({
  operationId: "createSession",
  method: "POST",
  path: SESSIONS,
  retry: "post",
  request: CreateSessionParamsSchema,
  response: SessionEnvelopeSchema,
  body: (params) => params,
});

/** `GET /api/campaigns/ai-chat-sessions?campaign_id=`: a campaign's sessions, oldest first. */
export const listSessionsOp = /* @__PURE__ */ defineOperation({
  operationId: "listSessions",
  method: "GET",
  path: SESSIONS,
  retry: "idempotent",
  request: /* @__PURE__ */ z.object({ campaignId: uuid }),
  response: SessionListEnvelopeSchema,
  query: (args) => ({ campaign_id: args.campaignId }),
});

/** `GET /api/campaigns/ai-chat-sessions/{sessionId}`. */
export const getSessionOp = /* @__PURE__ */ defineOperation({
  operationId: "getSession",
  method: "GET",
  path: `${SESSIONS}/{sessionId}`,
  retry: "idempotent",
  request: sessionId,
  response: SessionEnvelopeSchema,
});

/** `PATCH /api/campaigns/ai-chat-sessions/{sessionId}`: only the keys present are written. */
export const updateSessionOp = /* @__PURE__ */ defineOperation({
  operationId: "updateSession",
  method: "PATCH",
  path: `${SESSIONS}/{sessionId}`,
  retry: "idempotent",
  request: /* @__PURE__ */ z.object({ sessionId: uuid, patch: UpdateSessionParamsSchema }),
  response: SessionEnvelopeSchema,
  body: (args) => args.patch,
});

/** `DELETE /api/campaigns/ai-chat-sessions/{sessionId}`: any 2xx is success, a 204 too. */
export const deleteSessionOp = /* @__PURE__ */ defineOperation({
  operationId: "deleteSession",
  method: "DELETE",
  path: `${SESSIONS}/{sessionId}`,
  retry: "idempotent",
  request: sessionId,
  response: /* @__PURE__ */ z.optional(DeleteResultSchema),
});

/** `POST /api/campaigns/ai-chat-sessions/{sessionId}/turn`: a paid chat turn. */
export const runTurnOp = /* @__PURE__ */ defineOperation({
  operationId: "runTurn",
  method: "POST",
  path: `${SESSIONS}/{sessionId}/turn`,
  retry: "dispatch",
  request: /* @__PURE__ */ z.object({ sessionId: uuid, turn: TurnParamsSchema }),
  response: RunHandleSchema,
  body: (args) => args.turn,
});

/**
 * `POST /api/campaigns/ai-chat-sessions/{sessionId}/generate-examples`: a paid example run.
 * `isFirstBatch` is always sent (default `true`: replace the examples).
 */
export const generateExamplesOp = /* @__PURE__ */ defineOperation({
  operationId: "generateExamples",
  method: "POST",
  path: `${SESSIONS}/{sessionId}/generate-examples`,
  retry: "dispatch",
  request: /* @__PURE__ */ z.object({ sessionId: uuid, params: GenerateExamplesParamsSchema }),
  response: RunHandleSchema,
  body: (args) => ({ ...args.params, isFirstBatch: args.params.isFirstBatch ?? true }),
});

/** Create a session. */
export async function createSession(
  ctx: CallContext,
  params: CreateSessionParams,
  options: CallOptions | undefined,
): Promise<WithRequestID<Session>> {
  const result = await send(ctx, createSessionOp, params, options);
  return withRequestId(result.data.session, result.requestId);
}

/** List a campaign's sessions. */
export async function listSessions(
  ctx: CallContext,
  args: { campaignId: string },
  options: CallOptions | undefined,
): Promise<Session[]> {
  return (await send(ctx, listSessionsOp, args, options)).data.sessions;
}

/** Read a session, and remember what it looked like (the state before a dispatch). */
export async function getSession(
  ctx: CallContext,
  args: { sessionId: string },
  options: CallOptions | undefined,
  onRequest?: () => void,
): Promise<WithRequestID<Session>> {
  const result = await send(ctx, getSessionOp, args, options, onRequest);
  ctx.memory.note(args.sessionId, result.data.session);
  return withRequestId(result.data.session, result.requestId);
}

/** Write some fields of a session, and remember what it looks like now. */
export async function updateSession(
  ctx: CallContext,
  args: { sessionId: string; patch: UpdateSessionParams },
  options: CallOptions | undefined,
): Promise<WithRequestID<Session>> {
  const result = await send(ctx, updateSessionOp, args, options);
  ctx.memory.note(args.sessionId, result.data.session);
  return withRequestId(result.data.session, result.requestId);
}
