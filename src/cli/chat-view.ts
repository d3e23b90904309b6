/**
 * How the chat shows what happens: for people (sections, spinner, streamed reply) or for scripts
 * (`--json`: one JSON object per line).
 *
 * @module
 */

import type { FinishSessionResult, GeneratedExample, Lead, Message, Session } from "../index";
import type { LintResult, RenderResult } from "../template/index";
import { endedLine, type OpenedHow, openedLines } from "./chat-session";
import type { TurnOutcome } from "./chat-turn";
import { formatFinish } from "./finish-report";
import { formatExample, formatState, formatTranscript, formatWait } from "./format";
import type { CliIo } from "./io";
import { createPrinter } from "./output";
import { createProgress } from "./progress";
import { leadLabel, renderForLead } from "./samples";
import type { Target } from "./target";
import { StreamWrapper, wrapText } from "./wrap";

/**
 * One example with its lead and the draft rendered for that lead.
 *
 * @example
 * ```ts
 * const [first]: ShownExample[] = pairExamples(session, SAMPLE_LEADS);
 * console.log(first?.rendered.subject);
 * ```
 */
export interface ShownExample {
  lead: Lead | undefined;
  example: GeneratedExample;
  rendered: RenderResult;
}

/**
 * What a wait is for: a turn's reply, an example run, or a session read.
 *
 * @example
 * ```ts
 * view.waiting("examples" satisfies WaitKind);
 * ```
 */
export type WaitKind = "reply" | "examples" | "session" | "previous" | "finish" | "save";

const WAIT_TEXT: Record<WaitKind, string> = {
  reply: "Waiting for Puffle",
  examples: "Generating examples",
  session: "Reading the session",
  previous: "Waiting for the previous turn to finish",
  finish: "Finishing: copying the draft and resolving messages",
  save: "Saving the draft",
};

/**
 * What the chat says after Ctrl-C cancelled a wait: a session read is simply cancelled; a turn or
 * an example run already dispatched goes on running on Puffle's side.
 *
 * @example
 * ```ts
 * print.line(cancelledText("reply"));
 * ```
 */
export function cancelledText(what: WaitKind): string {
  switch (what) {
    case "session":
      return "cancelled";
    case "save":
      return "cancelled: the draft may or may not have been saved (/transcript or /edit shows it)";
    case "finish":
      return "cancelled: /finish stopped; a step already sent may have been applied (run /finish again to see where it stands)";
    case "previous":
      return "cancelled: the previous turn still runs on Puffle's side; your next message waits for it to finish";
    default: {
      const task = what === "examples" ? "example run" : "turn";
      return `cancelled: the ${task} goes on running on Puffle's side; your next message waits for it to finish`;
    }
  }
}

/**
 * What the chat loop reports; a human and a JSON implementation.
 */
export interface ChatView {
  started(info: { session: Session; kind: Target["kind"]; baseURL: string; how: OpenedHow }): void;
  /** The chat ends: the session id and how to come back to it. */
  ended(sessionId: string, kind: Target["kind"]): void;
  /** A line of information (not an error). */
  note(message: string): void;
  /** The user's message, when it was not typed at a prompt (piped stdin). */
  echo(message: string): void;
  waiting(what: WaitKind): void;
  /** How long the current wait has lasted, and what was typed meanwhile (kept for the next prompt). */
  progress(info: { elapsedMs: number; typedAhead: string }): void;
  /** The wait is over, whatever its outcome: no indicator may stay on screen. */
  idle(): void;
  delta(text: string): void;
  turn(message: string, outcome: TurnOutcome): void;
  state(session: Session, lint: LintResult | undefined): void;
  examples(examples: ShownExample[], wait: TurnOutcome["wait"]): void;
  transcript(messages: readonly Message[] | null): void;
  /** What `/finish` did (`finishSession`'s report). */
  finished(result: FinishSessionResult): void;
  help(): void;
  cancelled(what: WaitKind): void;
  error(message: string): void;
}

/**
 * The chat's slash commands and what they do.
 *
 * @example
 * ```ts
 * Object.keys(CHAT_COMMANDS); // ["/examples", "/transcript", "/edit", "/set", "/finish", "/help", "/quit"]
 * ```
 */
export const CHAT_COMMANDS: Readonly<Record<string, string>> = {
  "/examples": "generate examples for the sample leads and show them rendered",
  "/transcript": "show the whole conversation",
  "/edit": "open $EDITOR (or $VISUAL) on the draft's subject and body, and save what you write",
  "/set": "/set subject <text> or /set body <text> (\\n for a new line): replace one field",
  "/finish":
    "finish: put the draft on the sequence node (or seed AI examples) and resolve messages",
  "/help": "show this help",
  "/quit": "leave (Ctrl-C at the prompt does the same)",
};

