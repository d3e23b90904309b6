/**
 * `puffle-chat chat`: an interactive chat about one campaign node, in a terminal or driven by a
 * script through stdin (`--json`).
 *
 * @module
 */

import type { Session } from "../../index";
import { lintDraft } from "../../template/index";
import { type EditableDraft, editInEditor, setField } from "../chat-edit";
import { chatErrorText } from "../chat-hints";
import { lineInput, type MessageInput, promptInput } from "../chat-input";
import { openSession, type SessionChoice } from "../chat-session";
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
export interface ChatCommandOptions extends TargetOptions, SessionChoice {
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
  const chat: Chat = {
    interactive,
    view: options.json ? jsonView(io) : humanView(io, options.new === true),
    quit: new AbortController(),
    active: undefined,
    exitCode: undefined,
    cancelledAt: Number.NEGATIVE_INFINITY,
    target: undefined,
    input: undefined,
    failed: false,
    taskMayRun: false,
    sessionId: "",
    editing: false,
    env: io.env,
  };
  const off = onSignals((signal) => {
    // The editor of /edit owns the terminal: its Ctrl-C is its own.
    if (signal === "SIGINT" && chat.editing) return;
    if (signal === "SIGINT" && interrupt(chat)) return;
    // One Ctrl-C can arrive twice: from the terminal and relayed by a runner such as tsx.
    if (signal === "SIGINT" && Date.now() - chat.cancelledAt < DUPLICATE_SIGINT_MS) return;
    chat.exitCode ??= signal === "SIGTERM" ? EXIT_TERMINATED : EXIT_INTERRUPTED;
    chat.active?.abort();
    chat.quit.abort();
  });
  try {
    await converse(chat, options, io);
    return chat.exitCode ?? (!interactive && chat.failed ? 1 : 0);
  } catch (error) {
    if (chat.exitCode !== undefined && (isAbort(error) || chat.quit.signal.aborted))
      return chat.exitCode;
    // Could not open the session: a JSON error event for scripts, one line on stderr for people.
    if (options.json) chat.view.error(oneLine(error));
    else io.stderr.write(`Error: ${oneLine(error)}\n`);
    return 1;
  } finally {
    chat.view.idle();
    off();
    chat.input?.close();
    await chat.target?.close();
  }
}

/** One terminal chat in progress. */
interface Chat {
  interactive: boolean;
  view: ChatView;
  /** Aborted by SIGTERM or a Ctrl-C outside a wait: the chat ends. */
  quit: AbortController;
  /** The wait in progress, which Ctrl-C cancels. */
  active: AbortController | undefined;
  exitCode: number | undefined;
  cancelledAt: number;
  target: Target | undefined;
  input: MessageInput | undefined;
  failed: boolean;
  /** A turn or example run whose wait was cancelled may still run on the server. */
  taskMayRun: boolean;
  sessionId: string;
  /** `/edit`'s editor runs: SIGINT is the editor's. */
  editing: boolean;
  env: CliIo["env"];
}

/** Cancel the wait in progress (Ctrl-C: a SIGINT, or the key itself while a wait holds the keyboard). */
function interrupt(chat: Chat): boolean {
  if (!chat.active || chat.active.signal.aborted) return false;
  chat.cancelledAt = Date.now();
  chat.active.abort();
  return true;
}

/** Open the session, then read and answer lines until the input ends or a signal quits. */
async function converse(chat: Chat, options: ChatCommandOptions, io: CliIo): Promise<void> {
  const target = await connect(options, io.env);
  chat.target = target;
  const { session, how } = await openSession(target, options);
  chat.sessionId = session.id;
  chat.view.started({ session, kind: target.kind, baseURL: target.baseURL, how });
  if (how !== "new") showState(chat, session);
  const input = chat.interactive ? promptInput(io) : lineInput(io);
  chat.input = input;
  while (chat.exitCode === undefined) {
    const line = await input.read(chat.quit.signal);
    if (line === null || chat.exitCode !== undefined) break;
    const message = line.trim();
    if (message === "") continue;
    if (!chat.interactive) chat.view.echo(message);
    if (message === "/quit" || message === "/exit") break;
    await answer(chat, target.client, message);
  }
  chat.view.ended(chat.sessionId, target.kind);
}

/** One line: a command, or a message for the session. */
async function answer(chat: Chat, client: Target["client"], message: string): Promise<void> {
  const { view, sessionId } = chat;
  if (message === "/help") {
    view.help();
  } else if (message === "/transcript") {
    const current = await step(chat, "session", (signal) =>
      client.getSession(sessionId, { signal }),
    );
    if (current) view.transcript(current.messages);
  } else if (message === "/examples") {
    if (await previousFinished(chat, message)) await examples(chat, client);
  } else if (message === "/edit" || /^\/set(\s|$)/.test(message)) {
    if (await previousFinished(chat, message)) await edit(chat, client, message);
  } else if (message === "/finish") {
    const result = await step(chat, "finish", (signal) =>
      client.finishSession(sessionId, { signal }),
    );
    if (result) view.finished(result);
  } else if (message.startsWith("/")) {
    view.error(`Unknown command ${message}; try /help.`);
    chat.failed = true;
  } else if (await previousFinished(chat, message)) {
    await turn(chat, client, message);
  }
}

