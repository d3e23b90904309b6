/**
 * One chat turn with the reply streamed as it is written: `runTurn`, then `subscribeToChat` (for
 * `delta` events) alongside `waitForIdleDetailed` (for the idle session).
 *
 * @module
 */

import type { PuffleClient, Session, TurnParams } from "../index";
import { replyTo } from "../lib/chat";
import { subscribeToChat } from "../realtime/index";

/**
 * What a streamed turn produced.
 *
 * @example
 * ```ts
 * const { reply, streamed, wait } = await streamTurn(client, id, { message }, { signal, onDelta });
 * ```
 */
export interface TurnOutcome {
  /** The idle session after the turn. */
  session: Session;
  /** The assistant reply this turn wrote, read from the session (null if none). */
  reply: string | null;
  /** The text streamed through `onDelta` (empty when there was no token or no stream). */
  streamed: string;
  /** How the wait went; `requests` counts the dispatch too. */
  wait: {
    mode: "realtime" | "poll";
    requests: number;
    elapsedMs: number;
    fallbackReason: string | undefined;
  };
}

/** Longest wait for the reply stream to drain once the session is idle, in ms. */
const DRAIN_MS = 2_000;

/**
 * Send one turn (waiting first if the session is still busy with an earlier, cancelled task) and
 * wait for idle, calling `onDelta` with each piece of the reply as the task writes it. Without a
 * public token (a reconciled dispatch) nothing is streamed: print `reply` afterwards. A failing
 * stream is ignored (the wait itself falls back to polling).
 *
 * @throws what `runTurn` and `waitForIdleDetailed` throw; `APIUserAbortError` when `signal` aborts.
 * @example
 * ```ts
 * const out = await streamTurn(client, id, { message }, { signal, onDelta: (t) => process.stdout.write(t) });
 * if (!out.streamed) console.log(out.reply);
 * ```
 */
export async function streamTurn(
  client: PuffleClient,
  sessionId: string,
  turn: TurnParams,
  options: { signal: AbortSignal; onDelta: (text: string) => void },
): Promise<TurnOutcome> {
  const { signal } = options;
  const started = Date.now();
  const run = await client.runTurn(sessionId, turn, { signal, onBusy: "wait" });
  const subscription = new AbortController();
  const stopSubscription = () => subscription.abort();
  signal.addEventListener("abort", stopSubscription, { once: true });
  let streamed = "";
  const streaming =
    typeof run.runId === "string" && typeof run.publicAccessToken === "string"
      ? (async () => {
          const events = subscribeToChat({
            runId: run.runId,
            publicAccessToken: run.publicAccessToken,
            triggerBaseURL: client.triggerBaseURL,
            signal: subscription.signal,
          });
          for await (const event of events) {
            if (event.type !== "delta") continue;
            streamed += event.text;
            options.onDelta(event.text);
          }
        })().catch(() => {})
      : Promise.resolve();
  let drainTimer: NodeJS.Timeout | undefined;
  try {
    const wait = await client.waitForIdleDetailed(sessionId, { run, signal });
    await Promise.race([
      streaming,
      new Promise<void>((resolve) => {
        drainTimer = setTimeout(resolve, DRAIN_MS);
      }),
    ]);
    return {
      session: wait.session,
      reply: replyTo(wait.session, turn.message),
      streamed,
      wait: {
        mode: wait.mode,
        requests: wait.requests + 1,
        elapsedMs: Date.now() - started,
        fallbackReason: wait.fallbackReason,
      },
    };
  } finally {
    clearTimeout(drainTimer);
    subscription.abort();
    signal.removeEventListener("abort", stopSubscription);
    await streaming;
  }
}
