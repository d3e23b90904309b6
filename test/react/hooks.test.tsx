// @vitest-environment happy-dom
/**
 * puffle-chat/react in a DOM (happy-dom) with React 19: usePuffleChat over the real chat route and
 * the emulator; StrictMode opens one subscription and reads once; unmounting mid-stream closes
 * every request; useChatStream follows a run by its handle.
 */

import { act, cleanup, render, screen, waitFor } from "@testing-library/react";
import { StrictMode } from "react";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PuffleClient } from "../../src/index";
import { useChatStream, usePuffleChat } from "../../src/react/index";
import { type SubscribeToChatOptions, subscribeToChat } from "../../src/realtime/index";
import { createChatRoute } from "../../src/server/index";
import { createEmulator, type ListeningEmulator } from "../../src/testing/index";

let emu: ListeningEmulator;
let client: PuffleClient;
let handler: (request: Request) => Promise<Response>;
const requests: { method: string; signal: AbortSignal }[] = [];
const subscriptions: SubscribeToChatOptions[] = [];

beforeAll(async () => {
  emu = await createEmulator({ taskDurationMs: 400, liveHoldMs: 200 }).listen();
  client = new PuffleClient({ apiKey: emu.apiKey, baseURL: emu.url, triggerBaseURL: emu.url });
  handler = createChatRoute({ client, authorize: () => true });
});
afterAll(async () => {
  await emu?.close();
});
afterEach(async () => {
  cleanup();
  requests.length = 0;
  subscriptions.length = 0;
  await emu.emulator.finishTasks();
  emu.emulator.settings.taskDurationMs = 400;
});

async function newSession(): Promise<string> {
  const { campaignId } = emu.emulator.demo;
  const nodeId = emu.emulator.addNode(campaignId, { type: "ai" });
  return (await client.createSession({ campaign_id: campaignId, node_id: nodeId })).id;
}

const routeFetch: typeof fetch = (input, init) => {
  const signal = init?.signal ?? new AbortController().signal;
  requests.push({ method: init?.method ?? "GET", signal });
  return handler(new Request(new URL(String(input), "http://app.test"), init));
};
const recordingSubscribe = (options: SubscribeToChatOptions) => {
  subscriptions.push(options);
  return subscribeToChat(options);
};

function Chat({ sessionId }: { sessionId: string }) {
  const chat = usePuffleChat({
    api: "/api/chat",
    sessionId,
    fetch: routeFetch,
    subscribe: recordingSubscribe,
  });
  return (
    <div>
      <p data-testid="status">{chat.loaded ? chat.status : "loading"}</p>
      <p data-testid="reply">{chat.reply}</p>
      <p data-testid="count">{chat.messages.length}</p>
      <button type="button" disabled={chat.busy} onClick={() => void chat.send("Intro email")}>
        Send
      </button>
    </div>
  );
}

describe("usePuffleChat", () => {
  it("StrictMode: one session read on mount, one dispatch and one subscription per send", async () => {
    const sessionId = await newSession();
    render(
      <StrictMode>
        <Chat sessionId={sessionId} />
      </StrictMode>,
    );
    await waitFor(() => expect(screen.getByTestId("status").textContent).toBe("idle"));
    expect(requests.map((r) => r.method)).toEqual(["GET"]);
    const button = screen.getByRole("button");
    act(() => button.click());
    await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(true));
    act(() => button.click()); // disabled while busy: nothing happens
    await waitFor(
      () => {
        expect(screen.getByTestId("count").textContent).toBe("2");
        expect(screen.getByTestId("status").textContent).toBe("idle");
      },
      { timeout: 10_000 },
    );
    expect(requests.filter((r) => r.method === "POST")).toHaveLength(1);
    expect(subscriptions).toHaveLength(1);
    expect(emu.emulator.ledger.turns(sessionId)).toBe(1);
  });

  it("unmounting mid-stream aborts the subscription and every request", async () => {
    const sessionId = await newSession();
    emu.emulator.settings.taskDurationMs = 5_000;
    const view = render(<Chat sessionId={sessionId} />);
    await waitFor(() => expect(screen.getByTestId("status").textContent).toBe("idle"));
    act(() => screen.getByRole("button").click());
    await waitFor(() => expect(screen.getByTestId("reply").textContent).not.toBe(""), {
      timeout: 10_000,
    });
    view.unmount();
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0]?.signal?.aborted).toBe(true);
    for (const r of requests.filter((x) => x.method === "POST"))
      expect(r.signal.aborted).toBe(true);
  });
});

function Stream({ run }: { run: { runId: string; publicAccessToken: string } | null }) {
  const stream = useChatStream(run, {
    triggerBaseURL: emu.url,
    fetch: (input, init) => {
      if (String(input).includes("/realtime/v1/runs/") && String(input).includes("offset=-1"))
        feedStarts.push(String(input));
      return fetch(input, init);
    },
  });
  return (
    <div>
      <p data-testid="stream-status">{stream.status}</p>
      <p data-testid="stream-reply">{stream.reply}</p>
    </div>
  );
}
const feedStarts: string[] = [];

describe("useChatStream", () => {
  it("idle without a run; follows a run to completion, with one feed subscription under StrictMode", async () => {
    const sessionId = await newSession();
    const view = render(
      <StrictMode>
        <Stream run={null} />
      </StrictMode>,
    );
    expect(screen.getByTestId("stream-status").textContent).toBe("idle");
    const run = await client.runTurn(sessionId, { message: "Intro email" });
    if (run.runId === null) throw new Error("expected a dispatched run");
    view.rerender(
      <StrictMode>
        <Stream run={run} />
      </StrictMode>,
    );
    expect(screen.getByTestId("stream-status").textContent).toBe("streaming");
    await waitFor(() => expect(screen.getByTestId("stream-status").textContent).toBe("completed"), {
      timeout: 10_000,
    });
    const output = emu.emulator.getRun(run.runId)?.output as { reply: string };
    expect(screen.getByTestId("stream-reply").textContent).toBe(output.reply);
    expect(feedStarts).toHaveLength(1);
  });
});