async function examples(chat: Chat, client: Target["client"]): Promise<void> {
  const { sessionId } = chat;
  const done = await step(chat, "examples", async (signal) => {
    const run = await client.generateExamples(
      sessionId,
      { leads: [...SAMPLE_LEADS] },
      { signal, onBusy: "wait" },
    );
    return client.waitForIdleDetailed(sessionId, { run, signal });
  });
  if (done) {
    chat.view.examples(pairExamples(done.session, SAMPLE_LEADS), {
      ...done,
      requests: done.requests + 1,
    });
  }
}

async function turn(chat: Chat, client: Target["client"], message: string): Promise<void> {
  const { view } = chat;
  const outcome = await step(chat, "reply", (signal) =>
    streamTurn(
      client,
      chat.sessionId,
      { message, availableVarNames: [...SAMPLE_VAR_NAMES], sampleLeads: [...SAMPLE_LEADS] },
      { signal, onDelta: (text) => view.delta(text) },
    ),
  );
  if (outcome) {
    view.turn(message, outcome);
    showState(chat, outcome.session);
  }
}

/** The skeleton, the draft and its lint report. */
function showState(chat: Chat, s: Session): void {
  const hasDraft = !!(s.draft_subject || s.draft_body);
  const draft = { subject: s.draft_subject, body: s.draft_body };
  chat.view.state(s, hasDraft ? lintDraft(draft, LINT_OPTIONS) : undefined);
}

/**
 * `/edit` (the editor on subject and body) or `/set subject|body …`: read the session, change the
 * draft, write it with `updateSession` when it changed, show it linted.
 */
async function edit(chat: Chat, client: Target["client"], command: string): Promise<void> {
  const { view, sessionId } = chat;
  const current = await step(chat, "session", (signal) => client.getSession(sessionId, { signal }));
  if (!current) return;
  const before: EditableDraft = {
    subject: current.draft_subject ?? "",
    body: current.draft_body ?? "",
  };
  let after: EditableDraft;
  if (command === "/edit") {
    chat.editing = true;
    const edited = await editInEditor(before, chat.env).finally(() => {
      chat.editing = false;
    });
    if ("failed" in edited) return view.error(`Nothing changed: ${edited.failed}.`);
    after = edited.draft;
  } else {
    const set = setField(before, command);
    if ("usage" in set) return view.error(set.usage);
    after = set.draft;
  }
  if (after.subject === before.subject && after.body === before.body)
    return view.note("No change: the draft is as it was.");
  const saved = await step(chat, "save", (signal) =>
    client.updateSession(
      sessionId,
      { draft_subject: after.subject, draft_body: after.body },
      { signal },
    ),
  );
  if (saved) showState(chat, saved);
}

/**
 * Run one waiting step; `undefined` when it was cancelled or failed (already reported). The
 * indicator shows the seconds spent and what was typed meanwhile, and is gone when the step
 * ends, whatever the outcome.
 */
async function step<T>(
  chat: Chat,
  what: WaitKind,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T | undefined> {
  const { view } = chat;
  const controller = new AbortController();
  chat.active = controller;
  const started = Date.now();
  let typedAhead = "";
  const progress = () => view.progress({ elapsedMs: Date.now() - started, typedAhead });
  view.waiting(what);
  const ticker = setInterval(progress, 1_000);
  const release = chat.input?.hold?.({
    onInterrupt: () => void interrupt(chat),
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
      if (what === "reply" || what === "examples") chat.taskMayRun = true;
      if (!chat.interactive) chat.exitCode ??= EXIT_INTERRUPTED;
    } else {
      view.error(chatErrorText(error));
      chat.failed = true;
    }
    return undefined;
  } finally {
    clearInterval(ticker);
    release?.();
    view.idle();
    chat.active = undefined;
  }
}

/**
 * Before a dispatch: when a cancelled task may still run, wait for it visibly. `false` when that
 * wait was cancelled or failed; the message is then put back for the next prompt.
 */
async function previousFinished(chat: Chat, message: string): Promise<boolean> {
  if (!chat.taskMayRun || !chat.target) return true;
  const { client } = chat.target;
  const { sessionId } = chat;
  const done = await step(chat, "previous", (signal) => client.waitForIdle(sessionId, { signal }));
  if (done === undefined) {
    chat.input?.keep?.(message);
    return false;
  }
  chat.taskMayRun = false;
  return true;
}
