/**
 * examples/react in real Chromium, against the emulator through the chat route (createChatRoute):
 * a turn streams in token by token; a double click sends one turn (the emulator's ledger);
 * Stop ends the stream and the UI recovers; a 401 from the route shows an error and the app keeps
 * working; closing the chat mid-stream leaves no open request; the API key appears in no page,
 * response or console line. Screenshots go to test-results/ (gitignored).
 */

import { mkdirSync } from "node:fs";
import type { Browser, BrowserContext, Cookie, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ExampleServer, startExample } from "../../examples/react/server";
import { launchChromium } from "../support/chromium";

const SHOTS = "test-results";
let example: ExampleServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const seen: string[] = []; // every page, response body and console line
const open = new Set<unknown>(); // requests started and not finished or failed
const api: string[] = []; // requests to the chat route, in order

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  example = await startExample({ taskDurationMs: 4_000 });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await example?.close();
  // The canary, over everything the browser saw in every test of this file.
  const key = emulator().demo.apiKey;
  expect(seen.length).toBeGreaterThan(10);
  expect(seen.join("\n")).not.toContain(key);
  expect(seen.join("\n")).not.toContain(key.slice(24));
});

function emulator() {
  if (!example.emulator) throw new Error("the example runs against Puffle, not the emulator");
  return example.emulator;
}

beforeEach(async () => {
  await context?.close();
  open.clear();
  api.length = 0;
  await emulator().finishTasks();
  emulator().settings.taskDurationMs = 4_000;
  context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  page = await context.newPage();
  page.on("console", (m) => seen.push(`console ${m.type()}: ${m.text()}`));
  page.on("request", (r) => {
    open.add(r);
    if (r.url().includes("/api/chat")) api.push(`${r.method()} ${new URL(r.url()).search}`);
  });
  page.on("requestfinished", (r) => open.delete(r));
  page.on("requestfailed", (r) => open.delete(r));
  page.on("response", async (r) => {
    seen.push(`${r.status()} ${r.url()} ${JSON.stringify(await r.allHeaders())}`);
    try {
      seen.push(await r.text());
    } catch {
      // an aborted stream has no body to read
    }
  });
  await page.goto(example.url);
  await page.waitForSelector('#state[data-state="idle"]:not(:empty)');
  await page.waitForFunction(() => document.querySelector("#state")?.textContent === "Ready");
});

async function type(message: string) {
  await page.fill("#message", message);
}

