import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";

// The server puts the session this user may chat on into the page.
const sessionId =
  document.querySelector<HTMLMetaElement>('meta[name="puffle-session"]')?.content ?? "";
const root = document.getElementById("root");
if (root)
  createRoot(root).render(
    <StrictMode>
      <App sessionId={sessionId} />
    </StrictMode>,
  );