/**
 * The chat commands as `--help` lists them after the options.
 *
 * @example
 * ```ts
 * chatCommandsHelp(); // "\nChat commands (type them at the prompt):\n  /examples …"
 * ```
 */
export function chatCommandsHelp(): string {
  const lines = Object.entries(CHAT_COMMANDS).map(([c, d]) => `  ${c.padEnd(12)} ${d}`);
  return `\nChat commands (type them at the prompt):\n${lines.join("\n")}\n`;
}

/**
 * Examples paired with their lead (by `lead_id` when the leads have ids, else by position) and the
 * draft rendered for that lead with `renderDraft` (instruction blocks shown in brackets).
 *
 * @example
 * ```ts
 * view.examples(pairExamples(session, SAMPLE_LEADS), wait);
 * ```
 */
export function pairExamples(session: Session, leads: readonly Lead[]): ShownExample[] {
  const draft = { subject: session.draft_subject, body: session.draft_body };
  return (session.generated_examples ?? []).map((example, i) => {
    const lead =
      leads.find((l) => {
        const leadId = (l as { id?: unknown }).id; // a lead record may carry its own id
        return leadId !== undefined && leadId === example.lead_id;
      }) ?? leads[i];
    return { lead, example, rendered: renderForLead(draft, lead) };
  });
}

/** The chat's first lines: where it talks to, the session and how it was opened. */
function startedLines(info: Parameters<ChatView["started"]>[0], newFlag: boolean): string[] {
  const { session, kind, baseURL, how } = info;
  const where = kind === "emulator" ? `embedded emulator at ${baseURL}` : baseURL;
  return [
    `Puffle chat (${where})`,
    `Session: ${session.id}`,
    ...openedLines(session, how, newFlag),
    "Type a message, or /help.",
  ];
}

/**
 * The view for people: a spinner (or plain lines) while waiting, the reply streamed after
 * "Puffle: ", then the skeleton, the draft and the lint report.
 *
 * @example
 * ```ts
 * const view = humanView(io);
 * ```
 */
export function humanView(io: CliIo, newFlag = false): ChatView {
  const print = createPrinter(io.stdout);
  const progress = createProgress(io.stdout);
  /** The terminal's width (0: not a terminal, nothing is wrapped), read at every use. */
  const width = () => (io.stdout.isTTY ? (io.stdout.columns ?? 80) : 0);
  const line = (text = "") => print.line(wrapText(text, width()));
  const section = (title: string, body: string) => print.section(title, wrapText(body, width()));
  let stream: StreamWrapper | undefined;
  let current: WaitKind = "reply";
  const endStream = () => {
    if (stream) print.raw(`${stream.end()}\n`);
    stream = undefined;
  };
  return {
    started: (info) => {
      for (const text of startedLines(info, newFlag)) line(text);
    },
    ended: (sessionId, kind) => {
      progress.clear();
      line(endedLine(sessionId, kind));
    },
    note: (message) => line(message),
    echo: (message) => line(`You: ${message}`),
    waiting: (what) => {
      current = what;
      stream = undefined;
      progress.start(WAIT_TEXT[what]);
    },
    progress({ elapsedMs, typedAhead }) {
      if (stream) return; // the reply is streaming: the indicator is gone
      const head = `${WAIT_TEXT[current]}… ${Math.floor(elapsedMs / 1000)} s`;
      const kept = typedAhead.trim();
      if (kept === "") return progress.update(head);
      // One line: the spinner cannot clear what wrapped. Show the end of what was typed.
      const label = ' (kept for your next message: "")';
      const room = Math.max(8, (width() || 80) - 3 - head.length - label.length);
      const shown = kept.length > room ? `…${kept.slice(-(room - 1))}` : kept;
      progress.update(`${head} (kept for your next message: "${shown}")`);
    },
    idle: () => progress.clear(),
    delta(text) {
      if (!stream) {
        progress.clear();
        print.raw("Puffle: ");
        stream = new StreamWrapper(width, "Puffle: ".length);
      }
      print.raw(stream.push(text));
    },
    turn(_message, outcome) {
      const streamed = stream !== undefined;
      if (streamed) endStream();
      else progress.clear();
      if (!outcome.streamed || outcome.streamed.trim() !== (outcome.reply ?? "").trim()) {
        line(`Puffle: ${outcome.reply ?? "(no reply)"}`);
      }
      line(`(wait: ${formatWait(outcome.wait)})`);
    },
    state(session, lint) {
      for (const [title, body] of formatState(session, lint)) section(title, body);
    },
    examples(examples, wait) {
      progress.clear();
      section("Examples", `${examples.length} examples (wait: ${formatWait(wait)})`);
      examples.forEach((e, i) => {
        line(formatExample(i + 1, leadLabel(e.lead), e.example, e.rendered));
        line();
      });
    },
    transcript: (messages) => {
      progress.clear();
      section("Transcript", formatTranscript(messages));
    },
    finished(result) {
      progress.clear();
      section("Finish", formatFinish(result));
    },
    help() {
      const lines = Object.entries(CHAT_COMMANDS).map(([c, d]) => `  ${c.padEnd(12)} ${d}`);
      section("Help", ["Anything else is sent to Puffle as a chat turn.", ...lines].join("\n"));
    },
    cancelled(what) {
      progress.clear();
      // A reply cut mid-stream says so where it stops: the rest was never shown.
      if (stream) print.raw(`${stream.end()} (cut off)\n`);
      else line();
      stream = undefined;
      line(cancelledText(what));
    },
    error(message) {
      progress.clear();
      if (stream) endStream();
      line(`Error: ${message}`);
    },
  };
}

