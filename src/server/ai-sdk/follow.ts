/**
 * Following one Puffle run as a UI message stream: the reply's tokens from the run's chat stream
 * (realtime first), the run's status, draft and examples as `data-*` parts, then the settled
 * session, read with `waitForIdleDetailed` (realtime with the run, polling on any trouble).
 *
 * @internal
 * @module
 */

import { redactText } from "../../base/redact";
import type { PuffleClient } from "../../client";
import { TaskFailedError } from "../../core/errors";
import type { DispatchedRun, Session, WaitResult } from "../../core/types";
import { replyTo } from "../../lib/chat";
import type { ChatExample, ChatLintReport } from "../../realtime/chat-protocol";
import type { ChatStreamEvent, RunStatus } from "../../realtime/events";
import { subscribeToChat } from "../../realtime/subscribe-to-chat";
import { mapSdkError, RouteError } from "../route-error";
import type {
  PuffleDraftData,
  PuffleExamplesData,
  PuffleMessageMetadata,
  PuffleRunData,
  PuffleSkeletonData,
} from "./parts";
import type { ChunkSink } from "./protocol";

/** What the stream needs from the route. */
export interface FollowKit {
  client: PuffleClient;
  lint: (session: Session) => Promise<ChatLintReport | null>;
  /** Told about failures the browser only sees as a generic message (5xx, bugs). */
  onError: (error: unknown, action: FollowTarget["kind"]) => void;
}

/**
 * The run to follow. With `run`, realtime first; without (a resume on a server that did not
 * dispatch it), polling only. `message` is the turn's text when known: the reply is what follows
 * it in the transcript.
 */
export interface FollowTarget {
  sessionId: string;
  kind: "turn" | "examples";
  run: DispatchedRun | undefined;
  message: string | undefined;
}

type RunPhase = PuffleRunData["status"];

const NOTICE =
  "Stopping this stream does not stop the turn: it goes on running on Puffle's side (reload to follow it again).";

/** What has been written so far. */
interface Written {
  text: string;
  textOpen: boolean;
  examples: ChatExample[];
  part: PuffleRunData;
}

/** Write the whole stream of one run into `sink`; never throws (failures are `error` chunks). */
export async function followRun(
  sink: ChunkSink,
  kit: FollowKit,
  target: FollowTarget,
): Promise<void> {
  const { sessionId, kind, run } = target;
  const runId = run?.runId ?? null;
  const part: PuffleRunData = {
    ...{ sessionId, runId, kind, status: run ? "queued" : "running", runStatus: null },
    ...{ via: run ? "realtime" : "poll", onStop: "continues", notice: NOTICE },
  };
  const w: Written = { text: "", textOpen: false, examples: [], part };
  try {
    const before = await kit.client.getSession(sessionId, { signal: sink.signal });
    const metadata: PuffleMessageMetadata = { sessionId, runId };
    sink.write({
      type: "start",
      ...(runId ? { messageId: runId } : {}),
      messageMetadata: metadata,
    });
    sink.write({ type: "start-step" });
    writeRun(sink, w, {});
    if (run && !(await streamEvents(sink, kit, run, w))) writeRun(sink, w, { via: "poll" });
    if (sink.closed) return;
    const wait = await kit.client.waitForIdleDetailed(sessionId, {
      signal: sink.signal,
      ...(run ? { run } : { mode: "poll" }),
    });
    await settle(sink, kit, target, before, wait, w);
    writeRun(sink, w, { status: "idle" });
    closeText(sink, w);
    sink.write({ type: "finish-step" });
    sink.write({ type: "finish", messageMetadata: { ...metadata, status: "idle" } });
  } catch (error) {
    if (sink.closed) return;
    writeRun(sink, w, { status: "failed" });
    closeText(sink, w);
    sink.write({ type: "error", errorText: errorText(error, kit, kind) });
  }
}

function writeRun(sink: ChunkSink, w: Written, change: Partial<PuffleRunData>): void {
  Object.assign(w.part, change);
  sink.write({ type: "data-run", id: "run", data: { ...w.part } });
}

function writeText(sink: ChunkSink, w: Written, delta: string): void {
  if (delta === "") return;
  if (!w.textOpen) sink.write({ type: "text-start", id: "reply" });
  w.textOpen = true;
  w.text += delta;
  sink.write({ type: "text-delta", id: "reply", delta });
}

function closeText(sink: ChunkSink, w: Written): void {
  if (w.textOpen) sink.write({ type: "text-end", id: "reply" });
  w.textOpen = false;
}

/**
 * The run's chat stream, chunk by chunk, until it ends; `false` when realtime failed (the
 * settled read then polls; what was written stays: the rest of the reply follows from the
 * transcript). From the start of the stream, so a resume replays the text so far.
 */
