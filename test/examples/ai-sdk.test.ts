/**
 * examples/ai-sdk in real Chromium: the stock `useChat` of `@ai-sdk/react` over the chat route
 * with `protocol: "ai-sdk"`, against the emulator. Tokens appear as they stream; a reload in the
 * middle of a turn resumes it to its end; a double submit sends one turn (the emulator's ledger);
 * the draft data part renders with its lint report; the API key appears in no page, response or
 * console line. Screenshots go to test-results/ (gitignored).
 */

import { mkdirSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startExample } from "../../examples/ai-sdk/server";
import type { ExampleServer } from "../../examples/react/server";
import { launchChromium } from "../support/chromium";

const SHOTS = "test-results";
let example: ExampleServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const seen: string[] = []; // every page, response body and console line
const api: string[] = []; // requests to the chat route, in order

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  example = await startExample({ taskDurationMs: 4_000 });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await example?.close();
  const key = emulator().demo.apiKey;
  expect(seen.length).toBeGreaterThan(10);
  expect(seen.join("\n")).not.toContain(key);
  expect(seen.join("\n")).not.toContain(key.slice(24));
});

function emulator() {
  if (!example.emulator) throw new Error("the example runs against Puffle, not the emulator");
  return example.emulator;
}

function watch(p: Page): void {
  p.on("console", (m) => seen.push(`console ${m.type()}: ${m.text()}`));
  p.on("request", (r) => {
    if (r.url().includes("/api/chat")) api.push(`${r.method()} ${new URL(r.url()).pathname}`);
  });
  p.on("response", async (r) => {
    seen.push(`${r.status()} ${r.url()} ${JSON.stringify(await r.allHeaders())}`);
    try {
      seen.push(await r.text());
    } catch {
      // an aborted stream has no body to read
    }
  });
}

beforeEach(async () => {
  await context?.close();
  api.length = 0;
  await emulator().finishTasks();
  emulator().settings.taskDurationMs = 4_000;
  context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  page = await context.newPage();
  watch(page);
  await page.goto(example.url);
  await page.waitForSelector('#state[data-state="ready"]');
});

const turns = () => emulator().ledger.turns(example.sessionId);
const ready = () => page.waitForSelector('#state[data-state="ready"]', { timeout: 30_000 });
const lastAssistant = () =>
  page.$$eval('#messages li[data-role="assistant"]', (l) => l.at(-1)?.textContent ?? "");

/** Record every distinct text of the last assistant message, in the page, from now on. */
async function recordReply() {
  await page.evaluate(() => {
    const w = window as unknown as { replies: string[] };
    w.replies = [];
    new MutationObserver(() => {
      const items = document.querySelectorAll('#messages li[data-role="assistant"]');
      const text = items[items.length - 1]?.textContent ?? "";
      if (text && w.replies.at(-1) !== text) w.replies.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

describe("examples/ai-sdk (stock useChat) in Chromium", () => {
  it("streams a turn token by token, then the draft data part; screenshots", async () => {
    // The page read the transcript, and useChat's resume asked once: 204, the session is idle.
    expect(api).toEqual(["GET /api/chat", `GET /api/chat/${example.sessionId}/stream`]);
    await recordReply();
    const before = turns();
    await page.fill("#message", "Intro email for VPs of Sales, emphasising time to ROI");
    await page.click("#send");
    await page.waitForSelector('#state[data-state="streaming"]');
    expect(await page.isDisabled("#send")).toBe(true);
    await page.waitForFunction(() => {
      const items = document.querySelectorAll('#messages li[data-role="assistant"]');
      return (items[items.length - 1]?.textContent ?? "").split(" ").length > 8;
    });
    expect(await page.textContent("#notice")).toMatch(/does not stop the turn/);
    await page.screenshot({ path: `${SHOTS}/ai-sdk-example-mid-stream.png`, fullPage: true });
    await ready();
    const replies = await page.evaluate(() => (window as unknown as { replies: string[] }).replies);
    const answer = await lastAssistant();
    expect(replies.length).toBeGreaterThanOrEqual(3); // several distinct partial states
    for (const partial of replies) expect(answer.startsWith(partial)).toBe(true);
    const session = await sessionNow();
    expect(answer).toBe(session.messages?.at(-1)?.content);
    expect(turns()).toBe(before + 1);
    // A second turn writes a draft: the data part renders, with the route's lint report.
    emulator().settings.taskDurationMs = 1_000;
    await page.fill("#message", "Shorter, and mention SOC 2");
    await page.click("#send");
    await ready();
    await page.waitForSelector('#lint:not([data-ok="pending"])');
    const drafted = await sessionNow();
    expect(await page.textContent("#subject")).toBe(drafted.draft_subject);
    expect(await page.textContent("#body")).toBe(drafted.draft_body);
    await page.screenshot({ path: `${SHOTS}/ai-sdk-example-draft.png`, fullPage: true });
  });

  it("a double submit sends one turn", async () => {
    const before = turns();
    await page.fill("#message", "Hello");
    // Two submits in the same task, before React re-renders the disabled button.
    await page.evaluate(() => {
      const form = document.querySelector("form");
      form?.requestSubmit();
      form?.requestSubmit();
    });
    await page.dblclick("#send", { force: true }); // and a real double click
    await page.waitForSelector('#state[data-state="streaming"]');
    await ready();
    expect(turns()).toBe(before + 1);
    const users = await page.$$eval('#messages li[data-role="user"]', (l) =>
      l.map((x) => x.textContent),
    );
    expect(users.filter((u) => u === "Hello")).toHaveLength(1);
    expect(await lastAssistant()).toBe((await sessionNow()).messages?.at(-1)?.content);
  });

  it("a reload in the middle of a turn resumes it to its end", async () => {
    emulator().settings.taskDurationMs = 8_000;
    const before = turns();
    await page.fill("#message", "Intro email for CFOs");
    await page.click("#send");
    await page.waitForFunction(() => {
      const items = document.querySelectorAll('#messages li[data-role="assistant"]');
      return (items[items.length - 1]?.textContent ?? "") !== "";
    });
    api.length = 0;
    await page.reload();
    expect((await sessionNow()).task_status).toBe("chat_processing"); // still running
    await page.waitForSelector('#state[data-state="streaming"]', { timeout: 20_000 });
    await page.screenshot({ path: `${SHOTS}/ai-sdk-example-resumed.png`, fullPage: true });
    await ready();
    expect(api).toContain(`GET /api/chat/${example.sessionId}/stream`);
    expect(api.filter((a) => a.startsWith("POST"))).toEqual([]); // nothing sent again
    const session = await sessionNow();
    expect(session.task_status).toBeNull();
    expect(await lastAssistant()).toBe(session.messages?.at(-1)?.content);
    expect(turns()).toBe(before + 1);
    // The resumed page keeps working.
    emulator().settings.taskDurationMs = 1_000;
    await page.fill("#message", "Make it shorter");
    await page.click("#send");
    await ready();
    expect(await page.$("#error")).toBeNull();
    expect(turns()).toBe(before + 2);
  });
});

async function sessionNow() {
  const res = await page.request.get(`${example.url}/api/chat?sessionId=${example.sessionId}`);
  const body = (await res.json()) as {
    session: {
      messages?: { content: string }[] | null;
      task_status?: string | null;
      draft_subject?: string | null;
      draft_body?: string | null;
    };
  };
  seen.push(JSON.stringify(body));
  return body.session;
}
