/**
 * The chat route's `protocol: "ai-sdk"`: what the AI SDK's stock `useChat` (with
 * `DefaultChatTransport`) sends and reads. A post dispatches exactly as on the JSON protocol (the
 * route's own `authorize` and `startRun`, so the at-most-once rule, the busy rule and `onBusy`
 * are the same code); its answer is the run as a UI message stream. `GET {route}/{id}/stream`
 * resumes: 204 when the session is idle, else the running turn, replayed from its start.
 *
 * @internal
 * @module
 */

import type { DispatchedRun, RunHandle } from "../../core/types";
import type { ChatRouteAction, ChatRouteRequest } from "../../realtime/chat-protocol";
import { subscribeToRun } from "../../realtime/subscribe-to-run";
import { type BodyIssue, checkSessionId, invalid } from "../body";
import { type FollowKit, type FollowTarget, followRun } from "./follow";
import { streamResponse } from "./protocol";

/** What the protocol needs from the route. */
export interface AiSdkKit extends FollowKit {
  /** The route's `authorize` check: throws the 401/403 refusal. */
  authorize: (request: Request, sessionId: string, action: ChatRouteAction) => Promise<void>;
}

/** One route's protocol: its runs in flight, by session. */
export interface AiSdkProtocol {
  /** The session id of a resume request (`…/{id}/stream`), else `undefined`. */
  resumeId(url: URL): string | undefined;
  resume(request: Request, sessionId: string): Promise<Response>;
  /** The answer to a dispatched post: the run as a stream. */
  stream(request: Request, body: ChatRouteRequest, run: RunHandle): Response;
}

/** The most runs a route remembers for resumes (the oldest is forgotten first). */
const MAX_REMEMBERED_RUNS = 1_000;

/**
 * Create the protocol of one route. The runs it dispatched are remembered in memory until their
 * session is seen idle, so a resume on the same server instance follows the run in realtime; on
 * another instance (serverless, a restart) the resume polls the session instead.
 */
export function createAiSdkProtocol(kit: AiSdkKit): AiSdkProtocol {
  const runs = new Map<string, FollowTarget>();
  const remember = (target: FollowTarget) => {
    runs.delete(target.sessionId);
    runs.set(target.sessionId, target);
    if (runs.size > MAX_REMEMBERED_RUNS) runs.delete(runs.keys().next().value as string);
  };
  const follow = (request: Request, target: FollowTarget) =>
    streamResponse(
      async (sink) => {
        await followRun(sink, kit, target);
        if (!sink.closed) runs.delete(target.sessionId);
      },
      {},
      request.signal,
    );
  return {
    resumeId(url) {
      const match = /\/([^/]+)\/stream\/?$/.exec(url.pathname);
      if (!match) return undefined;
      const id = safeDecode(match[1] as string);
      const issues: BodyIssue[] = [];
      checkSessionId(id, issues, "(path) chat id");
      if (issues.length > 0) throw invalid(issues);
      return id;
    },
    async resume(request, sessionId) {
      await kit.authorize(request, sessionId, "read");
      const session = await kit.client.getSession(sessionId, { signal: request.signal });
      if (session.task_status == null) {
        runs.delete(sessionId);
        return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
      }
      const kind: FollowTarget["kind"] =
        session.task_status === "generating_examples" ? "examples" : "turn";
      // The run this route dispatched, unless it has ended: then the task running now is another
      // one (say, after a stop, a turn sent from elsewhere) and the session is polled instead,
      // which is right whatever runs.
      const known = runs.get(sessionId);
      const current =
        known?.run !== undefined &&
        known.kind === kind &&
        (await stillRunning(known.run, kit, request.signal));
      const target = current ? known : { sessionId, kind, run: undefined, message: undefined };
      return follow(request, target);
    },
    stream(request, body, run) {
      const target: FollowTarget = {
        sessionId: body.sessionId,
        kind: body.action === "examples" ? "examples" : "turn",
        // A reconciled dispatch has no run id: follow the session by polling.
        run: run.reconciled ? undefined : run,
        message: body.action === "turn" ? body.message : undefined,
      };
      remember(target);
      return follow(request, target);
    },
  };
}

/** Whether the run's first snapshot says it has not completed; `false` on any doubt. */
async function stillRunning(
  run: DispatchedRun,
  kit: AiSdkKit,
  signal: AbortSignal,
): Promise<boolean> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    const updates = subscribeToRun({
      runId: run.runId,
      publicAccessToken: run.publicAccessToken,
      triggerBaseURL: kit.client.triggerBaseURL,
      signal: stop.signal,
    });
    for await (const update of updates) return !update.isCompleted;
    return false;
  } catch {
    return false;
  } finally {
    signal.removeEventListener("abort", onAbort);
    stop.abort();
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
