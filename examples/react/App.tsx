// The browser side: everything comes from usePuffleChat, which talks to our /api/chat route
// (createChatRoute on the server) and follows each run with its public token. No API key here.

import { type UsePuffleChatResult, usePuffleChat } from "puffle-chat/react";
import type { ChatExample, ChatLintReport } from "puffle-chat/realtime";
import { type FormEvent, useState } from "react";

/** What the server put into the page: the session, its node's type, the leads' names. */
export interface PageInfo {
  sessionId: string;
  /** `"ai"`, `"email"`, or `""` when the server could not tell. */
  nodeType: string;
  /** The leads examples are written for, in order ("Ada (Analytical Engines)"). */
  leads: string[];
}

export function App({ page }: { page: PageInfo }) {
  const [open, setOpen] = useState(true);
  return (
    <main>
      <header>
        <h1>Draft an email with Puffle</h1>
        <button type="button" id="toggle" onClick={() => setOpen((o) => !o)}>
          {open ? "Close chat" : "Open chat"}
        </button>
      </header>
      {open ? <Chat page={page} /> : <p id="closed">The chat is closed.</p>}
    </main>
  );
}

/** The status pill in words (the run's raw QUEUED / EXECUTING never reach the user). */
function statusText(chat: UsePuffleChatResult): string {
  if (!chat.loaded) return "Loading…";
  if (chat.status === "idle") return "Ready";
  if (chat.status === "error") return "Something went wrong";
  if (chat.status === "sending") return "Sending…";
  const examples = chat.task === "examples";
  switch (chat.runStatus) {
    case "QUEUED":
    case "PENDING":
    case "DELAYED":
    case "WAITING_FOR_DEPLOY":
      return "Queued";
    case "EXECUTING":
    case "DEQUEUED":
      return examples ? "Writing examples…" : "Writing…";
    default:
      return examples ? "Generating examples…" : "Working…";
  }
}

function Chat({ page }: { page: PageInfo }) {
  const chat = usePuffleChat({ api: "/api/chat", sessionId: page.sessionId });
  const [text, setText] = useState("");

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const message = text;
    // Cleared at once: the message is in the list while Puffle answers. send() resolves false
    // when nothing was sent (a turn already runs: two fast clicks never send two turns; or the
    // route refused it): then the text comes back for another try, unless something new was typed.
    setText("");
    if (!(await chat.send(message))) setText((typed) => (typed === "" ? message : typed));
  }

  return (
    <>
      <section aria-label="Chat">
        <h2>
          Chat{" "}
          <span className="status" id="state" data-state={chat.status} role="status">
            {statusText(chat)}
          </span>
        </h2>
        {chat.error && (
          <div className="error" id="error" role="alert" data-code={chat.error.code}>
            <span>{chat.error.message}</span>
            <button type="button" id="retry" onClick={() => void chat.retry()}>
              {chat.error.dispatched ? "Reload" : "Retry"}
            </button>
          </div>
        )}
        <ol className="messages" id="messages">
          {chat.messages.map((m, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: messages only ever grow
            <li key={i} data-role={m.role} data-stopped={m.stopped === true}>
              {m.content}
            </li>
          ))}
          {chat.status === "streaming" && chat.task === "turn" && (
            <li data-role="assistant" className="writing" id="reply">
              {chat.reply}
            </li>
          )}
        </ol>
        {chat.stopped && (
          <p className="notice" id="stopped">
            Stopped. Puffle may still finish this turn; its result shows on the next reload.
          </p>
        )}
        <form onSubmit={onSubmit}>
          <input
            id="message"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Intro email for VPs of Sales, emphasising time to ROI"
            aria-label="Message"
          />
          <button type="submit" id="send" disabled={chat.busy || text.trim() === ""}>
            Send
          </button>
          <button type="button" id="stop" onClick={chat.stop} disabled={!chat.busy}>
            Stop
          </button>
        </form>
      </section>
      <section aria-label="Draft">
        <h2>Draft</h2>
        {chat.draft ? (
          <div id="draft">
            <strong>Subject</strong>
            <pre id="draft-subject">{chat.draft.subject}</pre>
            <strong>Body</strong>
            <pre id="draft-body">{chat.draft.body}</pre>
          </div>
        ) : (
          <p className="notice">No draft yet: describe the email you want.</p>
        )}
        {chat.lint && <Lint lint={chat.lint} nodeType={page.nodeType} />}
        <h2>Examples for leads</h2>
        <button
          type="button"
          id="examples-button"
          disabled={chat.busy || !chat.skeleton}
          onClick={() => void chat.generateExamples()}
        >
          Generate examples
        </button>
        {chat.task === "examples" && (
          <p className="notice" id="examples-running">
            Writing one example per lead ({page.leads.length} leads)…
          </p>
        )}
        <div className="examples" id="examples">
          {chat.examples.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a batch is replaced whole, never reordered
            <article key={`${e.lead_id ?? ""}:${i}:${e.subject}`}>
              <p className="for">For {leadOf(e, i, page.leads)}</p>
              <strong>{e.subject}</strong>
              <pre>{e.body}</pre>
            </article>
          ))}
        </div>
        <Finish chat={chat} page={page} />
      </section>
    </>
  );
}