/** Record every distinct text of the streaming reply, in the page, from now on. */
async function recordReply() {
  await page.evaluate(() => {
    const w = window as unknown as { replies: string[] };
    w.replies = [];
    new MutationObserver(() => {
      const text = document.querySelector("#reply")?.textContent ?? "";
      if (text && w.replies.at(-1) !== text) w.replies.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

const turns = () => emulator().ledger.turns(example.sessionId);
const idle = () => page.waitForSelector('#state[data-state="idle"]', { timeout: 30_000 });

describe("examples/react in Chromium", () => {
  it("streams a turn token by token; Send is disabled while it runs; screenshots", async () => {
    // StrictMode (examples/react/main.tsx) mounted the chat twice: one session read, not two.
    expect(api).toEqual([`GET ?sessionId=${example.sessionId}`]);
    await recordReply();
    const before = turns();
    await type("Intro email for VPs of Sales, emphasising time to ROI");
    await page.click("#send");
    await page.waitForSelector('#state[data-state="streaming"]');
    expect(await page.isDisabled("#send")).toBe(true);
    expect(await page.isEnabled("#stop")).toBe(true);
    await page.waitForFunction(() => {
      const r = document.querySelector("#reply")?.textContent ?? "";
      return r.split(" ").length > 8;
    });
    await page.screenshot({ path: `${SHOTS}/react-example-mid-stream.png`, fullPage: true });
    await idle();
    const replies = await page.evaluate(() => (window as unknown as { replies: string[] }).replies);
    const final = await page.$$eval('#messages li[data-role="assistant"]', (l) =>
      l.map((x) => x.textContent ?? ""),
    );
    const answer = final.at(-1) ?? "";
    expect(replies.length).toBeGreaterThanOrEqual(3); // several distinct partial states
    for (const partial of replies) expect(answer.startsWith(partial)).toBe(true);
    expect(replies.at(-1)).toBe(answer);
    expect(turns()).toBe(before + 1);
    // A second turn writes a draft; the route's lint report comes with it.
    emulator().settings.taskDurationMs = 1_000;
    await type("Shorter, and mention SOC 2");
    await page.click("#send");
    await idle();
    await page.waitForSelector("#draft-body");
    await page.waitForSelector("#lint");
    expect((await page.textContent("#draft-subject"))?.length).toBeGreaterThan(3);
    // Examples for leads.
    await page.click("#examples-button");
    await idle();
    await page.waitForSelector("#examples article");
    expect(await page.$$eval("#examples article", (a) => a.length)).toBe(3);
    expect(await page.inputValue("#message")).toBe("");
    await page.screenshot({ path: `${SHOTS}/react-example-after-turn.png`, fullPage: true });
  });

  it("a double click sends one turn", async () => {
    const before = turns();
    await type("Hello");
    // Two clicks in the same task, before React re-renders the disabled button.
    await page.evaluate(() => {
      const send = document.querySelector<HTMLButtonElement>("#send");
      send?.click();
      send?.click();
    });
    await page.dblclick("#send", { force: true }); // and a real double click on the disabled button
    await page.waitForSelector('#state[data-state="streaming"]');
    await idle();
    expect(turns()).toBe(before + 1);
    const users = await page.$$eval('#messages li[data-role="user"]', (l) =>
      l.map((x) => x.textContent),
    );
    expect(users.filter((u) => u === "Hello")).toHaveLength(1);
  });

  it("Stop ends the stream at once and the UI recovers", async () => {
    emulator().settings.taskDurationMs = 8_000;
    const before = turns();
    await type("Intro email for CFOs");
    await page.click("#send");
    await page.waitForFunction(() => (document.querySelector("#reply")?.textContent ?? "") !== "");
    await page.click("#stop");
    await page.waitForSelector('#state[data-state="idle"]');
    await page.waitForSelector("#stopped");
    expect(await page.$("#reply")).toBeNull();
    expect(await page.isEnabled("#stop")).toBe(false);
    // The stream requests were closed by the page, not left running.
    await expect.poll(() => [...open].length, { timeout: 10_000 }).toBe(0);
    // The route waits for the stopped task (onBusy: "wait"), then the next turn runs normally.
    emulator().settings.taskDurationMs = 1_000;
    await type("Make it shorter");
    expect(await page.isEnabled("#send")).toBe(true);
    await page.click("#send");
    await idle();
    expect(await page.$("#error")).toBeNull();
    expect(turns()).toBe(before + 2);
  });

  it("a 401 from the route shows an error; after signing in again the app keeps working", async () => {
    const cookies: Cookie[] = await context.cookies();
    expect(cookies.map((c) => c.name)).toContain("demo_user");
    await context.clearCookies();
    const before = turns();
    await type("Hello while signed out");
    await page.click("#send");
    await page.waitForSelector('#state[data-state="error"]');
    expect(await page.getAttribute("#error", "data-code")).toBe("unauthorized");
    expect(await page.textContent("#error")).toMatch(/signed out/);
    expect(await page.inputValue("#message")).toBe("Hello while signed out"); // kept for a retry
    expect(turns()).toBe(before);
    await context.addCookies(cookies);
    await page.click("#retry");
    await idle();
    expect(await page.$("#error")).toBeNull();
    expect(turns()).toBe(before + 1);
  });

  it("closing the chat (unmount) mid-stream leaves no open request", async () => {
    emulator().settings.taskDurationMs = 8_000;
    await type("Intro email for CTOs");
    await page.click("#send");
    await page.waitForFunction(() => (document.querySelector("#reply")?.textContent ?? "") !== "");
    expect([...open].length).toBeGreaterThan(0); // the stream and the run feed are open
    await page.click("#toggle");
    await page.waitForSelector("#closed");
    await expect.poll(() => [...open].length, { timeout: 10_000 }).toBe(0);
  });

  it("issue 18: human statuses, input cleared on send, lead-named examples, blocks explained, finish; 1280 and 390 px", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    // Every text the status pill shows, from now on.
    await page.evaluate(() => {
      const w = window as unknown as { statuses: string[]; bubbles: number[] };
      w.statuses = [];
      w.bubbles = [];
      new MutationObserver(() => {
        const text = document.querySelector("#state")?.textContent ?? "";
        if (w.statuses.at(-1) !== text) w.statuses.push(text);
        if (document.querySelector("#examples-running"))
          w.bubbles.push(document.querySelectorAll("#reply").length);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    emulator().settings.taskDurationMs = 3_000;
    await type("Intro email for VPs of Sales about pipeline analytics");
    await page.click("#send");
    await idle();
    await type("Readers are VPs of Sales. Goal: a 20 minute call");
    await page.click("#send");
    // Cleared at once, while the turn is still running.
    await page.waitForSelector('#state[data-state="sending"], #state[data-state="streaming"]');
    expect(await page.inputValue("#message")).toBe("");
    await idle();
    await page.click("#examples-button");
    await page.waitForSelector("#examples-running");
    await idle();
    await page.waitForSelector("#examples article");
    const seen = await page.evaluate(() => {
      const w = window as unknown as { statuses: string[]; bubbles: number[] };
      return { statuses: w.statuses, bubbles: w.bubbles };
    });
    expect(seen.statuses).toEqual(expect.arrayContaining(["Queued", "Writing…", "Ready"]));
    expect(seen.statuses.join(" ")).not.toMatch(/EXECUTING|QUEUED|PENDING/);
    expect(seen.bubbles.length).toBeGreaterThan(0);
    expect(seen.bubbles.every((n) => n === 0)).toBe(true); // no empty assistant bubble
    const cards = await page.$$eval("#examples .for", (l) => l.map((x) => x.textContent));
    expect(cards).toEqual([
      "For Ada Lovelace (Analytical Engines)",
      "For Grace Hopper (Cobol Systems)",
      "For Alan Turing (Enigma Labs)",
    ]);
    // The ai node's blocks are explained, not a red "needs work".
    expect(await page.getAttribute("#lint", "data-state")).toBe("blocks");
    expect(await page.textContent("#lint strong")).toBe("Instruction blocks, as expected");
    expect(await page.textContent("#lint-blocks")).toMatch(/This is an AI node/);
    await page.screenshot({ path: `${SHOTS}/react-example-1280.png`, fullPage: true });

    // The finish step: finishSession through the example's endpoint.
    await page.click("#finish-button");
    await page.waitForSelector("#finish-result");
    expect(await page.getAttribute("#finish-result", "data-ok")).toBe("true");
    expect(await page.textContent("#finish-result")).toBe(
      "Finished: 3 messages are ready for launch.",
    );

    // At 390 px the columns stack and nothing overlaps or is cut off.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(() => {
      const [chat, draft] = [...document.querySelectorAll("main > section")];
      return (
        !!chat &&
        !!draft &&
        draft.getBoundingClientRect().top >= chat.getBoundingClientRect().bottom
      );
    });
    const boxes = await page.evaluate(() => {
      const box = (sel: string) => {
        const r = document.querySelector(sel)?.getBoundingClientRect();
        return r ? { left: r.left, right: r.right, top: r.top, bottom: r.bottom } : null;
      };
      return {
        width: document.documentElement.scrollWidth,
        send: box("#send"),
        stop: box("#stop"),
        input: box("#message"),
        chat: box('section[aria-label="Chat"]'),
        draft: box('section[aria-label="Draft"]'),
      };
    });
    expect(boxes.width).toBeLessThanOrEqual(390); // no sideways scrolling
    for (const b of [boxes.send, boxes.stop, boxes.input]) {
      expect(b).not.toBeNull();
      expect(b?.left).toBeGreaterThanOrEqual(0);
      expect(b?.right).toBeLessThanOrEqual(390);
      expect(b?.bottom).toBeLessThanOrEqual(boxes.chat?.bottom ?? 0); // inside the chat card
    }
    const overlap = (a: typeof boxes.send, b: typeof boxes.send) =>
      !!a && !!b && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    expect(overlap(boxes.send, boxes.stop)).toBe(false);
    expect(overlap(boxes.send, boxes.input)).toBe(false);
    expect(overlap(boxes.send, boxes.draft)).toBe(false);
    expect(overlap(boxes.stop, boxes.draft)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/react-example-390.png`, fullPage: true });
  }, 120_000);
});
