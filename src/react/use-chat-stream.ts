/**
 * useChatStream: follow one run in a React component, for apps with their own server route.
 *
 * @module
 */

import { useEffect, useReducer } from "react";
import type { ChatExample } from "../realtime/chat-protocol";
import type { ChatStreamEvent } from "../realtime/events";
import { type SubscribeToChatOptions, subscribeToChat } from "../realtime/subscribe-to-chat";

/**
 * The run to follow: its id and public token (as your server received them from `runTurn` or
 * `generateExamples`), and the Trigger.dev host when it is not the default.
 */
export interface ChatStreamRun {
  runId: string;
  publicAccessToken: string;
  triggerBaseURL?: string | undefined;
}

/**
 * What {@link useChatStream} returns. `status`: `idle` (no run), `streaming`, `completed`,
 * `failed` (the run failed) or `error` (following it failed: `error` says why).
 *
 * @example
 * ```ts
 * const { status, reply, draft }: ChatStreamState = useChatStream(run);
 * ```
 */
export interface ChatStreamState {
  status: "idle" | "streaming" | "completed" | "failed" | "error";
  /** The run's status (`QUEUED`, `EXECUTING`, `COMPLETED`, …), `null` before the first. */
  runStatus: string | null;
  /** The reply so far. */
  reply: string;
  skeleton: Record<string, unknown> | null;
  draft: { subject: string; body: string } | null;
  examples: ChatExample[];
  /** The run's output once completed. */
  output: unknown;
  /** Every event received, in order. */
  events: ChatStreamEvent[];
  /** Why following failed (a `RealtimeError` from `puffle-chat/realtime`), or the run's error. */
  error: unknown;
}

const IDLE: ChatStreamState = {
  status: "idle",
  runStatus: null,
  reply: "",
  skeleton: null,
  draft: null,
  examples: [],
  output: undefined,
  events: [],
  error: undefined,
};

type Action =
  | { type: "reset"; streaming: boolean }
  | { type: "event"; event: ChatStreamEvent }
  | { type: "error"; error: unknown };

function reduce(state: ChatStreamState, action: Action): ChatStreamState {
  if (action.type === "reset") return action.streaming ? { ...IDLE, status: "streaming" } : IDLE;
  if (action.type === "error") return { ...state, status: "error", error: action.error };
  const event = action.event;
  const next = { ...state, events: [...state.events, event] };
  switch (event.type) {
    case "status":
      return { ...next, runStatus: event.status };
    case "delta":
      return { ...next, reply: state.reply + event.text };
    case "skeleton":
      return { ...next, skeleton: event.skeleton };
    case "draft":
      return { ...next, draft: { subject: event.subject, body: event.body } };
    case "example":
      return { ...next, examples: [...state.examples, event.example] };
    case "completed":
      return { ...next, status: "completed", output: event.output };
    case "failed":
      return { ...next, status: "failed", error: event.error ?? event.status };
    default:
      return next;
  }
}

/**
 * Follow one chat or example run and hold what it streamed: the reply token by token, skeleton,
 * draft, examples, the run's status and output. For apps that dispatch from their own server
 * route and hand the browser `{ runId, publicAccessToken }`. Pass `null` for "no run yet".
 *
 * A new run (another `runId` or token) restarts from an empty state; unmounting or changing the
 * run closes the previous subscription. StrictMode-safe (the discarded first mount opens no
 * connection) and SSR-safe (nothing runs during render).
 *
 * @example
 * ```tsx
 * import { useChatStream } from "puffle-chat/react";
 *
 * function Reply({ run }: { run: { runId: string; publicAccessToken: string } | null }) {
 *   const stream = useChatStream(run);
 *   return <p aria-busy={stream.status === "streaming"}>{stream.reply}</p>;
 * }
 * ```
 */
export function useChatStream(
  run: ChatStreamRun | null | undefined,
  options: Omit<SubscribeToChatOptions, "runId" | "publicAccessToken" | "signal"> = {},
): ChatStreamState {
  const [state, dispatch] = useReducer(reduce, IDLE);
  const runId = run?.runId;
  const token = run?.publicAccessToken;
  const base = run?.triggerBaseURL ?? options.triggerBaseURL;
  // biome-ignore lint/correctness/useExhaustiveDependencies: restart only for another run, not for a new options object
  useEffect(() => {
    dispatch({ type: "reset", streaming: Boolean(runId && token) });
    if (!runId || !token) return;
    const abort = new AbortController();
    queueMicrotask(() => {
      if (abort.signal.aborted) return;
      void (async () => {
        try {
          for await (const event of subscribeToChat({
            ...options,
            runId,
            publicAccessToken: token,
            ...(base ? { triggerBaseURL: base } : {}),
            signal: abort.signal,
          })) {
            if (abort.signal.aborted) return;
            dispatch({ type: "event", event });
          }
        } catch (error) {
          if (!abort.signal.aborted) dispatch({ type: "error", error });
        }
      })();
    });
    return () => abort.abort();
  }, [runId, token, base]);
  return state;
}