/**
 * Who an example is for: the name the server wrote on it (`lead_name`, the emulator's field; the
 * real API's is undocumented), else the lead at the same position of the list sent.
 */
function leadOf(example: ChatExample, index: number, leads: readonly string[]): string {
  const named = example.lead_name;
  if (typeof named === "string" && named !== "")
    return leads.find((l) => l.startsWith(`${named} `) || l === named) ?? named;
  return leads[index] ?? `lead ${index + 1}`;
}

/**
 * The lint report. On an ai node the &&instruction&& blocks are the point (Puffle writes them per
 * lead), so a draft whose only errors are blocks is explained, not shown as a failure.
 */
function Lint({ lint, nodeType }: { lint: ChatLintReport; nodeType: string }) {
  const errors = lint.issues.filter((i) => i.severity === "error");
  const onlyBlocks = errors.length > 0 && errors.every((i) => i.code === "unfilled-instruction");
  const expected = nodeType === "ai" && onlyBlocks;
  const state = lint.ok ? "ok" : expected ? "blocks" : "errors";
  return (
    <div id="lint" data-ok={lint.ok} data-state={state}>
      <strong>
        {lint.ok
          ? "Lint: ready to send"
          : expected
            ? "Instruction blocks, as expected"
            : "Lint: needs work"}
      </strong>
      {expected && (
        <p className="notice" id="lint-blocks">
          This is an AI node: Puffle fills each &&instruction&& block for every lead when it writes
          the examples (and again at launch), so they stay in the draft. An email node is sent as
          written: there, ask for the final text first.
        </p>
      )}
      {!lint.ok && !expected && onlyBlocks && (
        <p className="notice">Ask Puffle for the final text to fill the instruction blocks.</p>
      )}
      <ul className="lint">
        {lint.issues.map((issue) => (
          <li
            key={`${issue.field}:${issue.start}:${issue.code}`}
            data-severity={
              expected && issue.code === "unfilled-instruction" ? "info" : issue.severity
            }
          >
            {issue.field} line {issue.line}: {issue.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The last step: finishSession on the server (the example's /api/finish), then what it did. */
function Finish({ chat, page }: { chat: UsePuffleChatResult; page: PageInfo }) {
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [finishing, setFinishing] = useState(false);
  const needsExamples = page.nodeType === "ai" && chat.examples.length === 0;
  async function finish() {
    setFinishing(true);
    setResult(null);
    try {
      const res = await fetch("/api/finish", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ sessionId: page.sessionId }),
      });
      const body = (await res.json()) as { messages?: number; error?: { message: string } };
      setResult(
        res.ok
          ? { ok: true, text: `Finished: ${body.messages ?? 0} messages are ready for launch.` }
          : { ok: false, text: body.error?.message ?? `The server answered ${res.status}.` },
      );
    } catch {
      setResult({ ok: false, text: "The server could not be reached; try again." });
    } finally {
      setFinishing(false);
    }
  }
  return (
    <div className="finish">
      <h2>Finish</h2>
      <p className="notice">
        {needsExamples
          ? "Generate examples first: an AI node's messages are seeded from them."
          : "Put the draft on the campaign and prepare each lead's message."}
      </p>
      <button
        type="button"
        id="finish-button"
        disabled={chat.busy || finishing || !chat.draft || needsExamples}
        onClick={() => void finish()}
      >
        {finishing ? "Finishing…" : "Finish for launch"}
      </button>
      {result && (
        <p id="finish-result" data-ok={result.ok} role="status">
          {result.text}
        </p>
      )}
    </div>
  );
}
