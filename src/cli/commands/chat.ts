/**
 * `puffle-chat chat`: an interactive chat about one campaign node, in a terminal or driven by a
 * script through stdin (`--json`).
 *
 * @module
 */

import type { Session } from "../../index";
import { lintDraft } from "../../template/index";
import { lineInput, type MessageInput, promptInput } from "../chat-input";
import { streamTurn } from "../chat-turn";
import { type ChatView, humanView, jsonView, pairExamples, type WaitKind } from "../chat-view";
import { isAbort, oneLine } from "../errors";
import type { CliIo } from "../io";
import { LINT_OPTIONS, SAMPLE_LEADS, SAMPLE_VAR_NAMES } from "../samples";
import { onSignals } from "../signals";
import { connect, type Target, type TargetOptions } from "../target";

/**
 * Flags of `puffle-chat chat`.
 *
 * @example
 * ```ts
 * await runChat({ json: true, taskDuration: 50 } satisfies ChatCommandOptions, processIo());
 * ```
 */
export interface ChatCommandOptions extends TargetOptions {
  /** One JSON event per line on stdout; messages from stdin. */
  json?: boolean | undefined;
}

/**
 * Exit code after SIGINT in a non-interactive chat (128 + 2).
 *
 * @example
 * ```ts
 * if (code === EXIT_INTERRUPTED) console.error("interrupted");
 * ```
 */
export const EXIT_INTERRUPTED = 130;
/**
 * A SIGINT this soon (ms) after one that cancelled a wait is the same Ctrl-C delivered twice (the
 * terminal sends it to the whole process group, and a runner such as tsx relays it again): ignored.
 */
const DUPLICATE_SIGINT_MS = 1_000;

/**
 * Exit code after SIGTERM (128 + 15).
 *
 * @example
 * ```ts
 * if (code === EXIT_TERMINATED) console.error("terminated");
 * ```
 */
export const EXIT_TERMINATED = 143;

/**
 * Run the chat. It is interactive (clack prompt, spinner, streamed reply) when stdin and stdout are
 * terminals and `--json` is not given; otherwise it reads one message per line from stdin.
 *
 * Ctrl-C during a wait aborts the wait (the request, the realtime subscription and the polling
 * stop at once) and says so; the task already sent keeps running on the server, and the next turn
 * or /examples first waits for it, visibly ("Waiting for the previous turn to finish… 3 s"). An
 * interactive chat returns to the prompt, a non-interactive one ends with exit code 130. During a
 * wait the interactive chat holds the keyboard: what is typed is not echoed over the indicator but
 * shown in it, and kept as the next prompt's text. Ctrl-C at the prompt, `/quit` or the end of stdin leave normally.
 * SIGTERM ends with 143 at any time.
 *
 * @returns 0 on a normal end (non-interactive: 1 when a turn or command failed), 1 when the session
 * cannot be opened, 130 / 143 after SIGINT / SIGTERM as described above.
 * @example
 * ```ts
 * const code = await runChat({ json: true }, processIo());
 * ```
 */
