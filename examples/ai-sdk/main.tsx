import type { UIMessage } from "ai";
import type { ChatRouteSession } from "puffle-chat/server";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import "../react/style.css";
import "./style.css";

// The server puts the session this user may chat on into the page; the transcript so far comes
// from the same route (GET ?sessionId=, the route's read on both protocols).
const sessionId =
  document.querySelector<HTMLMetaElement>('meta[name="puffle-session"]')?.content ?? "";

async function transcript(): Promise<UIMessage[]> {
  const res = await fetch(`/api/chat?sessionId=${encodeURIComponent(sessionId)}`);
  if (!res.ok) return [];
  const { session, lint } = (await res.json()) as ChatRouteSession;
  const messages: UIMessage[] = (session.messages ?? []).map((m, i) => ({
    id: `${sessionId}-${i}`,
    role: m.role === "user" ? "user" : "assistant",
    parts: [{ type: "text", text: m.content }],
  }));
  // The draft so far, as the same data part a turn streams.
  const last = messages.findLast((m) => m.role === "assistant");
  if (last && (session.draft_subject != null || session.draft_body != null))
    last.parts.push({
      type: "data-draft",
      id: "draft",
      data: { subject: session.draft_subject ?? "", body: session.draft_body ?? "", lint },
    });
  return messages;
}

const root = document.getElementById("root");
if (root) {
  const initial = await transcript();
  createRoot(root).render(
    <StrictMode>
      <App sessionId={sessionId} initial={initial} />
    </StrictMode>,
  );
}
