// The browser side: everything comes from usePuffleChat, which talks to our /api/chat route
// (createChatRoute on the server) and follows each run with its public token. No API key here.

import { usePuffleChat } from "puffle-chat/react";
import { type FormEvent, useState } from "react";

export function App({ sessionId }: { sessionId: string }) {
  const [open, setOpen] = useState(true);
  return (
    <main>
      <header>
        <h1>Draft an email with Puffle</h1>
        <button type="button" id="toggle" onClick={() => setOpen((o) => !o)}>
          {open ? "Close chat" : "Open chat"}
        </button>
      </header>
      {open ? <Chat sessionId={sessionId} /> : <p id="closed">The chat is closed.</p>}
    </main>
  );
}

const LABELS = {
  idle: "Ready",
  sending: "Sending…",
  streaming: "Puffle is writing…",
  error: "Something went wrong",
} as const;

function Chat({ sessionId }: { sessionId: string }) {
  const chat = usePuffleChat({ api: "/api/chat", sessionId });
  const [text, setText] = useState("");

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    // send() resolves false when nothing was sent: a turn already runs (two fast clicks never
    // send two turns), or the route refused it (the text stays for another try).
    if (await chat.send(text)) setText("");
  }

  return (
    <>
      <section aria-label="Chat">
        <h2>
          Chat{" "}
          <span className="status" id="state" data-state={chat.status} role="status">
            {chat.loaded ? LABELS[chat.status] : "Loading…"}
            {chat.status === "streaming" && chat.runStatus ? ` (${chat.runStatus})` : ""}
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
          {chat.status === "streaming" && (
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
        {chat.lint && (
          <div id="lint" data-ok={chat.lint.ok}>
            <strong>Lint: {chat.lint.ok ? "ready to send" : "needs work"}</strong>
            <ul className="lint">
              {chat.lint.issues.map((issue) => (
                <li
                  key={`${issue.field}:${issue.start}:${issue.code}`}
                  data-severity={issue.severity}
                >
                  {issue.field} line {issue.line}: {issue.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        <h2>Examples for leads</h2>
        <button
          type="button"
          id="examples-button"
          disabled={chat.busy || !chat.skeleton}
          onClick={() => void chat.generateExamples()}
        >
          Generate examples
        </button>
        <div className="examples" id="examples">
          {chat.examples.map((e) => (
            <article key={`${e.lead_id ?? ""}:${e.subject}`}>
              <strong>{e.subject}</strong>
              <pre>{e.body}</pre>
            </article>
          ))}
        </div>
      </section>
    </>
  );
}
