import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App, type PageInfo } from "./App";

// The server puts the session this user may chat on, its node's type and the leads into the page.
const meta = (name: string) =>
  document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? "";
const page: PageInfo = {
  sessionId: meta("puffle-session"),
  nodeType: meta("puffle-node-type"),
  leads: meta("puffle-leads").split("|").filter(Boolean),
};
const root = document.getElementById("root");
if (root)
  createRoot(root).render(
    <StrictMode>
      <App page={page} />
    </StrictMode>,
  );
