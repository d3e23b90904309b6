/**
 * How the chat shows what happens: for people (sections, spinner, streamed reply) or for scripts
 * (`--json`: one JSON object per line).
 *
 * @module
 */

import type {
  FinishSessionResult,
  GeneratedExample,
  Lead,
  LintResult,
  Message,
  RenderResult,
  Session,
} from "../index";
import type { TurnOutcome } from "./chat-turn";
import { formatFinish } from "./finish-report";
import {
  formatDraft,
  formatExample,
  formatLint,
  formatSkeleton,
  formatTranscript,
  formatWait,
} from "./format";
import type { CliIo } from "./io";
import { createPrinter } from "./output";
import { createProgress } from "./progress";
import { leadLabel, renderForLead } from "./samples";

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
export type WaitKind = "reply" | "examples" | "session" | "finish";

const WAIT_TEXT: Record<WaitKind, string> = {
  reply: "Waiting for Puffle",
  examples: "Generating examples",
  session: "Reading the session",
  finish: "Finishing: copying the draft and resolving messages",
};

/**
 * What the chat loop reports; a human and a JSON implementation.
 *
 * @example
 * ```ts
 * const view: ChatView = options.json ? jsonView(io) : humanView(io);
 * ```
 */
export interface ChatView {
  started(info: { session: Session; kind: string; baseURL: string }): void;
  /** The user's message, when it was not typed at a prompt (piped stdin). */
  echo(message: string): void;
  waiting(what: WaitKind): void;
  delta(text: string): void;
  turn(message: string, outcome: TurnOutcome): void;
  state(session: Session, lint: LintResult | undefined): void;
  examples(examples: ShownExample[], wait: TurnOutcome["wait"]): void;
  transcript(messages: readonly Message[] | null): void;
  /** What `/finish` did (`finishSession`'s report). */
  finished(result: FinishSessionResult): void;
  help(): void;
  cancelled(): void;
  error(message: string): void;
}

/**
 * The chat's slash commands and what they do.
 *
 * @example
 * ```ts
 * Object.keys(CHAT_COMMANDS); // ["/examples", "/transcript", "/finish", "/help", "/quit"]
 * ```
 */
export const CHAT_COMMANDS: Readonly<Record<string, string>> = {
  "/examples": "generate examples for the sample leads and show them rendered",
  "/transcript": "show the whole conversation",
  "/finish":
    "finish: put the draft on the sequence node (or seed AI examples) and resolve messages",
  "/help": "show this help",
  "/quit": "leave (Ctrl-C at the prompt does the same)",
};

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

/**
 * The view for people: a spinner (or plain lines) while waiting, the reply streamed after
 * "Puffle: ", then the skeleton, the draft and the lint report.
 *
 * @example
 * ```ts
 * const view = humanView(io);
 * ```
 */
export function humanView(io: CliIo): ChatView {
  const print = createPrinter(io.stdout);
  const progress = createProgress(io.stdout);
  let streaming = false;
  return {
    started({ session, kind, baseURL }) {
      print.line(
        kind === "emulator"
          ? `Puffle chat (embedded emulator at ${baseURL})`
          : `Puffle chat (${baseURL})`,
      );
      print.line(`Session: ${session.id}`);
      print.line("Type a message, or /help.");
    },
    echo: (message) => print.line(`You: ${message}`),
    waiting: (what) => {
      streaming = false;
      progress.start(WAIT_TEXT[what]);
    },
    delta(text) {
      if (!streaming) {
        progress.clear();
        print.raw("Puffle: ");
        streaming = true;
      }
      print.raw(text);
    },
    turn(_message, outcome) {
      if (streaming) print.line();
      else progress.clear();
      if (!outcome.streamed || outcome.streamed.trim() !== (outcome.reply ?? "").trim()) {
        print.line(`Puffle: ${outcome.reply ?? "(no reply)"}`);
      }
      streaming = false;
      print.line(`(wait: ${formatWait(outcome.wait)})`);
    },
    state(session, lint) {
      print.section("Skeleton", formatSkeleton(session.skeleton));
      print.section("Draft", formatDraft(session.draft_subject, session.draft_body));
      print.section("Lint report", lint ? formatLint(lint) : "(no draft to lint yet)");
    },
    examples(examples, wait) {
      progress.clear();
      print.section("Examples", `${examples.length} examples (wait: ${formatWait(wait)})`);
      examples.forEach((e, i) => {
        print.line(formatExample(i + 1, leadLabel(e.lead), e.example, e.rendered));
        print.line();
      });
    },
    transcript: (messages) => print.section("Transcript", formatTranscript(messages)),
    finished(result) {
      progress.clear();
      print.section("Finish", formatFinish(result));
    },
    help() {
      const lines = Object.entries(CHAT_COMMANDS).map(([c, d]) => `  ${c.padEnd(12)} ${d}`);
      print.section(
        "Help",
        ["Anything else is sent to Puffle as a chat turn.", ...lines].join("\n"),
      );
    },
    cancelled() {
      streaming = false;
      progress.clear();
      print.line();
      print.line("cancelled");
    },
    error(message) {
      streaming = false;
      progress.clear();
      print.line(`Error: ${message}`);
    },
  };
}

/**
 * The view for scripts: one JSON object per line on stdout, `type` first: `session`, `waiting` (a wait
 * started; Ctrl-C now cancels it), `reply`, `skeleton`, `draft`, `lint`, `examples`, `transcript`, `finished`, `help`, `cancelled`, `error`. Deltas are
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
    started: ({ session, kind }) =>
      print.json({
        type: "session",
        id: session.id,
        campaign_id: session.campaign_id,
        node_id: session.node_id,
        target: kind,
      }),
    echo: noop,
    waiting: (what) => print.json({ type: "waiting", for: what }),
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
    cancelled: () => print.json({ type: "cancelled" }),
    error: (message) => print.json({ type: "error", message }),
  };
}
