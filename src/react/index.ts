/**
 * `puffle-chat/react`: React hooks for browser chat apps. `react` (>= 18) is an optional peer
 * dependency, never bundled. `usePuffleChat` talks to your chat route (`puffle-chat/server`);
 * `useChatStream` follows a run your own server dispatched.
 *
 * @example
 * ```tsx
 * import { usePuffleChat } from "puffle-chat/react";
 * const chat = usePuffleChat({ api: "/api/chat", sessionId });
 * ```
 *
 * @module
 */

export type {
  ChatController,
  ChatControllerOptions,
  ChatState,
  ChatStatus,
} from "../realtime/chat-controller";
export type { ChatControllerError } from "../realtime/chat-controller-error";
export type { ChatExample, ChatLintReport, ChatMessage } from "../realtime/chat-protocol";
export { type ChatStreamRun, type ChatStreamState, useChatStream } from "./use-chat-stream";
export {
  type UsePuffleChatOptions,
  type UsePuffleChatResult,
  usePuffleChat,
} from "./use-puffle-chat";
