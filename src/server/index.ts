/**
 * `puffle-chat/server`: the server route of a browser chat app. It holds the API key, checks that
 * the signed-in user may use the session, dispatches turns and example runs, and hands the
 * browser only a run id and its public token.
 *
 * @example
 * ```ts
 * import { PuffleClient } from "puffle-chat";
 * import { createChatRoute } from "puffle-chat/server";
 * const handler = createChatRoute({ client: new PuffleClient(), authorize: (request, { sessionId }) => mayUse(request, sessionId) });
 * export { handler as GET, handler as POST }; // Next.js app/api/chat/route.ts
 * ```
 *
 * @module
 */

export type {
  ChatExample,
  ChatLintIssue,
  ChatLintReport,
  ChatMessage,
  ChatRouteAction,
  ChatRouteErrorBody,
  ChatRouteRequest,
  ChatRouteRun,
  ChatRouteSession,
  ChatSessionView,
} from "../realtime/chat-protocol";
export { type NodeHandler, toNodeHandler } from "./node";
export {
  type AuthorizeContext,
  type AuthorizeResult,
  type ChatRouteHandler,
  type ChatRouteOptions,
  createChatRoute,
  DEFAULT_BODY_TIMEOUT_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_LEADS,
  DEFAULT_MAX_MESSAGE_LENGTH,
  DEFAULT_MAX_SESSION_BYTES,
} from "./route";