/**
 * The view for scripts: one JSON object per line on stdout, `type` first: `session` (with `opened`:
 * `new`, `resumed` or `opened`, and the number of `messages`), `note` (an edit changed nothing), `waiting` (a wait
 * started, `for` what: `reply`, `examples`, `session`, `previous` or `finish`; Ctrl-C now cancels it), `reply`, `skeleton`, `draft`, `lint`, `examples`, `transcript`, `finished` (what `/finish` did), `help`, `cancelled` (`for` what, and `task_continues`: whether a dispatched task goes on on the server), `error`. Deltas are
 * not reported (the `reply` event carries the whole reply).
 *
 * @example
 * ```ts
 * const view = jsonView(io); // {"type":"reply","message":"…","reply":"…",…}
 * ```
 */
export function jsonView(io: CliIo): ChatView {
  const print = createPrinter(io.stdout);
  const noop = () => {};
  return {
    started: ({ session, kind, how }) =>
      print.json({
        type: "session",
        id: session.id,
        campaign_id: session.campaign_id,
        node_id: session.node_id,
        target: kind,
        opened: how,
        messages: session.messages?.length ?? 0,
      }),
    ended: noop,
    note: (message) => print.json({ type: "note", message }),
    echo: noop,
    waiting: (what) => print.json({ type: "waiting", for: what }),
    progress: noop,
    idle: noop,
    delta: noop,
    turn: (message, o) =>
      print.json({
        type: "reply",
        message,
        reply: o.reply,
        wait: { mode: o.wait.mode, requests: o.wait.requests, elapsed_ms: o.wait.elapsedMs },
      }),
    state(session, lint) {
      if (session.skeleton) print.json({ type: "skeleton", skeleton: session.skeleton });
      if (session.draft_subject !== null || session.draft_body !== null) {
        print.json({ type: "draft", subject: session.draft_subject, body: session.draft_body });
      }
      if (lint) print.json({ type: "lint", ok: lint.ok, issues: lint.issues });
    },
    examples: (examples, wait) =>
      print.json({
        type: "examples",
        examples: examples.map((e) => ({
          lead: e.lead ?? null,
          subject: e.example.subject,
          body: e.example.body,
          rendered: { subject: e.rendered.subject, body: e.rendered.body },
        })),
        wait: { mode: wait.mode, requests: wait.requests, elapsed_ms: wait.elapsedMs },
      }),
    transcript: (messages) => print.json({ type: "transcript", messages: messages ?? [] }),
    finished: (r) =>
      print.json({
        type: "finished",
        copied: r.copied,
        via: r.via,
        node_id: r.node.id,
        steps: r.steps,
        messages: r.nodeMessages,
      }),
    help: () => print.json({ type: "help", commands: CHAT_COMMANDS }),
    cancelled: (what) =>
      print.json({
        type: "cancelled",
        for: what,
        // A dispatched task is not stopped by a cancelled wait.
        task_continues: what === "reply" || what === "examples" || what === "previous",
        ...(what === "save" ? { saved: "unknown" } : {}),
      }),
    error: (message) => print.json({ type: "error", message }),
  };
}
