/**
 * Server rendering (Node, no DOM): usePuffleChat and useChatStream render their initial state with
 * renderToString, send no request and touch no browser global.
 */

import { renderToString } from "react-dom/server";
import { expect, it } from "vitest";
import { useChatStream, usePuffleChat } from "../../src/react/index";

function Page() {
  let calls = 0;
  const chat = usePuffleChat({
    api: "/api/chat",
    sessionId: "3c90c3cc-0d44-4b50-8888-8dd25736052a",
    fetch: () => {
      calls += 1;
      throw new Error("no request during render");
    },
  });
  const stream = useChatStream({ runId: "run_x", publicAccessToken: "tr_pat_secret" });
  return (
    <main>
      <p>{`chat:${chat.status}:${chat.loaded}:${chat.messages.length}:${chat.busy}:${calls}`}</p>
      <p>{`stream:${stream.status}:${stream.reply}`}</p>
    </main>
  );
}

it("renderToString works in Node with no window, and sends nothing", () => {
  expect(typeof (globalThis as { window?: unknown }).window).toBe("undefined");
  const html = renderToString(<Page />);
  expect(html).toContain("chat:idle:false:0:false:0");
  expect(html).toContain("stream:idle:");
  expect(html).not.toContain("tr_pat_secret");
});
