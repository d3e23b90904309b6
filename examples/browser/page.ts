// The browser side, without a framework: createChatController talks to our /api/chat route
// (createChatRoute on the server) and follows each run with nothing but its public token. No API
// key ever reaches the page. The event list shows the raw ChatStreamEvents of the current turn.
import {
  type ChatStreamEvent,
  createChatController,
  type SubscribeToChatOptions,
  subscribeToChat,
} from "puffle-chat/realtime";

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector);
const form = $<HTMLFormElement>("#turn");
const input = $<HTMLInputElement>("#message");
const send = $<HTMLButtonElement>("#send");
const stop = $<HTMLButtonElement>("#stop");
const reply = $<HTMLElement>("#reply");
const log = $<HTMLOListElement>("#events");
const draft = $<HTMLElement>("#draft");
const state = $<HTMLElement>("#state");
const sessionId = document.querySelector<HTMLMetaElement>('meta[name="puffle-session"]')?.content;

/** subscribeToChat, with every event also written to the event list. */
async function* logged(options: SubscribeToChatOptions): AsyncIterable<ChatStreamEvent> {
  if (log) log.textContent = ""; // a new turn: a new list
  for await (const event of subscribeToChat(options)) {
    const item = document.createElement("li");
    item.dataset.type = event.type;
    item.textContent =
      event.type === "delta"
        ? `delta: ${event.text}`
        : event.type === "status"
          ? `status: ${event.status}`
          : event.type;
    log?.append(item);
    yield event;
  }
}

const chat = createChatController({
  api: "/api/chat",
  sessionId: sessionId ?? "",
  subscribe: logged,
});

chat.subscribe(() => {
  const s = chat.getState();
  const busy = s.status === "sending" || s.status === "streaming";
  if (send) send.disabled = busy; // one turn at a time: two fast clicks never send two turns
  if (stop) stop.disabled = !busy;
  if (state) {
    state.dataset.state = s.status;
    state.textContent = s.error ? `${s.status}: ${s.error.message}` : s.status;
  }
  if (reply)
    reply.textContent = s.status === "streaming" ? s.reply : (s.messages.at(-1)?.content ?? "");
  if (draft) draft.textContent = s.draft ? `${s.draft.subject}\n\n${s.draft.body}` : "";
});

form?.addEventListener("submit", async (e) => {
  e.preventDefault();
  if (input && (await chat.send(input.value))) input.value = "";
});
stop?.addEventListener("click", () => chat.stop());
await chat.load();