export async function runChat(options: ChatCommandOptions, io: CliIo): Promise<number> {
  const interactive = !options.json && io.stdin.isTTY === true && io.stdout.isTTY === true;
  const view: ChatView = options.json ? jsonView(io) : humanView(io);
  const quit = new AbortController();
  let active: AbortController | undefined;
  let exitCode: number | undefined;
  let cancelledAt = Number.NEGATIVE_INFINITY;
  /** Cancel the wait in progress (Ctrl-C: a SIGINT, or the key itself while a wait holds the keyboard). */
  const interrupt = () => {
    if (!active || active.signal.aborted) return false;
    cancelledAt = Date.now();
    active.abort();
    return true;
  };
  const off = onSignals((signal) => {
    if (signal === "SIGINT" && interrupt()) return;
    // One Ctrl-C can arrive twice: from the terminal and relayed by a runner such as tsx.
    if (signal === "SIGINT" && Date.now() - cancelledAt < DUPLICATE_SIGINT_MS) return;
    exitCode ??= signal === "SIGTERM" ? EXIT_TERMINATED : EXIT_INTERRUPTED;
    active?.abort();
    quit.abort();
  });
  let target: Target | undefined;
  let input: MessageInput | undefined;
  let failed = false;
  /** A turn or example run whose wait was cancelled may still run on the server. */
  let taskMayRun = false;

  /**
   * Run one waiting step; `undefined` when it was cancelled or failed (already reported). The
   * indicator shows the seconds spent and what was typed meanwhile, and is gone when the step
   * ends, whatever the outcome.
   */
  async function step<T>(what: WaitKind, fn: (signal: AbortSignal) => Promise<T>) {
    const controller = new AbortController();
    active = controller;
    const started = Date.now();
    let typedAhead = "";
    const progress = () => view.progress({ elapsedMs: Date.now() - started, typedAhead });
    view.waiting(what);
    const ticker = setInterval(progress, 1_000);
    const release = input?.hold?.({
      onInterrupt: () => void interrupt(),
      onChange: (typed) => {
        typedAhead = typed;
        progress();
      },
    });
    try {
      return await fn(controller.signal);
    } catch (error) {
      if (isAbort(error) || controller.signal.aborted) {
        view.cancelled(what);
        if (what === "reply" || what === "examples") taskMayRun = true;
        if (!interactive) exitCode ??= EXIT_INTERRUPTED;
      } else {
        view.error(oneLine(error));
        failed = true;
      }
      return undefined;
    } finally {
      clearInterval(ticker);
      release?.();
      view.idle();
      active = undefined;
    }
  }

  /**
   * Before a dispatch: when a cancelled task may still run, wait for it visibly. `false` when that
   * wait was cancelled or failed; the message is then put back for the next prompt.
   */
  async function previousFinished(message: string): Promise<boolean> {
    if (!taskMayRun || !target) return true;
    const { client } = target;
    const done = await step("previous", (signal) => client.waitForIdle(sessionId, { signal }));
    if (done === undefined) {
      input?.keep?.(message);
      return false;
    }
    taskMayRun = false;
    return true;
  }
  let sessionId = "";

  try {
    target = await connect(options, io.env);
    const { client } = target;
    const session: Session = await client.getOrCreateSession({
      campaign_id: target.campaignId,
      node_id: target.nodeId,
    });
    sessionId = session.id;
    view.started({ session, kind: target.kind, baseURL: target.baseURL });
    input = interactive ? promptInput(io) : lineInput(io);

    while (exitCode === undefined) {
      const line = await input.read(quit.signal);
      if (line === null || exitCode !== undefined) break;
      const message = line.trim();
      if (message === "") continue;
      if (!interactive) view.echo(message);
      if (message === "/quit" || message === "/exit") break;
      if (message === "/help") {
        view.help();
      } else if (message === "/transcript") {
        const current = await step("session", (signal) =>
          client.getSession(session.id, { signal }),
        );
        if (current) view.transcript(current.messages);
      } else if (message === "/examples") {
        if (!(await previousFinished(message))) continue;
        const done = await step("examples", async (signal) => {
          const run = await client.generateExamples(
            session.id,
            { leads: [...SAMPLE_LEADS] },
            { signal, onBusy: "wait" },
          );
          return client.waitForIdleDetailed(session.id, { run, signal });
        });
        if (done) {
          view.examples(pairExamples(done.session, SAMPLE_LEADS), {
            ...done,
            requests: done.requests + 1,
          });
        }
      } else if (message === "/finish") {
        const result = await step("finish", (signal) =>
          client.finishSession(session.id, { signal }),
        );
        if (result) view.finished(result);
      } else if (message.startsWith("/")) {
        view.error(`Unknown command ${message}; try /help.`);
        failed = true;
      } else {
        if (!(await previousFinished(message))) continue;
        const outcome = await step("reply", (signal) =>
          streamTurn(
            client,
            session.id,
            { message, availableVarNames: [...SAMPLE_VAR_NAMES], sampleLeads: [...SAMPLE_LEADS] },
            { signal, onDelta: (text) => view.delta(text) },
          ),
        );
        if (outcome) {
          view.turn(message, outcome);
          const s = outcome.session;
          const hasDraft = !!(s.draft_subject || s.draft_body);
          const draft = { subject: s.draft_subject, body: s.draft_body };
          view.state(s, hasDraft ? lintDraft(draft, LINT_OPTIONS) : undefined);
        }
      }
    }
    return exitCode ?? (!interactive && failed ? 1 : 0);
  } catch (error) {
    if (exitCode !== undefined && (isAbort(error) || quit.signal.aborted)) return exitCode;
    // Could not open the session: a JSON error event for scripts, one line on stderr for people.
    if (options.json) view.error(oneLine(error));
    else io.stderr.write(`Error: ${oneLine(error)}\n`);
    return 1;
  } finally {
    view.idle();
    off();
    input?.close();
    await target?.close();
  }
}
