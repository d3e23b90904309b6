/**
 * usePuffleChat: the chat controller as a React hook.
 *
 * @module
 */

import { useEffect, useMemo, useRef, useSyncExternalStore } from "react";
import {
  type ChatController,
  type ChatControllerOptions,
  type ChatState,
  createChatController,
} from "../realtime/chat-controller";
import { checkRealtimeOptions } from "../realtime/check-options";
import { subscribeToChat as defaultSubscribe } from "../realtime/subscribe-to-chat";

/**
 * Options of {@link usePuffleChat}: those of `createChatController`, plus `load`.
 */
export interface UsePuffleChatOptions extends ChatControllerOptions {
  /** Read the session when the component mounts. Default `true`. */
  load?: boolean | undefined;
}

/**
 * What {@link usePuffleChat} returns: the chat state, `busy`, and the controller's actions
 * (stable functions for one `api` + `sessionId`).
 *
 * @example
 * ```ts
 * const { status, messages, reply, busy, send, stop, retry }: UsePuffleChatResult = usePuffleChat({ api: "/api/chat", sessionId });
 * ```
 */
export interface UsePuffleChatResult extends ChatState {
  /** `true` while a task is being sent or followed: disable Send. */
  busy: boolean;
  send: ChatController["send"];
  generateExamples: ChatController["generateExamples"];
  stop: ChatController["stop"];
  retry: ChatController["retry"];
  /** Read the session again. */
  reload: ChatController["load"];
}

/**
 * Hold the chat of one Puffle session in a React component, over your chat route
 * (`createChatRoute` from `puffle-chat/server`): messages, the reply as it streams, the skeleton,
 * the draft and its lint report, examples, busy/error state, and `send`, `stop`, `retry`,
 * `generateExamples`. One task at a time: `send` while busy returns `false` (or queues with
 * `whileBusy: "queue"`).
 *
 * Built on `useSyncExternalStore`. Safe for server rendering (nothing runs and nothing touches
 * `window` during render; the session is read after mount) and for `StrictMode` (the first,
 * discarded mount sends no request). Unmounting closes every request and stream.
 *
 * @throws RealtimeOptionsError (during render, to the nearest error boundary) when an option is
 * missing or wrong, listing every problem; nothing is sent.
 *
 * @example
 * ```tsx
 * import { usePuffleChat } from "puffle-chat/react";
 *
 * function Chat({ sessionId }: { sessionId: string }) {
 *   const chat = usePuffleChat({ api: "/api/chat", sessionId });
 *   return (
 *     <form onSubmit={(e) => { e.preventDefault(); void chat.send(new FormData(e.currentTarget).get("m") as string); }}>
 *       {chat.messages.map((m, i) => <p key={i}>{m.role}: {m.content}</p>)}
 *       {chat.reply && <p>assistant: {chat.reply}</p>}
 *       <input name="m" /> <button disabled={chat.busy}>Send</button>
 *       {chat.busy && <button type="button" onClick={chat.stop}>Stop</button>}
 *       {chat.error && <p role="alert">{chat.error.message}</p>}
 *     </form>
 *   );
 * }
 * ```
 */
export function usePuffleChat(options: UsePuffleChatOptions): UsePuffleChatResult {
  // Every render: a wrong option throws here (to the nearest error boundary), before any request.
  checkRealtimeOptions("usePuffleChat", options);
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });
  const { api, sessionId, whileBusy, pollIntervalMs, followTimeoutMs } = options;
  const controller = useMemo(
    () =>
      createChatController({
        api,
        sessionId,
        whileBusy,
        pollIntervalMs,
        followTimeoutMs,
        headers: () => {
          const h = latest.current.headers;
          return (typeof h === "function" ? h() : h) ?? {};
        },
        fetch: (input, init) => (latest.current.fetch ?? globalThis.fetch)(input, init),
        subscribe: (o) => {
          const s = latest.current.subscribe;
          return s ? s(o) : defaultSubscribe(o);
        },
      }),
    [api, sessionId, whileBusy, pollIntervalMs, followTimeoutMs],
  );
  const state = useSyncExternalStore(
    controller.subscribe,
    controller.getState,
    controller.getState,
  );
  const shouldLoad = options.load !== false;
  useEffect(() => {
    let live = true;
    // A microtask: StrictMode's throw-away mount is cleaned up before it runs, so it sends nothing.
    queueMicrotask(() => {
      if (live && shouldLoad) void controller.load();
    });
    return () => {
      live = false;
      controller.dispose();
    };
  }, [controller, shouldLoad]);
  return useMemo(
    () => ({
      ...state,
      busy: state.status === "sending" || state.status === "streaming",
      send: controller.send,
      generateExamples: controller.generateExamples,
      stop: controller.stop,
      retry: controller.retry,
      reload: controller.load,
    }),
    [state, controller],
  );
}