async function streamEvents(
  sink: ChunkSink,
  kit: FollowKit,
  run: DispatchedRun,
  w: Written,
): Promise<boolean> {
  try {
    const events = subscribeToChat({
      runId: run.runId,
      publicAccessToken: run.publicAccessToken,
      triggerBaseURL: kit.client.triggerBaseURL,
      signal: sink.signal,
    });
    for await (const event of events) onEvent(sink, w, event);
    return true;
  } catch {
    return false;
  }
}

function onEvent(sink: ChunkSink, w: Written, event: ChatStreamEvent): void {
  switch (event.type) {
    case "status":
      writeRun(sink, w, { status: phaseOf(event.status), runStatus: event.status });
      return;
    case "failed":
      writeRun(sink, w, { status: "failed", runStatus: event.status });
      return;
    case "delta":
      writeText(sink, w, event.text);
      return;
    case "draft":
      // The lint report comes with the settled session.
      sink.write({
        type: "data-draft",
        id: "draft",
        data: { subject: event.subject, body: event.body, lint: null } satisfies PuffleDraftData,
      });
      return;
    case "example":
      w.examples = [...w.examples, event.example];
      sink.write({
        type: "data-examples",
        id: "examples",
        data: { examples: w.examples } satisfies PuffleExamplesData,
      });
      return;
    case "skeleton":
      sink.write({
        type: "data-skeleton",
        id: "skeleton",
        data: {
          skeleton: event.skeleton,
          framework_version: event.framework_version ?? null,
        } satisfies PuffleSkeletonData,
      });
      return;
    default:
      return; // completed (the settled read follows), unknown chunks
  }
}

function phaseOf(status: RunStatus): RunPhase {
  if (status === "EXECUTING" || status === "WAITING" || status === "COMPLETED") return "running";
  if (["FAILED", "CANCELED", "CRASHED", "SYSTEM_FAILURE", "EXPIRED", "TIMED_OUT"].includes(status))
    return "failed";
  return "queued";
}

/** The settled session: the rest of the reply, the draft with its lint report, the examples. */
async function settle(
  sink: ChunkSink,
  kit: FollowKit,
  target: FollowTarget,
  before: Session,
  wait: WaitResult,
  w: Written,
): Promise<void> {
  const session = wait.session;
  if (target.kind === "turn") {
    const reply = replyOf(target, before, wait);
    if (reply === null)
      throw new RouteError(
        502,
        "no_reply",
        "The session is idle again but holds no reply to this turn: it may have failed on Puffle's side. Reload the session before sending again.",
      );
    // What streamed is the reply's beginning; the transcript gives the rest (all of it after a
    // polling fallback). Text that disagrees is never taken back.
    if (reply.startsWith(w.text)) writeText(sink, w, reply.slice(w.text.length));
  }
  if (session.draft_subject != null || session.draft_body != null) {
    const draft = { subject: session.draft_subject ?? "", body: session.draft_body ?? "" };
    sink.write({
      type: "data-draft",
      id: "draft",
      data: { ...draft, lint: await kit.lint(session) } satisfies PuffleDraftData,
    });
  }
  if (target.kind === "examples") {
    const examples = (session.generated_examples ?? []) as ChatExample[];
    sink.write({
      type: "data-examples",
      id: "examples",
      data: { examples } satisfies PuffleExamplesData,
    });
  }
}

/**
 * The reply, or `null` when the transcript proves none: after the turn's message when known
 * (`chat()`'s rule), else a new assistant message at the end of a transcript that grew.
 */
function replyOf(target: FollowTarget, before: Session, wait: WaitResult): string | null {
  const messages = wait.session.messages ?? [];
  const last = messages.at(-1);
  if (target.message !== undefined) {
    const reply = replyTo(wait.session, target.message);
    if (reply !== null) return reply;
  } else if (last?.role === "assistant" && messages.length > (before.messages?.length ?? 0))
    return last.content;
  // No reply found, yet the run was seen to succeed: its reply is the last assistant message.
  if (wait.run?.isCompleted && wait.run.isSuccess && last?.role === "assistant")
    return last.content;
  return null;
}

/**
 * What the browser may read of a failure: redacted, never a stack. A run that failed may be sent
 * again (nothing was written); any other failure comes after the dispatch, so the text says the
 * task was sent and goes on (never "try again": that would pay twice).
 */
function errorText(error: unknown, kit: FollowKit, kind: FollowTarget["kind"]): string {
  if (error instanceof TaskFailedError) {
    const reason = error.runError?.message ? `: ${error.runError.message}` : "";
    return redactText(
      `The ${error.runStatus === "UNKNOWN" ? "task" : `run (${error.runStatus})`} failed on Puffle's side${reason}. Nothing was written; send the message again.`,
    ).slice(0, 1_000);
  }
  if (error instanceof RouteError) return redactText(error.message);
  const mapped = mapSdkError(error);
  if (!mapped || mapped.status >= 500) kit.onError(error, kind);
  const what = kind === "turn" ? "turn" : "example run";
  return `The ${what} was sent and goes on at Puffle, but the route could not follow it to its end (${mapped?.code ?? "internal_error"}): reload to see how it ends; do not send it again.`;
}
