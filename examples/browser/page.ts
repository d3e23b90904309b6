// The browser side: asks our own server for a run handle, then renders the chat stream live with
// nothing but the run's public token. No API key ever reaches the page.
import { type ChatStreamEvent, isRealtimeError, subscribeToChat } from "../../src/realtime/index";

const form = document.querySelector<HTMLFormElement>("#turn");
const input = document.querySelector<HTMLInputElement>("#message");
const reply = document.querySelector<HTMLElement>("#reply");
const log = document.querySelector<HTMLOListElement>("#events");
const draft = document.querySelector<HTMLElement>("#draft");
const state = document.querySelector<HTMLElement>("#state");

function setState(value: string): void {
  if (state) {
    state.dataset.state = value;
    state.textContent = value;
  }
}

function render(event: ChatStreamEvent): void {
  const item = document.createElement("li");
  item.dataset.type = event.type;
  item.textContent =
    event.type === "delta"
      ? `delta: ${event.text}`
      : event.type === "status"
        ? `status: ${event.status}`
        : event.type;
  log?.append(item);
  if (event.type === "delta" && reply) reply.textContent += event.text;
  if (event.type === "draft" && draft) draft.textContent = `${event.subject}\n\n${event.body}`;
}

form?.addEventListener("submit", async (e) => {
  e.preventDefault();
  const message = input?.value.trim();
  if (!message) return;
  if (reply) reply.textContent = "";
  setState("dispatching");
  const res = await fetch("/api/turn", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ message }),
  });
  if (!res.ok) {
    setState(`error: ${(await res.json()).error}`);
    return;
  }
  const { runId, publicAccessToken, triggerBaseURL } = await res.json();
  setState("streaming");
  try {
    for await (const event of subscribeToChat({ runId, publicAccessToken, triggerBaseURL }))
      render(event);
    setState("done");
  } catch (error) {
    setState(isRealtimeError(error) ? `realtime error: ${error.kind}` : `error: ${String(error)}`);
  }
});
setState("ready");
