// The browser side, with the AI SDK's stock useChat: DefaultChatTransport posts to our /api/chat
// route (createChatRoute with protocol "ai-sdk" on the server), which streams the Puffle turn
// as a UI message stream. No API key, no run token here: the route follows the run itself.

import { useChat } from "@ai-sdk/react";
import { DefaultChatTransport, type UIMessage } from "ai";
// Types only: the data parts the route streams (nothing of the server entry reaches the page).
import type { PuffleDraftData, PuffleRunData } from "puffle-chat/server";
import { type FormEvent, useEffect, useRef, useState } from "react";

const transport = new DefaultChatTransport({ api: "/api/chat" });

export function App({ sessionId, initial }: { sessionId: string; initial: UIMessage[] }) {
  // The chat id is the Puffle session id; `resume: true` re-attaches to a turn still running
  // after a reload (GET /api/chat/{id}/stream: 204 when the session is idle).
  const { messages, sendMessage, status, error, stop } = useChat({
    id: sessionId,
    messages: initial,
    transport,
    resume: true,
  });
  const [text, setText] = useState("");
  const busy = status === "submitted" || status === "streaming";
  // `status` changes on the next render: this ref closes the gap between two submits in one task.
  // (The route refuses a second turn anyway, 409 session_busy: never a second paid turn; the ref
  // only keeps the page from showing the refused message.)
  const sending = useRef(false);
  // Keep the newest message in view as it streams.
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    list.current?.scrollTo({ top: list.current.scrollHeight });
  });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (busy || sending.current || text.trim() === "") return;
    sending.current = true;
    setText("");
    void sendMessage({ text }).finally(() => {
      sending.current = false;
    });
  }

  const last = messages.at(-1);
  const run = last?.role === "assistant" ? dataOf<PuffleRunData>(last, "data-run") : undefined;
  const draft = messages.map((m) => dataOf<PuffleDraftData>(m, "data-draft")).findLast(Boolean);

  return (
    <main>
      <header>
        <h1>Draft an email with Puffle (the AI SDK's useChat)</h1>
      </header>
      <section aria-label="Chat">
        <h2>
          Chat{" "}
          <span className="status" id="state" data-state={status} role="status">
            {status}
            {run && busy ? ` (${run.status})` : ""}
          </span>
        </h2>
        {error && (
          <div className="error" id="error" role="alert">
            <span>{error.message}</span>
          </div>
        )}
        <ol className="messages" id="messages" ref={list}>
          {messages.map((m) => (
            <li key={m.id} className={m.role} data-role={m.role}>
              {m.parts.map((p, i) =>
                p.type === "text" ? (
                  // biome-ignore lint/suspicious/noArrayIndexKey: parts only ever grow
                  <p key={i}>{p.text}</p>
                ) : null,
              )}
            </li>
          ))}
        </ol>
        {run && busy && (
          <p className="hint" id="notice">
            {run.notice}
          </p>
        )}
        <form onSubmit={onSubmit}>
          <textarea
            id="message"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Tell Puffle about the email you want…"
            rows={3}
          />
          <div className="actions">
            <button type="submit" id="send" disabled={busy}>
              Send
            </button>
            <button type="button" id="stop" disabled={!busy} onClick={() => void stop()}>
              Stop
            </button>
          </div>
        </form>
      </section>
      <aside aria-label="Draft" id="draft">
        <h2>Draft</h2>
        {draft ? (
          <>
            <p id="subject">
              <strong>{draft.subject}</strong>
            </p>
            <pre id="body">{draft.body}</pre>
            <p id="lint" data-ok={draft.lint ? String(draft.lint.ok) : "pending"}>
              {draft.lint
                ? draft.lint.ok
                  ? "Lint: no errors"
                  : `Lint: ${draft.lint.issues.map((i) => i.message).join("; ")}`
                : "Linting…"}
            </p>
          </>
        ) : (
          <p id="no-draft">No draft yet: chat first.</p>
        )}
      </aside>
    </main>
  );
}

function dataOf<T>(message: UIMessage, type: `data-${string}`): T | undefined {
  const part = message.parts.findLast((p) => p.type === type) as { data?: T } | undefined;
  return part?.data;
}
